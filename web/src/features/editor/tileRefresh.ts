/**
 * After a save the grid tiles must show the new shapes at once: bump a `?v=` on the
 * tile URL so MapLibre drops its tile cache and refetches (the server sends no-cache).
 *
 * MapLibre pauses a source while one of its layers changes (the editor re-filters its
 * grid layers right after a save), and a setTiles landing in that window is downgraded
 * on resume to re-parsing the tiles it already holds — the old shapes. So the URL is
 * set at once and set again when the map is next idle, when no layer change is pending.
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
  const version = tilesVersion;
  const url = versionedTileUrl(template, version);
  source.setTiles([url]);
  // Browser tests wait for this before querying the refreshed features.
  document.body.dataset.gridTilesVersion = String(version);
  map.once('idle', () => {
    if (version === tilesVersion) source.setTiles([url]); // a later save has its own refresh
  });
  map.triggerRepaint();
}
