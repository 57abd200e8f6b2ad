/**
 * 党群服务中心 CRUD. 400: malformed input (field errors); 422: well-formed but
 * contradicting the data (unknown region, wrong level, outside the city); 404: unknown id.
 * Every write is one transaction that also drops the centre's cached isochrones and
 * records before/after in audit_log (who may write is decided by server/auth/policy.ts).
 */
import { zValidator } from '@hono/zod-validator';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { withinJurisdiction } from '../../kernel/roles';
import {
  CentreNotFound,
  CentreRejected,
  centreLevel,
  createCentre,
  createCentreBody,
  deleteCentre,
  getCentre,
  listCentres,
  updateCentre,
  updateCentreBody,
} from '../coverage/centres';
import { parseJsonBody, regionCodeParam } from '../coverage/requestInput';
import { integerString } from '../http/params';
import { invalidInput, notFound, problem } from '../http/problem';

const idParam = z.object({ id: integerString('id', 1, 2_147_483_647) });
const listQuery = z.object({ level: centreLevel.optional(), region: regionCodeParam.optional() });

/** The signed-in user (access control has already admitted them for writes). */
function actorOf(c: Context<AppEnv>): string {
  return c.var.user?.username ?? '(未登录)';
}

/** Admins manage every centre; planners those whose region lies in their jurisdiction. */
function outsideJurisdiction(c: Context<AppEnv>, ...regionCodes: (string | null | undefined)[]) {
  const user = c.var.user;
  const outside = regionCodes.filter((code): code is string => !!code).find((code) => !user || !withinJurisdiction(user, code));
  if (outside === undefined) return null;
  return problem(c, 403, '无权限', `您的辖区（${user?.jurisdictionCode ?? '无'}）不包括 ${outside} 的党群服务中心`);
}

function writeFailure(c: Context<AppEnv>, e: unknown) {
  if (e instanceof CentreRejected) return problem(c, 422, '数据校验未通过', e.message, { errors: e.errors });
  if (e instanceof CentreNotFound) return notFound(c, e.message);
  throw e;
}

export const centresRoute = new Hono<AppEnv>()
  .get('/', zValidator('query', listQuery, invalidInput), async (c) => {
    const features = await listCentres(c.var.db, c.req.valid('query'));
    return c.json({ type: 'FeatureCollection' as const, features }, 200);
  })
  .post('/', async (c) => {
    const parsed = await parseJsonBody(c, createCentreBody);
    if ('response' in parsed) return parsed.response;
    const refused = outsideJurisdiction(c, parsed.data.regionCode);
    if (refused) return refused;
    try {
      return c.json(await createCentre(c.var.db, parsed.data, actorOf(c)), 201);
    } catch (e) {
      return writeFailure(c, e);
    }
  })
  .get('/:id', zValidator('param', idParam, invalidInput), async (c) => {
    const { id } = c.req.valid('param');
    const centre = await getCentre(c.var.db, id);
    if (!centre) return notFound(c, `党群服务中心 ${id} 不存在`);
    return c.json(centre, 200);
  })
  .patch('/:id', zValidator('param', idParam, invalidInput), async (c) => {
    const { id } = c.req.valid('param');
    const parsed = await parseJsonBody(c, updateCentreBody);
    if ('response' in parsed) return parsed.response;
    const existing = await getCentre(c.var.db, id);
    if (!existing) return notFound(c, `党群服务中心 ${id} 不存在`);
    const refused = outsideJurisdiction(c, existing.properties.regionCode, parsed.data.regionCode);
    if (refused) return refused;
    try {
      return c.json(await updateCentre(c.var.db, id, parsed.data, actorOf(c)), 200);
    } catch (e) {
      return writeFailure(c, e);
    }
  })
  .delete('/:id', zValidator('param', idParam, invalidInput), async (c) => {
    const { id } = c.req.valid('param');
    const existing = await getCentre(c.var.db, id);
    if (!existing) return notFound(c, `党群服务中心 ${id} 不存在`);
    const refused = outsideJurisdiction(c, existing.properties.regionCode);
    if (refused) return refused;
    try {
      await deleteCentre(c.var.db, id, actorOf(c));
      return c.body(null, 204);
    } catch (e) {
      return writeFailure(c, e);
    }
  });
