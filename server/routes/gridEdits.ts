/**
 * Planner edits of the grid layer. Every save runs in one transaction with the
 * topology rules; `?dryRun=true` reports what a save would do without writing.
 *  422: rules violated (with the offending geometries), 409: stale version, 404: unknown.
 * Also the reads the editor needs: a grid's history, one version's geometries and
 * the renumbering preview. SQL lives in server/grids/; errors are DomainErrors.
 */
import { zValidator } from '@hono/zod-validator';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { GRID_CODE_PATTERN } from '../../kernel/gridCode';
import { gridAttributesInput } from '../grids/attributesInput';
import { renumberPreview } from '../grids/codes';
import { createGrid, EditForbidden, mergeGrids, renumberCommunity, revertGrid, splitGrid, updateGrid, type EditOptions } from '../grids/editing';
import { lineGeometry, polygonGeometry } from '../grids/geometryInput';
import { gridHistory, gridVersionGeometry } from '../grids/history';
import { rulesFromEnv } from '../grids/rules';
import { integerString } from '../http/params';
import { invalidInput } from '../http/problem';

const codeParam = z.object({ code: z.string().regex(GRID_CODE_PATTERN, '网格编码应为 15 位数字') });
const communityParam = z.object({ community: z.string().regex(/^\d{12}$/, '社区代码应为 12 位数字') });
const dryRunQuery = z.object({ dryRun: z.enum(['true', 'false'], { message: 'dryRun 应为 true 或 false' }).optional() });
const version = z.number({ message: 'version 应为整数' }).int('version 应为整数').min(1, 'version 应为正整数');

const updateBody = z
  .object({ version, geometry: polygonGeometry.optional(), attributes: gridAttributesInput.optional(), adjustNeighbours: z.boolean().optional() })
  .refine((b) => b.geometry || b.attributes, '请提供 geometry 或 attributes');
const createBody = z.object({ communityCode: z.string().regex(/^\d{12}$/, '社区代码应为 12 位数字'), geometry: polygonGeometry, attributes: gridAttributesInput.optional() });
const splitBody = z.object({ version, line: lineGeometry });
const mergeBody = z.object({
  grids: z
    .array(z.object({ code: z.string().regex(GRID_CODE_PATTERN, '网格编码应为 15 位数字'), version }))
    .min(2, '至少选择两个网格')
    .max(50, '一次最多合并 50 个网格')
    .refine((g) => new Set(g.map((x) => x.code)).size === g.length, '网格编码重复'),
});
const revertBody = z.object({ toVersion: version, version });
const renumberBody = z.object({ expected: z.array(z.object({ oldCode: z.string(), newCode: z.string() })).optional() });

/** The signed-in planner edits; the access policy has already refused everyone else. */
function editOptions(c: Context<AppEnv>, dryRun?: string): EditOptions {
  const user = c.var.user;
  if (!user) throw new EditForbidden('请先登录');
  return { actor: user.displayName || user.username, user, rules: rulesFromEnv(), dryRun: dryRun === 'true' };
}

export const gridEditsRoute = new Hono<AppEnv>()
  .post('/', zValidator('query', dryRunQuery, invalidInput), zValidator('json', createBody, invalidInput), async (c) =>
    c.json(await createGrid(c.var.db, c.req.valid('json'), editOptions(c, c.req.valid('query').dryRun)), 200),
  )
  .post('/merge', zValidator('query', dryRunQuery, invalidInput), zValidator('json', mergeBody, invalidInput), async (c) =>
    c.json(await mergeGrids(c.var.db, c.req.valid('json').grids, editOptions(c, c.req.valid('query').dryRun)), 200),
  )
  .put('/:code', zValidator('param', codeParam, invalidInput), zValidator('query', dryRunQuery, invalidInput), zValidator('json', updateBody, invalidInput), async (c) =>
    c.json(await updateGrid(c.var.db, c.req.valid('param').code, c.req.valid('json'), editOptions(c, c.req.valid('query').dryRun)), 200),
  )
  .post('/:code/split', zValidator('param', codeParam, invalidInput), zValidator('query', dryRunQuery, invalidInput), zValidator('json', splitBody, invalidInput), async (c) =>
    c.json(await splitGrid(c.var.db, c.req.valid('param').code, c.req.valid('json'), editOptions(c, c.req.valid('query').dryRun)), 200),
  )
  .post('/:code/revert', zValidator('param', codeParam, invalidInput), zValidator('query', dryRunQuery, invalidInput), zValidator('json', revertBody, invalidInput), async (c) =>
    c.json(await revertGrid(c.var.db, c.req.valid('param').code, c.req.valid('json'), editOptions(c, c.req.valid('query').dryRun)), 200),
  )
  .get('/:code/history', zValidator('param', codeParam, invalidInput), async (c) => c.json(await gridHistory(c.var.db, c.req.valid('param').code, c.var.user), 200))
  .get('/:code/versions/:version', zValidator('param', codeParam.extend({ version: integerString('version', 1, 1_000_000) }), invalidInput), async (c) =>
    c.json(await gridVersionGeometry(c.var.db, c.req.valid('param').code, c.req.valid('param').version), 200),
  )
  .get('/renumber/:community', zValidator('param', communityParam, invalidInput), async (c) => c.json(await renumberPreview(c.var.db, c.req.valid('param').community), 200))
  .post('/renumber/:community', zValidator('param', communityParam, invalidInput), zValidator('query', dryRunQuery, invalidInput), zValidator('json', renumberBody, invalidInput), async (c) =>
    c.json(await renumberCommunity(c.var.db, c.req.valid('param').community, c.req.valid('json').expected, editOptions(c, c.req.valid('query').dryRun)), 200),
  );
