/**
 * 阵地 CRUD (every kind: ?kind=red_station …). 400: malformed input (field errors); 403: a region outside the
 * planner's jurisdiction; 422: well-formed but contradicting the data (unknown region,
 * wrong level, outside the city); 404: unknown id. The records, their checks and the
 * writes (one transaction each, with the audit row) are server/coverage/centres.ts;
 * who may write at all is server/auth/policy.ts.
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { centreLevel, facilityKindParam, createCentre, createCentreBody, deleteCentre, getCentre, listCentres, updateCentre, updateCentreBody } from '../coverage/centres';
import { jsonBody, regionCodeParam } from '../coverage/requestInput';
import { integerString } from '../http/params';
import { invalidInput } from '../http/problem';

const idParam = z.object({ id: integerString('id', 1, 2_147_483_647) });
const listQuery = z.object({ kind: facilityKindParam.optional(), level: centreLevel.optional(), region: regionCodeParam.optional() });

export const centresRoute = new Hono<AppEnv>()
  .get('/', zValidator('query', listQuery, invalidInput), async (c) => c.json({ type: 'FeatureCollection' as const, features: await listCentres(c.var.db, c.req.valid('query')) }, 200))
  .post('/', jsonBody(createCentreBody), async (c) => c.json(await createCentre(c.var.db, c.req.valid('json'), c.var.user), 201))
  .get('/:id', zValidator('param', idParam, invalidInput), async (c) => c.json(await getCentre(c.var.db, c.req.valid('param').id), 200))
  .patch('/:id', zValidator('param', idParam, invalidInput), jsonBody(updateCentreBody), async (c) => c.json(await updateCentre(c.var.db, c.req.valid('param').id, c.req.valid('json'), c.var.user), 200))
  .delete('/:id', zValidator('param', idParam, invalidInput), async (c) => {
    await deleteCentre(c.var.db, c.req.valid('param').id, c.var.user);
    return c.body(null, 204);
  });
