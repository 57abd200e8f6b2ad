/**
 * 网格通's map (lazy chunk with MapLibre, through the one map shell and style): my grids'
 * boundaries, my GPS position with its accuracy ring, and — when `onPick` is given — a tap
 * picks the report's place (a marker). Opens on my grids' bounds. Its tiles go through the
 * service worker (controlledWorker.ts), so they are cached for use offline.
 */
import { useQuery } from '@tanstack/react-query';
import type { GeoJSONSource, Map as MapLibre } from 'maplibre-gl';
import { useEffect, useMemo, useRef } from 'react';
import { configQuery } from '../../api/queries';
import { useMapShell, viewOfBounds } from '../../features/map/useMapShell';
import type { Fix } from '../geo/useGeolocation';
import type { MyGrid } from '../myGrids';
import { boundsOf } from '../../../../kernel/bbox';
import { circlePolygon } from './accuracyCircle';
import { startMapWorkerInPageScope } from './controlledWorker';

export interface GridMapProps {
  grids: readonly MyGrid[];
  position: Fix | null;
  picked?: [number, number] | null;
  onPick?: (point: [number, number]) => void;
}

// Tile requests through the service worker's cache (controlledWorker.ts).
startMapWorkerInPageScope();

const NO_LAYERS: never[] = [];
const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

function setData(map: MapLibre | null, id: string, data: GeoJSON.FeatureCollection) {
  (map?.getSource(id) as GeoJSONSource | undefined)?.setData(data);
}

export function GridMap({ grids, position, picked = null, onPick }: GridMapProps) {
  const config = useQuery(configQuery);
  const bounds = useMemo(() => boundsOf(grids.map((g) => g.geometry as GeoJSON.Geometry)), [grids]);
  const view = config.data ? (bounds ? viewOfBounds(bounds) : config.data.defaultView) : undefined;
  const pick = useRef(onPick);
  pick.current = onPick;
  const { containerRef, map } = useMapShell({
    view,
    fitPadding: 24,
    basemap: config.data?.basemap ?? { kind: 'offline' },
    gridColour: 'rgba(0,0,0,0)',
    minZoom: 10,
    maxZoom: 19,
    controls: true,
    deckLayers: NO_LAYERS,
    onLoad: (m) => {
      for (const id of ['m-grids', 'm-accuracy', 'm-me', 'm-picked']) m.addSource(id, { type: 'geojson', data: EMPTY });
      m.addLayer({ id: 'm-grids-fill', type: 'fill', source: 'm-grids', paint: { 'fill-color': '#ffd166', 'fill-opacity': 0.12 } });
      m.addLayer({ id: 'm-grids-line', type: 'line', source: 'm-grids', paint: { 'line-color': '#ffd166', 'line-width': 3 } });
      m.addLayer({ id: 'm-accuracy', type: 'fill', source: 'm-accuracy', paint: { 'fill-color': '#3b82f6', 'fill-opacity': 0.18, 'fill-outline-color': '#3b82f6' } });
      m.addLayer({ id: 'm-me', type: 'circle', source: 'm-me', paint: { 'circle-radius': 8, 'circle-color': '#3b82f6', 'circle-stroke-color': '#fff', 'circle-stroke-width': 3 } });
      m.addLayer({ id: 'm-picked', type: 'circle', source: 'm-picked', paint: { 'circle-radius': 10, 'circle-color': '#d7263d', 'circle-stroke-color': '#fff', 'circle-stroke-width': 3 } });
    },
    setup: (m) => {
      const click = (e: { lngLat: { lng: number; lat: number } }) => pick.current?.([e.lngLat.lng, e.lngLat.lat]);
      m.on('click', click);
      return () => m.off('click', click);
    },
  });

  useEffect(() => {
    setData(map, 'm-grids', { type: 'FeatureCollection', features: grids.map((g) => ({ type: 'Feature', geometry: g.geometry as GeoJSON.Geometry, properties: { code: g.code } })) });
  }, [map, grids]);
  useEffect(() => {
    const point: [number, number] | null = position ? [position.lon, position.lat] : null;
    setData(map, 'm-me', point ? { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: point }, properties: {} }] } : EMPTY);
    setData(map, 'm-accuracy', point && position ? { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: circlePolygon(point, position.accuracy), properties: {} }] } : EMPTY);
  }, [map, position]);
  useEffect(() => {
    setData(map, 'm-picked', picked ? { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: picked }, properties: {} }] } : EMPTY);
  }, [map, picked]);

  return <div ref={containerRef} className="m-map" data-testid="m-map" />;
}
