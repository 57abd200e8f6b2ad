/**
 * After a save the grid tiles must show the new shapes at once: bump a `?v=` on the
 * tile URL so MapLibre drops its tile cache and refetches (the server sends no-cache).
 */
import type * as maplibregl from 'maplibre-gl';
import { GRID_SOURCE } from '../map/mapStyle';
import { versionedTileUrl } from './format';

let tilesVersion = 0;

export function refreshGridTiles(map: maplibregl.Map) {
  const source = map.getSource(GRID_SOURCE) as maplibregl.VectorTileSource | undefined;
  const template = source?.tiles?.[0];
  if (!source || !template) return;
  tilesVersion += 1;
  source.setTiles([versionedTileUrl(template, tilesVersion)]);
  // Browser tests wait for this before querying the refreshed features.
  document.body.dataset.gridTilesVersion = String(tilesVersion);
}
