/**
 * GET /tiles/{set}/{z}/{x}/{y}.mvt: vector tiles of the grids and of the offline
 * basemap. The tile sets and their SQL are in server/tiles/; binary bodies, so
 * this is the one router here answering with c.body rather than c.json.
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { integerString } from '../http/params';
import { invalidInput } from '../http/problem';
import { TILE_SETS, type TileSetName } from '../tiles/layers';
import { renderTile } from '../tiles/renderTile';
import { MAX_TILE_ZOOM } from '../../kernel/webMercator';

export const MVT_CONTENT_TYPE = 'application/vnd.mapbox-vector-tile';

const tileParams = z
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

export const tilesRoute = new Hono<AppEnv>().get('/:set/:z/:x/:y', zValidator('param', tileParams, invalidInput), async (c) => {
  const { set, z: zoom, x, y } = c.req.valid('param');
  const tile = await renderTile(c.var.db, TILE_SETS[set], zoom, x, y);
  // Edits must show at once, so caches revalidate on every use.
  return c.body(tile as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': MVT_CONTENT_TYPE, 'Cache-Control': 'no-cache' });
});
