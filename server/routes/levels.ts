/**
 * 微网格 and 专属网格: GET /api/levels?level=&kind=&parent=&community=&bbox= (GeoJSON),
 * POST /api/levels[?dryRun=&adjustSiblings=] (create; code from kernel/gridCode.ts), PUT /api/levels/:code[?dryRun=&adjustSiblings=]
 * (replace geometry/figures; body `version` is the one the editor started from, a stale one is a 409 with the stored shape;
 * with adjustSiblings a micro grid's siblings give up or take the area, so the base grid stays tiled), POST /api/levels/:code/revert
 * {toVersion, version}[?dryRun=&adjustSiblings=] (回退, the same validated write), GET /api/levels/:code/history and
 * GET /api/levels/:code/versions/:version (outlines before/after). Saves check the level's topology rules (server/grids/levelTopology.ts):
 * 422 with the violations; planners only inside their jurisdiction (403). Work in server/grids/subGrids.ts and subGridHistory.ts.
 */
import { zValidator } from '@hono/zod-validator';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { EXCLUSIVE_KINDS, GRID_CODE_PATTERN, MICRO_GRID_CODE_PATTERN, EXCLUSIVE_GRID_CODE_PATTERN } from '../../kernel/gridCode';
import { EditForbidden } from '../grids/editing';
import { polygonGeometry } from '../grids/geometryInput';
import { rulesFromEnv } from '../grids/rules';
import { subGridHistory, subGridVersionGeometry } from '../grids/subGridHistory';
import { listSubGrids, revertSubGrid, saveSubGrid, type SubGridSaveOptions } from '../grids/subGrids';
import { bboxParam, integerString, safeName } from '../http/params';
import { invalidInput } from '../http/problem';

const levelEnum = z.enum(['micro', 'exclusive'], { message: 'level 应为 micro（微网格）或 exclusive（专属网格）' });
const kindEnum = z.enum(EXCLUSIVE_KINDS, { message: `kind 应为 ${EXCLUSIVE_KINDS.join('、')}` });
const listQuery = z.object({
  level: levelEnum.optional(),
  kind: kindEnum.optional(),
  parent: z.string().regex(GRID_CODE_PATTERN, 'parent 应为 15 位基础网格编码').optional(),
  community: z
    .string()
    .regex(/^\d{12}$/, 'community 应为 12 位社区代码')
    .optional(),
  bbox: bboxParam.optional(),
  limit: integerString('limit', 1, 10000).optional(),
});
const dryRunQuery = z.object({
  dryRun: z.enum(['true', 'false'], { message: 'dryRun 应为 true 或 false' }).optional(),
  adjustSiblings: z.enum(['true', 'false'], { message: 'adjustSiblings 应为 true 或 false' }).optional(),
});
const body = z.object({
  level: levelEnum,
  parentGridCode: z.string().regex(GRID_CODE_PATTERN, 'parentGridCode 应为 15 位基础网格编码').optional(),
  kind: kindEnum.optional(),
  communityCode: z
    .string()
    .regex(/^\d{12}$/, 'communityCode 应为 12 位社区代码')
    .optional(),
  name: safeName('网格名称', 60),
  geometry: polygonGeometry,
  households: z.number().int().min(0).max(100_000).optional(),
  population: z.number().int().min(0).max(1_000_000).optional(),
});
const version = z.number({ message: 'version 应为整数' }).int('version 应为整数').min(1, 'version 应为正整数');
/** A reshape names the version it started from (optimistic locking, as for base grids). */
const updateBody = body.extend({ version });
const revertBody = z.object({ toVersion: version, version });
const codeParam = z.object({
  code: z.string().refine((s) => MICRO_GRID_CODE_PATTERN.test(s) || EXCLUSIVE_GRID_CODE_PATTERN.test(s), '编码应为 17 位微网格编码或 16 位专属网格编码'),
});

function saveOptions(c: Context<AppEnv>, query: { dryRun?: string; adjustSiblings?: string }): SubGridSaveOptions {
  const user = c.var.user;
  if (!user) throw new EditForbidden('请先登录');
  return { actor: user.displayName || user.username, user, rules: rulesFromEnv(), dryRun: query.dryRun === 'true', adjustSiblings: query.adjustSiblings === 'true' };
}

export const levelsRoute = new Hono<AppEnv>()
  .get('/', zValidator('query', listQuery, invalidInput), async (c) => {
    const { limit = 2000, ...filter } = c.req.valid('query');
    return c.json(await listSubGrids(c.var.db, filter, limit), 200);
  })
  .post('/', zValidator('query', dryRunQuery, invalidInput), zValidator('json', body, invalidInput), async (c) => c.json(await saveSubGrid(c.var.db, c.req.valid('json'), saveOptions(c, c.req.valid('query'))), 200))
  .put('/:code', zValidator('param', codeParam, invalidInput), zValidator('query', dryRunQuery, invalidInput), zValidator('json', updateBody, invalidInput), async (c) => {
    const { version: expected, ...input } = c.req.valid('json');
    return c.json(await saveSubGrid(c.var.db, input, saveOptions(c, c.req.valid('query')), c.req.valid('param').code, expected), 200);
  })
  .post('/:code/revert', zValidator('param', codeParam, invalidInput), zValidator('query', dryRunQuery, invalidInput), zValidator('json', revertBody, invalidInput), async (c) =>
    c.json(await revertSubGrid(c.var.db, c.req.valid('param').code, c.req.valid('json'), saveOptions(c, c.req.valid('query'))), 200),
  )
  .get('/:code/history', zValidator('param', codeParam, invalidInput), async (c) => c.json(await subGridHistory(c.var.db, c.req.valid('param').code), 200))
  .get('/:code/versions/:version', zValidator('param', codeParam.extend({ version: integerString('version', 1, 1_000_000) }), invalidInput), async (c) =>
    c.json(await subGridVersionGeometry(c.var.db, c.req.valid('param').code, c.req.valid('param').version), 200),
  );
