/**
 * The central map of the screen: grids coloured by star rating (or coverage),
 * the selected region outlined, member communities of 示范带/示范圈 highlighted
 * (MapLibre layers on the offline basemap) and deck.gl layers on top.
 * Only the offline basemap is used, whatever the server config says: the screen must work without the internet.
 * The map itself, its overlay and test hooks come from the shared shell (map/useMapShell).
 * Loaded lazily by ScreenPage: MapLibre and deck.gl are most of the screen's code.
 */
import type * as maplibregl from 'maplibre-gl';
import { useEffect, useMemo } from 'react';
import { useConfig } from '../../api/queries';
import { LAYER, selectedGridFilter } from '../map/mapStyle';
import type { ColourSpecification, FilterSpecification } from '../map/styleTypes';
import { useLatest } from '../map/useLatest';
import { useMapShell, viewOfBounds } from '../map/useMapShell';
import { buildScreenLayers, type ScreenLayerInput } from './screenLayers';

const REGION_OUTLINE = 'screen-region-outline';
const MEMBER_FILL = 'screen-member-fill';
const MEMBER_LINE = 'screen-member-line';

export interface ScreenMapProps {
  /** Bounds to open on (the city); without them the server's default view. */
  bbox: [number, number, number, number] | null;
  gridColour: ColourSpecification;
  gridsVisible: boolean;
  /** region (6/9/12 digits) or grid (15) to outline */
  selectedCode: string | null;
  memberCodes: string[];
  /** What the deck.gl layers draw (built here, so deck.gl loads with the map, not before the panels). */
  layerInput: ScreenLayerInput;
  /** CSS scale of the canvas, so map and deck render sharp on 4K walls */
  pixelRatio: number;
  onClick: (lngLat: [number, number], gridCode: string | null) => void;
  onInteract: () => void;
  onMapReady: (map: maplibregl.Map | null) => void;
  onIdle: () => void;
}

const codeIs = (code: string | null): FilterSpecification => ['==', ['get', 'code'], code ?? ''];
const codeIn = (codes: string[]): FilterSpecification => ['in', ['get', 'code'], ['literal', codes]] as unknown as FilterSpecification;
const OFFLINE = { kind: 'offline' } as const;

export function ScreenMap(props: ScreenMapProps) {
  const latest = useLatest(props);
  const config = useConfig();
  const view = useMemo(() => (props.bbox ? viewOfBounds(props.bbox) : config.data?.defaultView), [props.bbox, config.data]);
  const devicePixels = props.pixelRatio * (window.devicePixelRatio || 1);
  const layers = useMemo(() => buildScreenLayers(props.layerInput), [props.layerInput]);

  const { containerRef, map } = useMapShell({
    view,
    fitPadding: 30,
    basemap: OFFLINE,
    gridColour: props.gridColour,
    minZoom: 8,
    maxZoom: 19,
    controls: false,
    mapOptions: { pixelRatio: devicePixels, fadeDuration: 0 },
    deckLayers: layers,
    deckPixelRatio: devicePixels,
    setup: (instance) => {
      const interact = () => latest.current.onInteract();
      for (const type of ['mousedown', 'wheel', 'touchstart'] as const) instance.on(type, interact);
      instance.on('click', (e) => {
        // Below z13 the grid tiles carry community/street areas: their code (9 or 12 digits) drills the same way.
        const layers = [LAYER.gridFill, LAYER.areaFill].filter((id) => instance.getLayer(id));
        const hit = layers.length > 0 ? instance.queryRenderedFeatures(e.point, { layers })[0] : undefined;
        latest.current.onClick(e.lngLat.toArray() as [number, number], hit ? String(hit.properties.code) : null);
      });
    },
    onIdle: () => latest.current.onIdle(),
    onLoad: (instance) => {
      instance.addLayer({ id: MEMBER_FILL, type: 'fill', source: 'base', 'source-layer': 'regions', filter: codeIn([]), paint: { 'fill-color': '#ffcf4a', 'fill-opacity': 0.22 } });
      instance.addLayer({ id: MEMBER_LINE, type: 'line', source: 'base', 'source-layer': 'regions', filter: codeIn([]), paint: { 'line-color': '#ffd766', 'line-width': 2 } });
      instance.addLayer({ id: REGION_OUTLINE, type: 'line', source: 'base', 'source-layer': 'regions', filter: codeIs(null), layout: { 'line-join': 'round' }, paint: { 'line-color': '#ff5a4f', 'line-width': 4 } });
    },
    onMapReady: (m) => latest.current.onMapReady(m),
  });

  useEffect(() => {
    map?.setPixelRatio(devicePixels);
  }, [map, devicePixels]);

  useEffect(() => {
    if (!map) return;
    // Low zooms show generalised community/street areas (layer grid_areas), coloured alike.
    for (const id of [LAYER.gridFill, LAYER.areaFill]) {
      map.setPaintProperty(id, 'fill-color', props.gridColour);
      map.setPaintProperty(id, 'fill-opacity', 0.55);
    }
    map.setPaintProperty(LAYER.gridOutline, 'line-color', '#0b1322');
    map.setPaintProperty(LAYER.areaOutline, 'line-color', '#0b1322');
  }, [map, props.gridColour]);

  // At city scale tens of thousands of grid edges are noise and cost the most to build; fills carry the colour.
  useEffect(() => {
    map?.setLayerZoomRange(LAYER.gridOutline, 12, 24);
  }, [map]);

  useEffect(() => {
    if (!map) return;
    const v = props.gridsVisible ? 'visible' : 'none';
    for (const id of [LAYER.gridFill, LAYER.gridOutline, LAYER.areaFill, LAYER.areaOutline]) map.setLayoutProperty(id, 'visibility', v);
  }, [map, props.gridsVisible]);

  useEffect(() => {
    if (!map) return;
    const code = props.selectedCode;
    const isGrid = code?.length === 15;
    map.setFilter(LAYER.gridSelected, selectedGridFilter(isGrid ? code : null));
    map.setFilter(REGION_OUTLINE, codeIs(isGrid ? null : code));
  }, [map, props.selectedCode]);

  useEffect(() => {
    if (!map) return;
    map.setFilter(MEMBER_FILL, codeIn(props.memberCodes));
    map.setFilter(MEMBER_LINE, codeIn(props.memberCodes));
  }, [map, props.memberCodes]);

  return <div ref={containerRef} className="screen-map-canvas" role="region" aria-label="党建版图地图" />;
}
