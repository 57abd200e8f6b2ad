/**
 * Why: rendering a tile costs a database round trip and MVT encoding, while most requests
 * ask for the same tiles again. Rendered tiles are kept in memory (LRU bounded in bytes,
 * TILE_CACHE_MB) and optionally on disk (TILE_CACHE_DIR, a second tier beyond the memory
 * bound), each with a strong ETag for If-None-Match. Grid writes evict exactly the tiles
 * whose (buffered) bounds meet a changed extent, at every zoom (server/grids/gridWrites.ts).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DbHandle } from '../../db/client';
import type { Bbox } from '../../kernel/bbox';
import { TILE_BUFFER, TILE_EXTENT, tileBounds, toLonLat } from '../../kernel/webMercator';
import { onGridWrite, type GridChange } from '../grids/gridWrites';
import { GRID_DETAIL_ZOOM, shownAt, TILE_SETS, type TileContext, type TileLayer, type TileSetName } from './layers';
import { tileContextOf } from './generalise';

export interface CachedTile {
  body: Uint8Array;
  etag: string;
}

export interface TileCacheOptions {
  /** Memory bound in bytes (bodies); 0 keeps nothing in memory. */
  maxBytes: number;
  /**
   * Folder for the disk tier. Tiles go to its subfolder `dangjian-tiles`, which is emptied on
   * start (its tiles may predate writes made while the server was down); nothing else is touched.
   */
  dir?: string | null;
}

export const etagOf = (body: Uint8Array) => `"${createHash('sha1').update(body).digest('base64url')}"`;

/** The tile's WGS84 bounds widened by the render buffer: what may show in it. */
export function tileLonLatBounds(z: number, x: number, y: number): Bbox {
  const b = tileBounds(z, x, y);
  const m = (TILE_BUFFER / TILE_EXTENT) * (b.xmax - b.xmin);
  const [w, s] = toLonLat(b.xmin - m, b.ymin - m);
  const [e, n] = toLonLat(b.xmax + m, b.ymax + m);
  return [w, s, e, n];
}

const meets = (a: Bbox, b: Bbox) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

/** Does `change` make the tile stale? Each layer shown at z says which extents it follows. */
export function tileTouchedBy(layers: readonly TileLayer[], z: number, x: number, y: number, change: GridChange, ctx: TileContext): boolean {
  if (change.all) return layers.some((l) => l.changesWith);
  let bounds: Bbox | null = null;
  for (const layer of layers) {
    if (!layer.changesWith || !shownAt(layer, z, ctx)) continue;
    const extents = change[layer.changesWith];
    if (extents.length === 0) continue;
    bounds ??= tileLonLatBounds(z, x, y);
    if (extents.some((e) => meets(e, bounds as Bbox))) return true;
  }
  return false;
}

interface Entry extends CachedTile {
  set: TileSetName;
  z: number;
  x: number;
  y: number;
}

export class TileCache {
  private readonly memory = new Map<string, Entry>();
  private readonly onDisk = new Map<string, { set: TileSetName; z: number; x: number; y: number; etag: string }>();
  private bytes = 0;
  /** Bumped by every invalidation: a render that started before one is not stored. */
  private generation = 0;
  hits = 0;
  misses = 0;

  private readonly dir: string | null;

  /** The dataset's tile context (which layers a zoom shows), for deciding what a change reaches. */
  context: () => TileContext = () => ({ detailZoom: GRID_DETAIL_ZOOM });

  constructor(private readonly options: TileCacheOptions) {
    this.dir = options.dir ? join(options.dir, 'dangjian-tiles') : null;
    if (this.dir) {
      rmSync(this.dir, { recursive: true, force: true });
      mkdirSync(this.dir, { recursive: true });
    }
  }

  get maxBytes() {
    return this.options.maxBytes;
  }
  get sizeBytes() {
    return this.bytes;
  }
  get size() {
    return this.memory.size;
  }
  get stamp() {
    return this.generation;
  }

  get(set: TileSetName, z: number, x: number, y: number): CachedTile | undefined {
    const key = `${set}/${z}/${x}/${y}`;
    const entry = this.memory.get(key);
    if (entry) {
      // Map order is recency order: move to the end.
      this.memory.delete(key);
      this.memory.set(key, entry);
      this.hits++;
      return entry;
    }
    const disk = this.onDisk.get(key);
    if (disk && this.dir) {
      try {
        const body = new Uint8Array(readFileSync(join(this.dir, `${key}.mvt`)));
        this.hits++;
        this.remember(key, { ...disk, body });
        return { body, etag: disk.etag };
      } catch {
        this.onDisk.delete(key);
      }
    }
    this.misses++;
    return undefined;
  }

  /** Stores a tile rendered from data as of `stamp` (read before rendering); skipped when a write came in between. */
  put(set: TileSetName, z: number, x: number, y: number, tile: CachedTile, stamp: number): void {
    if (stamp !== this.generation) return;
    const key = `${set}/${z}/${x}/${y}`;
    this.remember(key, { ...tile, set, z, x, y });
    if (this.dir) {
      const file = join(this.dir, `${key}.mvt`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, tile.body);
      this.onDisk.set(key, { set, z, x, y, etag: tile.etag });
    }
  }

  private remember(key: string, entry: Entry): void {
    const old = this.memory.get(key);
    if (old) {
      this.bytes -= old.body.byteLength;
      this.memory.delete(key);
    }
    if (entry.body.byteLength > this.options.maxBytes) return;
    this.memory.set(key, entry);
    this.bytes += entry.body.byteLength;
    for (const [k, e] of this.memory) {
      if (this.bytes <= this.options.maxBytes) break;
      this.memory.delete(k);
      this.bytes -= e.body.byteLength;
    }
  }

  /** Drops every tile the change makes stale, in memory and on disk. Returns how many. */
  invalidate(change: GridChange): number {
    this.generation++;
    const ctx = this.context();
    let dropped = 0;
    for (const [key, e] of this.memory) {
      if (tileTouchedBy(TILE_SETS[e.set], e.z, e.x, e.y, change, ctx)) {
        this.memory.delete(key);
        this.bytes -= e.body.byteLength;
        dropped++;
      }
    }
    for (const [key, e] of this.onDisk) {
      if (tileTouchedBy(TILE_SETS[e.set], e.z, e.x, e.y, change, ctx)) {
        this.onDisk.delete(key);
        try {
          unlinkSync(join(this.dir as string, `${key}.mvt`));
        } catch {
          // already gone
        }
      }
    }
    return dropped;
  }

  /** Whether a tile is held in memory, without touching its recency. */
  inMemory(set: TileSetName, z: number, x: number, y: number): boolean {
    return this.memory.has(`${set}/${z}/${x}/${y}`);
  }

  /** Whether a tile is held (memory or disk), without touching its recency. */
  has(set: TileSetName, z: number, x: number, y: number): boolean {
    const key = `${set}/${z}/${x}/${y}`;
    return this.memory.has(key) || this.onDisk.has(key);
  }
}

/** TILE_CACHE_MB (default 64; 0 turns the cache off) and TILE_CACHE_DIR (unset: memory only). */
export function tileCacheFromEnv(env: NodeJS.ProcessEnv = process.env): TileCacheOptions | null {
  const mb = env.TILE_CACHE_MB === undefined || env.TILE_CACHE_MB === '' ? 64 : Number(env.TILE_CACHE_MB);
  const dir = env.TILE_CACHE_DIR || null;
  if (!Number.isFinite(mb) || mb < 0) throw new Error(`TILE_CACHE_MB 应为非负数（MB），而不是 ${env.TILE_CACHE_MB}`);
  if (mb === 0 && !dir) return null;
  return { maxBytes: Math.round(mb * 1024 * 1024), dir };
}

/** A cache that follows the grid writes on `handle`: every committed write evicts what it made stale. */
export function followingCache(handle: DbHandle, options: TileCacheOptions): TileCache {
  const cache = new TileCache(options);
  cache.context = () => tileContextOf(handle);
  onGridWrite(handle, (change) => cache.invalidate(change));
  return cache;
}

const shared = new WeakMap<DbHandle, TileCache | null>();

/** The process's cache for one database, configured from the environment. */
export function sharedTileCache(handle: DbHandle): TileCache | null {
  if (!shared.has(handle)) {
    const options = tileCacheFromEnv();
    shared.set(handle, options ? followingCache(handle, options) : null);
  }
  return shared.get(handle) ?? null;
}
