/**
 * GET /tiles/{set}/{z}/{x}/{y}.mvt: vector tiles of the grids and of the offline
 * basemap. The tile sets and their SQL are in server/tiles/; binary bodies, so
 * this is the one router here answering with c.body rather than c.json.
 * Rendered tiles come from the tile cache when held (server/tiles/tileCache.ts);
 * every answer carries an ETag, and If-None-Match answers 304 without a body.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { ensureAreas } from '../grids/gridWrites';
import { integerString } from '../http/params';
import { invalidInput } from '../http/problem';
import { TILE_SETS, type TileSetName } from '../tiles/layers';
import { renderTile } from '../tiles/renderTile';
import { defaultRenderSlots, renderSlots, type RenderSlots } from '../tiles/renderSlots';
import { etagOf, type CachedTile, type TileCache } from '../tiles/tileCache';
import { MAX_TILE_ZOOM } from '../../kernel/webMercator';

export const MVT_CONTENT_TYPE = 'application/vnd.mapbox-vector-tile';

export const tileParams = z
  .object({
    set: z.enum(Object.keys(TILE_SETS) as [TileSetName, ...TileSetName[]], { message: `图层应为 ${Object.keys(TILE_SETS).join(' 或 ')}` }),
    z: integerString('z', 0, MAX_TILE_ZOOM),
    x: integerString('x', 0, 2 ** MAX_TILE_ZOOM - 1),
    y: z
      .string()
      .regex(/^\d{1,9}\.mvt$/, 'y 应为整数并以 .mvt 结尾')
      .transform((s) => Number(s.slice(0, -4))),
  })
  .superRefine((p, ctx) => {
    const n = 2 ** p.z;
    if (p.x >= n) ctx.addIssue({ code: 'custom', path: ['x'], message: `在 z=${p.z} 时 x 应小于 ${n}` });
    if (p.y >= n) ctx.addIssue({ code: 'custom', path: ['y'], message: `在 z=${p.z} 时 y 应小于 ${n}` });
  });

/** If-None-Match names this ETag (a list, weak forms and `*` included). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}

type TileAddress = z.output<typeof tileParams>;

/**
 * The well-formed address of every map request, read by hand: the schema's parse costs about as
 * much as a tile's whole HTTP path should (~0.05 ms of a ~0.4 ms budget). Anything else is null
 * and goes to the schema, whose messages the client gets.
 */
export function quickTileAddress(p: Record<string, string>): TileAddress | null {
  const set = p.set as TileSetName;
  if (!Object.hasOwn(TILE_SETS, set) || !/^\d{1,2}$/.test(p.z ?? '') || !/^\d{1,9}$/.test(p.x ?? '') || !/^\d{1,9}\.mvt$/.test(p.y ?? '')) return null;
  const zoom = Number(p.z);
  const n = 2 ** zoom;
  const x = Number(p.x);
  const y = Number((p.y as string).slice(0, -4));
  return zoom <= MAX_TILE_ZOOM && x < n && y < n ? { set, z: zoom, x, y } : null;
}

export const tilesRoute = (cache: TileCache | null, slots: RenderSlots = renderSlots(defaultRenderSlots())) =>
  new Hono<AppEnv>().get('/:set/:z/:x/:y', async (c) => {
    const params = c.req.param();
    const parsed = quickTileAddress(params) ?? tileParams.safeParse(params);
    if ('success' in parsed && !parsed.success) return invalidInput(parsed, c) as Response;
    const { set, z: zoom, x, y } = 'success' in parsed ? (parsed.data as TileAddress) : parsed;
    // Generalised areas are built once per database, when missing or stale (no-op afterwards).
    await ensureAreas(c.var.db);
    let tile: CachedTile | undefined = cache?.get(set, zoom, x, y);
    const hit = tile !== undefined;
    if (!tile) {
      const stamp = cache?.stamp ?? 0;
      const body = await slots.run(() => renderTile(c.var.db, TILE_SETS[set], zoom, x, y));
      tile = { body, etag: etagOf(body) };
      cache?.put(set, zoom, x, y, tile, stamp);
    }
    // Edits must show at once: browsers revalidate on every use, which the ETag makes a cheap 304.
    // nosniff is the one security header data needs; the document policies are left out for tiles (server/http/hardening.ts).
    const headers = { 'Content-Type': MVT_CONTENT_TYPE, 'Cache-Control': 'private, no-cache', ETag: tile.etag, 'X-Tile-Cache': hit ? 'hit' : 'miss', 'X-Content-Type-Options': 'nosniff' };
    if (etagMatches(c.req.header('if-none-match'), tile.etag)) return c.body(null, 304, headers);
    return c.body(tile.body as Uint8Array<ArrayBuffer>, 200, headers);
  });
