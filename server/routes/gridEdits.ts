/**
 * Planner edits of the grid layer. Every save runs in one transaction with the
 * topology rules; `?dryRun=true` reports what a save would do without writing.
 *  422: rules violated (with the offending geometries), 409: stale version, 404: unknown.
 */
import { zValidator } from '@hono/zod-validator';
import { sql } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { GRID_CODE_PATTERN } from '../../kernel/gridCode';
import { renumberPlan } from '../grids/codes';
import { createGrid, EditForbidden, mergeGrids, renumberCommunity, revertGrid, splitGrid, updateGrid, type EditOptions } from '../grids/editing';
import { lineGeometry, polygonGeometry } from '../grids/geometryInput';
import { rulesFromEnv } from '../grids/rules';
import { integerString, safeName } from '../http/params';
import { invalidInput, notFound } from '../http/problem';

const codeParam = z.object({ code: z.string().regex(GRID_CODE_PATTERN, '网格编码应为 15 位数字') });
const communityParam = z.object({ community: z.string().regex(/^\d{12}$/, '社区代码应为 12 位数字') });
const dryRunQuery = z.object({ dryRun: z.enum(['true', 'false'], { message: 'dryRun 应为 true 或 false' }).optional() });
const version = z.number({ message: 'version 应为整数' }).int('version 应为整数').min(1, 'version 应为正整数');
const count = z.number().int('应为整数').min(0, '不能为负数').max(10_000_000, '数值过大');

const attributes = z
  .object({
    name: safeName('名称'),
    households: count,
    population: count,
    partyOrgName: safeName('党组织名称').nullable(),
    partyOrgType: z.enum(['党支部', '联合党支部', '党小组'], { message: '党组织类型应为 党支部、联合党支部 或 党小组' }).nullable(),
    partySecretary: safeName('书记姓名', 50).nullable(),
    partyMembers: count,
    dualReportMembers: count,
    gridWorkers: z.array(safeName('网格员姓名', 50)).max(50, '网格员最多 50 人'),
    starRating: z.number().int('星级应为整数').min(0, '星级应在 0–5 之间').max(5, '星级应在 0–5 之间'),
  })
  .partial()
  .strict();

const updateBody = z
  .object({ version, geometry: polygonGeometry.optional(), attributes: attributes.optional(), adjustNeighbours: z.boolean().optional() })
  .refine((b) => b.geometry || b.attributes, '请提供 geometry 或 attributes');
const createBody = z.object({ communityCode: z.string().regex(/^\d{12}$/, '社区代码应为 12 位数字'), geometry: polygonGeometry, attributes: attributes.optional() });
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
  .get('/:code/history', zValidator('param', codeParam, invalidInput), async (c) => {
    const { code } = c.req.valid('param');
    const rows = await c.var.db.rows<{ version: number; action: string; actor: string; at: Date | string; note: string | null; grid_code: string; before_attrs: unknown; after_attrs: unknown; area_before: number | null; area_after: number | null }>(sql`
      SELECT v.version, v.action, v.actor, v.at, v.note, v.grid_code, v.before_attrs, v.after_attrs,
             ST_Area(v.before_geom::geography) AS area_before, ST_Area(v.after_geom::geography) AS area_after
      FROM grid_versions v WHERE v.grid_id = (SELECT id FROM grids WHERE code = ${code})
      ORDER BY v.version DESC`);
    if (rows.length === 0) return notFound(c, `网格编码 ${code} 不存在`);
    return c.json({
      code,
      versions: rows.map((r) => ({
        version: r.version,
        action: r.action,
        actor: r.actor,
        at: new Date(r.at).toISOString(),
        note: r.note,
        code: r.grid_code,
        areaBeforeM2: r.area_before == null ? null : Number(r.area_before),
        areaAfterM2: r.area_after == null ? null : Number(r.area_after),
        before: r.before_attrs as Record<string, unknown> | null,
        after: r.after_attrs as Record<string, unknown> | null,
      })),
    });
  })
  .get('/:code/versions/:version', zValidator('param', codeParam.extend({ version: integerString('version', 1, 1_000_000) }), invalidInput), async (c) => {
    const { code, version: v } = c.req.valid('param');
    const [row] = await c.var.db.rows<{ before: string | null; after: string | null; action: string; actor: string; at: Date | string }>(sql`
      SELECT ST_AsGeoJSON(before_geom, 7) AS before, ST_AsGeoJSON(after_geom, 7) AS after, action, actor, at
      FROM grid_versions WHERE grid_id = (SELECT id FROM grids WHERE code = ${code}) AND version = ${v}`);
    if (!row) return notFound(c, `网格 ${code} 没有版本 ${v}`);
    return c.json({
      code,
      version: v,
      action: row.action,
      actor: row.actor,
      at: new Date(row.at).toISOString(),
      before: row.before ? (JSON.parse(row.before) as GeoJSON.MultiPolygon) : null,
      after: row.after ? (JSON.parse(row.after) as GeoJSON.MultiPolygon) : null,
    });
  })
  .get('/renumber/:community', zValidator('param', communityParam, invalidInput), async (c) => {
    const { community } = c.req.valid('param');
    const plan = await renumberPlan({ execute: (q) => c.var.db.db.execute(q) }, community);
    if (plan.length === 0) return notFound(c, `社区 ${community} 没有网格`);
    return c.json({ community, plan: plan.map(({ oldCode, newCode, name }) => ({ oldCode, newCode, name, changed: oldCode !== newCode })) });
  })
  .post('/renumber/:community', zValidator('param', communityParam, invalidInput), zValidator('query', dryRunQuery, invalidInput), zValidator('json', renumberBody, invalidInput), async (c) =>
    c.json(await renumberCommunity(c.var.db, c.req.valid('param').community, c.req.valid('json').expected, editOptions(c, c.req.valid('query').dryRun)), 200),
  );
