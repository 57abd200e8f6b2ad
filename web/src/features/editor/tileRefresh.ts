/**
 * After a save the grid tiles must show the new shapes at once: bump a `?v=` on the
 * tile URL so MapLibre drops its tile cache and refetches (the server sends no-cache).
 *
 * The new URL is set once the map is idle. MapLibre pauses a source while one of its
 * layers changes (the editor re-filters its grid layers right after a save), and a
 * setTiles landing in that window is downgraded on resume to re-parsing the tiles it
 * already holds — the old shapes. At idle no layer change is pending, so the tiles
 * are refetched. The repaint makes an already idle map reach 'idle' again.
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
  map.once('idle', () => {
    if (version !== tilesVersion) return; // a later save has its own refresh queued
    source.setTiles([versionedTileUrl(template, version)]);
    // Browser tests wait for this before querying the refreshed features.
    document.body.dataset.gridTilesVersion = String(version);
  });
  map.triggerRepaint();
}
