/**
 * 下载离线底图: the basemap and grid tiles covering the union bbox of my grids (the
 * server's /api/me/grids bbox: their extent plus a margin of about 500 m) at zooms 12–16
 * (16 is the tiles' own maximum; MapLibre over-zooms beyond), fetched once so the
 * service worker's tile cache (CacheFirst, tools/pwa/mobilePrecache.ts) holds them for
 * the field. The tile list is kernel/tileCover.ts; here it is fetched with progress,
 * counting tiles and bytes.
 */
import type { Bbox } from '../../../../kernel/bbox';
import { tileCover } from '../../../../kernel/tileCover';

export const OFFLINE_ZOOMS = [12, 13, 14, 15, 16] as const;
/** Never more than this many tiles per set (a grid is small; a wrong bbox must not fetch a city). */
export const MAX_TILES = 800;
/** The service worker's runtime cache of tiles (tools/pwa/mobilePrecache.ts names it). */
const TILE_CACHE = 'm-tiles';

export interface OfflinePlan {
  urls: string[];
  zooms: number[];
  dropped: number[];
}

/** Every basemap and grid tile URL of the bbox at the offline zooms. */
export function offlinePlan(bbox: Bbox, zooms: readonly number[] = OFFLINE_ZOOMS): OfflinePlan {
  const cover = tileCover(bbox, zooms, MAX_TILES);
  return { urls: cover.tiles.flatMap((t) => [`/tiles/base/${t}.mvt`, `/tiles/grids/${t}.mvt`]), zooms: cover.zooms, dropped: cover.dropped };
}

export interface Progress {
  done: number;
  total: number;
  failed: number;
  bytes: number;
}

/**
 * Fetches every tile (4 at a time) and reports progress. A page the service worker
 * controls has each answer cached by it; without one (first visit, before it took
 * over) the answer is put into the same cache here, so it is there either way.
 */
export async function downloadTiles(plan: OfflinePlan, onProgress: (p: Progress) => void): Promise<Progress> {
  const progress: Progress = { done: 0, total: plan.urls.length, failed: 0, bytes: 0 };
  const controlled = Boolean(navigator.serviceWorker?.controller);
  const cache = !controlled && 'caches' in window ? await caches.open(TILE_CACHE).catch(() => null) : null;
  const queue = [...plan.urls];
  const one = async (url: string) => {
    try {
      const res = await fetch(url, { credentials: 'same-origin' });
      if (!res.ok) return false;
      if (cache) await cache.put(url, res.clone());
      progress.bytes += (await res.arrayBuffer()).byteLength;
      return true;
    } catch {
      return false;
    }
  };
  const worker = async () => {
    for (let url = queue.shift(); url; url = queue.shift()) {
      if (!(await one(url))) progress.failed++;
      progress.done++;
      onProgress({ ...progress });
    }
  };
  onProgress({ ...progress });
  await Promise.all([worker(), worker(), worker(), worker()]);
  return progress;
}

/** 1.2 MB, 340 KB. */
export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
