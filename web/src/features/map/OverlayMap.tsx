/**
 * Why: pages that draw their own GeoJSON polygons (the map as of a date, the fusion map) share
 * this thin wrapper over the one map shell: each overlay is a GeoJSON source with a fill and an
 * outline, updated in place when its data changes; clicks report the overlay and the feature's
 * properties. The current grid tiles can be hidden (a past date draws its own grids).
 */
import type * as maplibregl from 'maplibre-gl';
import { useEffect } from 'react';
import type { Config } from '../../api/queries';
import { LAYER } from './mapStyle';
import type { ColourSpecification } from './styleTypes';
import { useLatest } from './useLatest';
import { useMapShell } from './useMapShell';

export interface Overlay {
  id: string;
  data: GeoJSON.FeatureCollection;
  fill: ColourSpecification;
  fillOpacity?: number;
  line: ColourSpecification;
  lineWidth?: number;
}

export interface OverlayMapProps {
  config: Config;
  overlays: Overlay[];
  /** Hide the current grid tiles of the base style. */
  hideGrids?: boolean;
  onFeatureClick?: (overlayId: string, properties: Record<string, unknown>) => void;
  onMapReady?: (map: maplibregl.Map | null) => void;
  testId?: string;
  /** Fit the map to these bounds whenever they change (the page's data extent). */
  fitTo?: [number, number, number, number] | null;
}

/** The extent of polygon features, or null when there are none. */
export function extentOf(fc: GeoJSON.FeatureCollection | undefined): [number, number, number, number] | null {
  let [w, s, e, n] = [180, 90, -180, -90];
  for (const f of fc?.features ?? []) {
    const g = f.geometry;
    if (g?.type !== 'Polygon' && g?.type !== 'MultiPolygon') continue;
    for (const p of (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).flat(2)) [w, s, e, n] = [Math.min(w, p[0]!), Math.min(s, p[1]!), Math.max(e, p[0]!), Math.max(n, p[1]!)];
  }
  return w <= e ? [w, s, e, n] : null;
}

const NO_DECK: never[] = [];
const GRID_LAYERS = [LAYER.gridFill, LAYER.gridOutline, LAYER.areaFill, LAYER.areaOutline];

function apply(map: maplibregl.Map, overlays: Overlay[]) {
  for (const o of overlays) {
    const source = map.getSource(o.id) as maplibregl.GeoJSONSource | undefined;
    if (source) {
      source.setData(o.data);
      continue;
    }
    map.addSource(o.id, { type: 'geojson', data: o.data });
    map.addLayer({ id: `${o.id}-fill`, type: 'fill', source: o.id, paint: { 'fill-color': o.fill as never, 'fill-opacity': o.fillOpacity ?? 0.45 } });
    map.addLayer({ id: `${o.id}-line`, type: 'line', source: o.id, paint: { 'line-color': o.line as never, 'line-width': o.lineWidth ?? 1.2 } });
  }
}

export function OverlayMap({ config, overlays, hideGrids, onFeatureClick, onMapReady, testId, fitTo }: OverlayMapProps) {
  const latest = useLatest({ overlays, onFeatureClick });
  const { containerRef, map } = useMapShell({
    view: config.defaultView,
    fitPadding: 24,
    openingZoom: 13,
    basemap: config.basemap,
    gridColour: '#3a5378',
    minZoom: 8,
    maxZoom: 19,
    deckLayers: NO_DECK,
    onMapReady,
    onLoad: (instance) => {
      if (hideGrids) for (const id of GRID_LAYERS) if (instance.getLayer(id)) instance.setLayoutProperty(id, 'visibility', 'none');
      apply(instance, latest.current.overlays);
      instance.on('click', (e) => {
        const layers = latest.current.overlays.map((o) => `${o.id}-fill`).filter((id) => instance.getLayer(id));
        const hit = instance.queryRenderedFeatures(e.point, { layers })[0];
        if (hit) latest.current.onFeatureClick?.(hit.layer.id.replace(/-fill$/, ''), hit.properties ?? {});
      });
    },
  });
  useEffect(() => {
    if (map) apply(map, overlays);
  }, [map, overlays]);
  const fitKey = fitTo ? fitTo.join(',') : '';
  // biome-ignore lint/correctness/useExhaustiveDependencies: fits once per extent (fitKey), not per new array
  useEffect(() => {
    if (map && fitTo) map.fitBounds(fitTo, { padding: 30, duration: 0 });
  }, [map, fitKey]);
  return <div className="overlay-map" ref={containerRef} data-testid={testId} data-ready={map ? 'true' : 'false'} />;
}
