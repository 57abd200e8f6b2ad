/**
 * 下载离线底图: the basemap and grid tiles covering my grids' bounds (plus a margin) for
 * zooms 12–16 (16 is the tiles' own maximum; MapLibre over-zooms beyond), fetched once so
 * the service worker's tile cache (CacheFirst, tools/pwa) holds them for the field.
 */
import { tileForLonLat } from '../../../../kernel/webMercator';

export const OFFLINE_ZOOMS = [12, 13, 14, 15, 16] as const;
/** Never more than this many tiles per set (a grid is small; a wrong bbox must not fetch a city). */
export const MAX_TILES = 800;

export function tilesFor([west, south, east, north]: [number, number, number, number], zooms: readonly number[] = OFFLINE_ZOOMS, marginDeg = 0.003): string[] {
  const out: string[] = [];
  for (const z of zooms) {
    const a = tileForLonLat(z, west - marginDeg, north + marginDeg);
    const b = tileForLonLat(z, east + marginDeg, south - marginDeg);
    for (let x = a.x; x <= b.x; x++)
      for (let y = a.y; y <= b.y; y++) {
        if (out.length >= MAX_TILES) return out;
        out.push(`${z}/${x}/${y}`);
      }
  }
  return out;
}

/** Fetches every tile (4 at a time); reports progress; resolves to how many failed. */
export async function downloadTiles(bbox: [number, number, number, number], onProgress: (done: number, total: number) => void): Promise<number> {
  const urls = tilesFor(bbox).flatMap((t) => [`/tiles/base/${t}.mvt`, ...(Number(t.split('/')[0]) >= 13 ? [`/tiles/grids/${t}.mvt`] : [])]);
  let done = 0;
  let failed = 0;
  const queue = [...urls];
  const worker = async () => {
    for (let url = queue.shift(); url; url = queue.shift()) {
      const ok = await fetch(url, { credentials: 'same-origin' }).then(
        (r) => r.ok || r.status === 204,
        () => false,
      );
      if (!ok) failed++;
      onProgress(++done, urls.length);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return failed;
}
