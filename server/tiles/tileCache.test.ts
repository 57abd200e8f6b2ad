/**
 * Why: the cache's bookkeeping (byte bound, recency, disk tier, which tiles a change
 * reaches) decides what the server may answer without the database; checked here without one.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { detailZoomFor } from './generalise';
import { TILE_SETS } from './layers';
import { TileCache, tileCacheFromEnv, tileLonLatBounds, tileTouchedBy } from './tileCache';
import { tileForLonLat } from '../../kernel/webMercator';

const CTX = { detailZoom: 13 };
const tile = (n: number, fill = 1) => ({ body: new Uint8Array(n).fill(fill), etag: `"${n}-${fill}"` });
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('TileCache', () => {
  it('keeps at most maxBytes, dropping the least recently used first', () => {
    const cache = new TileCache({ maxBytes: 300 });
    cache.put('grids', 14, 1, 1, tile(100), cache.stamp);
    cache.put('grids', 14, 1, 2, tile(100), cache.stamp);
    cache.put('grids', 14, 1, 3, tile(100), cache.stamp);
    expect(cache.get('grids', 14, 1, 1)?.etag).toBe('"100-1"');
    cache.put('grids', 14, 1, 4, tile(100), cache.stamp);
    expect(cache.sizeBytes).toBeLessThanOrEqual(300);
    expect([1, 2, 3, 4].map((y) => cache.has('grids', 14, 1, y))).toEqual([true, false, true, true]);
    // A tile larger than the whole bound is served but never held.
    cache.put('grids', 14, 1, 5, tile(400), cache.stamp);
    expect(cache.has('grids', 14, 1, 5)).toBe(false);
  });

  it('spills to the disk tier and evicts there too, inside its own subfolder only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tilecache-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'keep.txt'), 'not ours');
    const cache = new TileCache({ maxBytes: 150, dir });
    expect(existsSync(join(dir, 'keep.txt'))).toBe(true);
    const { x, y } = tileForLonLat(14, 110.155, 22.64);
    cache.put('grids', 14, x, y, tile(100, 7), cache.stamp);
    cache.put('grids', 14, x + 5, y, tile(100), cache.stamp);
    expect(cache.inMemory('grids', 14, x, y)).toBe(false);
    const back = cache.get('grids', 14, x, y);
    expect(back?.etag).toBe('"100-7"');
    expect([...(back?.body ?? [])].every((b) => b === 7)).toBe(true);
    const [w, s, e, n] = tileLonLatBounds(14, x, y);
    cache.invalidate({ grid: [[(w + e) / 2, (s + n) / 2, (w + e) / 2, (s + n) / 2]], community: [], street: [] });
    expect(cache.has('grids', 14, x, y)).toBe(false);
    expect(existsSync(join(dir, 'dangjian-tiles', 'grids', '14', String(x), `${y}.mvt`))).toBe(false);
    expect(cache.has('grids', 14, x + 5, y)).toBe(true);
  });

  it('a change reaches a layer only through the extents it follows, at the zooms it is served', () => {
    const { x, y } = tileForLonLat(11, 110.155, 22.64);
    const [w, s, e, n] = tileLonLatBounds(11, x, y);
    const inside: [number, number, number, number] = [(w + e) / 2, (s + n) / 2, (w + e) / 2 + 1e-4, (s + n) / 2 + 1e-4];
    const layers = TILE_SETS.grids;
    // z11 shows community areas: a grid's own extent does not make it stale, its community's does.
    expect(tileTouchedBy(layers, 11, x, y, { grid: [inside], community: [], street: [] }, CTX)).toBe(false);
    expect(tileTouchedBy(layers, 11, x, y, { grid: [], community: [inside], street: [] }, CTX)).toBe(true);
    expect(tileTouchedBy(layers, 11, x, y, { grid: [], community: [], street: [inside] }, CTX)).toBe(false);
    // The basemap follows no grid write; `all` (data reloaded) reaches every grid tile.
    expect(tileTouchedBy(TILE_SETS.base, 11, x, y, { grid: [inside], community: [inside], street: [inside], all: true }, CTX)).toBe(false);
    expect(tileTouchedBy(layers, 11, x + 40, y, { grid: [], community: [], street: [], all: true }, CTX)).toBe(true);
  });

  it('puts the legible zoom where a median grid spans 12 screen pixels', () => {
    // ~200 m grids (30,000 in the sample's city) from z13, ~65 m grids (300,000) from z14.
    expect(detailZoomFor(42_000, 22.6)).toBe(13);
    expect(detailZoomFor(4_200, 22.6)).toBe(14);
    expect(detailZoomFor(10, 22.6)).toBe(16);
  });

  it('reads TILE_CACHE_MB and TILE_CACHE_DIR', () => {
    expect(tileCacheFromEnv({})).toEqual({ maxBytes: 64 * 1024 * 1024, dir: null });
    expect(tileCacheFromEnv({ TILE_CACHE_MB: '0' })).toBeNull();
    expect(tileCacheFromEnv({ TILE_CACHE_MB: '1.5', TILE_CACHE_DIR: '/tmp/x' })).toEqual({ maxBytes: 1572864, dir: '/tmp/x' });
    expect(() => tileCacheFromEnv({ TILE_CACHE_MB: 'lots' })).toThrow();
  });
});
