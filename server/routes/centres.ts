/**
 * 阵地 CRUD (every kind: ?kind=red_station …; ?level=, ?region= prefix, ?q= part of the name). The list
 * says per facility whether the signed-in user may change it (`editable`), its norm check and its
 * walking circles' state, and the background job's state (`circleJob`); GET /place?lon=&lat= names the
 * regions at a point (placing a new one by a click on the map). 400: malformed input (field errors); 403: a region outside the
 * planner's jurisdiction; 422: well-formed but contradicting the data (unknown region,
 * wrong level, outside the city); 404: unknown id. The records, their checks and the
 * writes (one transaction each, with the audit row) are server/coverage/centres.ts;
 * who may write at all is server/auth/policy.ts.
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { centrePlace } from '../coverage/centrePlace';
import { centreLevel, facilityKindParam, createCentre, createCentreBody, deleteCentre, facilityList, getCentre, updateCentre, updateCentreBody } from '../coverage/centres';
import { jsonBody, regionCodeParam } from '../coverage/requestInput';
import { integerString } from '../http/params';
import { invalidInput } from '../http/problem';

const idParam = z.object({ id: integerString('id', 1, 2_147_483_647) });
const listQuery = z.object({
  kind: facilityKindParam.optional(),
  level: centreLevel.optional(),
  region: regionCodeParam.optional(),
  q: z.string().max(100, '名称关键字不能超过 100 个字').optional(),
});
const coordinate = (field: string, limit: number) =>
  z
    .string()
    .regex(/^-?\d{1,3}(\.\d{1,17})?$/, `${field}应为数字`)
    .transform(Number)
    .refine((n) => Math.abs(n) <= limit, `${field}应在 -${limit} 到 ${limit} 之间`);
const placeQuery = z.object({ lon: coordinate('经度', 180), lat: coordinate('纬度', 90) });

export const centresRoute = new Hono<AppEnv>()
  .get('/', zValidator('query', listQuery, invalidInput), async (c) => c.json(await facilityList(c.var.db, c.req.valid('query'), c.var.user), 200))
  .get('/place', zValidator('query', placeQuery, invalidInput), async (c) => {
    const { lon, lat } = c.req.valid('query');
    return c.json(await centrePlace(c.var.db, [lon, lat], c.var.user), 200);
  })
  .post('/', jsonBody(createCentreBody), async (c) => c.json(await createCentre(c.var.db, c.req.valid('json'), c.var.user), 201))
  .get('/:id', zValidator('param', idParam, invalidInput), async (c) => c.json(await getCentre(c.var.db, c.req.valid('param').id), 200))
  .patch('/:id', zValidator('param', idParam, invalidInput), jsonBody(updateCentreBody), async (c) => c.json(await updateCentre(c.var.db, c.req.valid('param').id, c.req.valid('json'), c.var.user), 200))
  .delete('/:id', zValidator('param', idParam, invalidInput), async (c) => {
    await deleteCentre(c.var.db, c.req.valid('param').id, c.var.user);
    return c.body(null, 204);
  });
