/**
 * /api/party — the 党建 of the map: organisations (tree, 组建率), estates (GeoJSON with the
 * service-space norm), a grid's people (organisation, roster, 1+1带N) and roster photos.
 * Reading for every signed-in user (personal data per PERSONAL_DATA_POLICY); photo upload
 * for editors of the grid's area (server/auth/policy.ts, then server/party/roster.ts).
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { bboxParam, integerString } from '../http/params';
import { invalidInput } from '../http/problem';
import { listEstates } from '../party/estates';
import { formationRates } from '../party/formation';
import { listOrgs } from '../party/orgTree';
import { gridPeople, putRosterPhoto, rosterPhoto } from '../party/roster';

const regionQuery = z.object({
  region: z
    .string()
    .regex(/^(\d{6}|\d{9}|\d{12})$/, '区域应为 6、9 或 12 位区划代码')
    .optional(),
});
const estateQuery = z.object({
  bbox: bboxParam.optional(),
  region: z
    .string()
    .regex(/^(\d{6}|\d{9}|\d{12})$/, '区域应为 6、9 或 12 位区划代码')
    .optional(),
  belowNorm: z.enum(['true', 'false'], { message: 'belowNorm 应为 true 或 false' }).optional(),
  limit: integerString('limit', 1, 5000).optional(),
});
const gridParam = z.object({ code: z.string().regex(/^\d{15}$/, '网格编码应为 15 位数字') });
const idParam = z.object({ id: integerString('id', 1, 2_000_000_000) });

export const partyRoute = new Hono<AppEnv>()
  .get('/orgs', zValidator('query', regionQuery, invalidInput), async (c) => c.json(await listOrgs(c.var.db, c.var.user, c.req.valid('query').region ?? null), 200))
  .get('/formation', zValidator('query', regionQuery, invalidInput), async (c) => c.json(await formationRates(c.var.db, c.req.valid('query').region ?? null), 200))
  .get('/estates', zValidator('query', estateQuery, invalidInput), async (c) => {
    const q = c.req.valid('query');
    return c.json(await listEstates(c.var.db, { bbox: q.bbox ?? null, region: q.region ?? null, belowNorm: q.belowNorm === 'true', limit: q.limit ?? 2000 }), 200);
  })
  .get('/grids/:code/people', zValidator('param', gridParam, invalidInput), async (c) => c.json(await gridPeople(c.var.db, c.var.user, c.req.valid('param').code), 200))
  .get('/roster/:id/photo', zValidator('param', idParam, invalidInput), async (c) => {
    const photo = await rosterPhoto(c.var.db, c.var.user, null, c.req.valid('param').id);
    return c.body(photo.data as unknown as ArrayBuffer, 200, { 'Content-Type': photo.mime, 'Cache-Control': 'private, max-age=600', 'X-Content-Type-Options': 'nosniff' });
  })
  .put('/roster/:id/photo', zValidator('param', idParam, invalidInput), async (c) => c.json(await putRosterPhoto(c.var.db, c.var.user, c.req.valid('param').id, new Uint8Array(await c.req.arrayBuffer())), 200));
