/**
 * Hooks for browser tests: `window.__dangjian.map` and
 * `document.body.dataset.gridsRendered = 'true'` once grid tiles have features (single
 * grids, or the generalised areas the grid tiles carry below z13).
 */
import type * as maplibregl from 'maplibre-gl';
import { AREA_SOURCE_LAYER, GRID_SOURCE, GRID_SOURCE_LAYER } from './mapStyle';

declare global {
  interface Window {
    __dangjian?: { map: maplibregl.Map };
  }
}

export function exposeMap(map: maplibregl.Map): () => void {
  window.__dangjian = { map };
  return () => {
    if (window.__dangjian?.map === map) delete window.__dangjian;
  };
}

/** Marks the body once an idle map has grid features; returns true when marked. */
export function markGridsRendered(map: maplibregl.Map): boolean {
  if (document.body.dataset.gridsRendered === 'true') return true;
  if (!map.getSource(GRID_SOURCE)) return false;
  const drawn = (sourceLayer: string) => map.querySourceFeatures(GRID_SOURCE, { sourceLayer }).length > 0;
  if (!drawn(GRID_SOURCE_LAYER) && !drawn(AREA_SOURCE_LAYER)) return false;
  document.body.dataset.gridsRendered = 'true';
  return true;
}
