/**
 * Which XYZ tiles cover a lon/lat box at a list of zooms: 网格通's 下载离线底图 fetches
 * exactly these for the union bbox of my grids, so the phone has the basemap and grid
 * tiles for the field. Pure so the counts are unit-tested. A cap keeps a wrong bbox from
 * fetching a city: deeper zooms that would pass it are left out whole (the map over-zooms
 * the last one kept) rather than cut off half-way through a zoom.
 */
import type { Bbox } from './bbox';
import { tileForLonLat } from './webMercator';

/** Web Mercator's latitude limit: tiles do not go beyond it. */
const MAX_LAT = 85.0511;

export interface TileCover {
  /** "z/x/y", zoom by zoom, rows of x then y. */
  tiles: string[];
  /** The zooms fully covered (a prefix of the asked zooms). */
  zooms: number[];
  /** The asked zooms left out by the cap. */
  dropped: number[];
}

/** The x/y range of tiles at `z` covering the box. */
export function tileRange([w, s, e, n]: Bbox, z: number): { x0: number; x1: number; y0: number; y1: number } {
  const clamp = (lat: number) => Math.max(-MAX_LAT, Math.min(MAX_LAT, lat));
  const nw = tileForLonLat(z, w, clamp(n));
  const se = tileForLonLat(z, e, clamp(s));
  return { x0: nw.x, x1: se.x, y0: nw.y, y1: se.y };
}

/** Tiles covering `bbox` at `zooms` (ascending), at most `maxTiles` in all. */
export function tileCover(bbox: Bbox, zooms: readonly number[], maxTiles: number): TileCover {
  const out: TileCover = { tiles: [], zooms: [], dropped: [] };
  for (const z of [...zooms].sort((a, b) => a - b)) {
    const r = tileRange(bbox, z);
    const count = (r.x1 - r.x0 + 1) * (r.y1 - r.y0 + 1);
    if (out.dropped.length > 0 || out.tiles.length + count > maxTiles) {
      out.dropped.push(z);
      continue;
    }
    for (let x = r.x0; x <= r.x1; x++) for (let y = r.y0; y <= r.y1; y++) out.tiles.push(`${z}/${x}/${y}`);
    out.zooms.push(z);
  }
  return out;
}
