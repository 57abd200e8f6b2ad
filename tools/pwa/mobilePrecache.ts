/**
 * What 网格通's service worker (/m) keeps offline. The build holds both apps, but a phone
 * on a 1.6 Mbit/s link must not download the desktop pages: the precache list is cut
 * down to m.html, the files it references and, transitively, every asset those files
 * name (static and lazy chunks, CSS, the map worker) — found by reading the written
 * files, so it follows whatever chunk names the bundler chose. Basemap and grid tiles
 * and my grids' answers are cached at run time (MOBILE_RUNTIME_CACHING).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Plugin } from 'vite';

/** `assets/x-abc.js` as it appears in HTML (`/assets/…`) and in chunks (`./x-abc.js`, `assets/x.js`). */
const ASSET_REF = /(?:\/|\.\/|\b)(assets\/)?([\w.-]+\.(?:js|css|mjs|wasm|woff2?|png|svg))\b/g;

/** The assets reachable from `start` (a file name relative to `dir`), start included. */
export function reachableAssets(dir: string, start: string, read = (file: string) => readFileSync(join(dir, file), 'utf8')): Set<string> {
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file) || !existsSync(join(dir, file))) continue;
    seen.add(file);
    if (!/\.(?:html|js|mjs|css)$/.test(file)) continue;
    for (const match of read(file).matchAll(ASSET_REF)) {
      const candidate = `assets/${match[2]}`;
      if (!seen.has(candidate)) stack.push(candidate);
    }
  }
  return seen;
}

interface Entry {
  url: string;
  revision: string | null;
  size: number;
}

/** A plugin that learns the build's folder, and the workbox transform keeping only /m's files. */
export function mobilePrecache() {
  let outDir = '';
  const plugin: Plugin = {
    name: 'mobile-precache',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
  };
  const transform = (entries: Entry[]) => {
    const keep = reachableAssets(outDir, 'm.html');
    return { manifest: entries.filter((e) => keep.has(e.url) || e.url.startsWith('m/')), warnings: [] };
  };
  return { plugin, transform };
}

const DAY = 24 * 3600;

/**
 * Tiles: the offline basemap CacheFirst (下载离线底图 fills it; roads barely change); grid tiles
 * StaleWhileRevalidate in the same cache — shown at once and offline, refreshed behind the view, so
 * a planner's boundary edit reaches the phone on the next look instead of after 30 days.
 * My grids' answers NetworkFirst.
 */
const TILE_CACHE = { cacheName: 'm-tiles', expiration: { maxEntries: 4000, maxAgeSeconds: 30 * DAY }, cacheableResponse: { statuses: [0, 200] } };
export const MOBILE_RUNTIME_CACHING = [
  {
    urlPattern: ({ url }: { url: URL }) => url.pathname.startsWith('/tiles/base/'),
    handler: 'CacheFirst' as const,
    options: TILE_CACHE,
  },
  {
    urlPattern: ({ url }: { url: URL }) => url.pathname.startsWith('/tiles/grids/'),
    handler: 'StaleWhileRevalidate' as const,
    options: TILE_CACHE,
  },
  {
    urlPattern: ({ url }: { url: URL }) => ['/api/me/grids', '/api/incidents/categories', '/api/config'].includes(url.pathname),
    handler: 'NetworkFirst' as const,
    options: { cacheName: 'm-api', networkTimeoutSeconds: 5, expiration: { maxEntries: 20, maxAgeSeconds: 30 * DAY } },
  },
];
