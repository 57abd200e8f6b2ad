/**
 * 楼栋 and what grids are made of: per-grid sums and lists, the household band per community,
 * the 均衡 (rebalance) suggestion, its save, its saved batches and their undo, and building imports. Thin: the work is in
 * server/buildings/. Writes are for planners (in their jurisdiction) and admins (policy.ts).
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { GRID_CODE_PATTERN } from '../../kernel/gridCode';
import { communityBand, setCommunityBand } from '../buildings/bands';
import { importBuildings } from '../buildings/importBuildings';
import { applyRebalance, suggestRebalance } from '../buildings/rebalance';
import { rebalanceBatches, undoRebalance } from '../buildings/rebalanceUndo';
import { gridBuildings, gridBuildingSummary } from '../buildings/summary';
import { EditForbidden } from '../grids/editing';
import { rulesFromEnv } from '../grids/rules';
import { integerString } from '../http/params';
import { invalidInput } from '../http/problem';

const gridQuery = z.object({ grid: z.string().regex(GRID_CODE_PATTERN, '网格编码应为 15 位数字') });
const communityParam = z.object({ community: z.string().regex(/^\d{12}$/, '社区代码应为 12 位数字') });
const dryRunQuery = z.object({ dryRun: z.enum(['true', 'false'], { message: 'dryRun 应为 true 或 false' }).optional() });
const count = (field: string) =>
  z
    .number({ message: `${field} 应为整数` })
    .int(`${field} 应为整数`)
    .min(0, `${field} 不能为负`)
    .max(100_000, `${field} 过大`);
const bandBody = z
  .object({ min: count('min'), max: count('max') })
  .nullable()
  .refine((b) => b === null || b.max >= b.min, { message: 'max 应不小于 min', path: ['max'] });
const rebalanceBody = z.object({
  moves: z.array(z.object({ building: z.string().min(1).max(32), to: z.string().regex(GRID_CODE_PATTERN, '网格编码应为 15 位数字') })).max(500, '一次最多移动 500 栋'),
  versions: z.array(z.object({ code: z.string(), version: z.number().int().min(1) })).max(1000),
});
const undoBody = z.object({
  batch: z.number({ message: 'batch 应为均衡记录编号' }).int('batch 应为均衡记录编号').min(1, 'batch 应为均衡记录编号'),
  dryRun: z.boolean({ message: 'dryRun 应为 true 或 false' }).optional(),
});

/** Pages of the saved 均衡: `before` = the previous page's nextBefore (a batch id), `limit` 1–100 (default 50). */
const batchPageQuery = z.object({ before: integerString('before', 1, 999_999_999).optional(), limit: integerString('limit', 1, 100).optional() });

export const buildingsRoute = new Hono<AppEnv>()
  .get('/summary', zValidator('query', gridQuery, invalidInput), async (c) => c.json(await gridBuildingSummary(c.var.db, c.req.valid('query').grid), 200))
  .get('/', zValidator('query', gridQuery, invalidInput), async (c) => c.json(await gridBuildings(c.var.db, c.req.valid('query').grid), 200))
  .get('/bands/:community', zValidator('param', communityParam, invalidInput), async (c) => c.json(await communityBand(c.var.db, c.req.valid('param').community), 200))
  .put('/bands/:community', zValidator('param', communityParam, invalidInput), zValidator('json', bandBody, invalidInput), async (c) => {
    const user = c.var.user;
    if (!user) throw new EditForbidden('请先登录');
    return c.json(await setCommunityBand(c.var.db, c.req.valid('param').community, c.req.valid('json'), user), 200);
  })
  .get('/rebalance/:community', zValidator('param', communityParam, invalidInput), async (c) => c.json(await suggestRebalance(c.var.db, c.req.valid('param').community), 200))
  .post('/rebalance/:community', zValidator('param', communityParam, invalidInput), zValidator('query', dryRunQuery, invalidInput), zValidator('json', rebalanceBody, invalidInput), async (c) => {
    const user = c.var.user;
    if (!user) throw new EditForbidden('请先登录');
    const options = { actor: user.displayName || user.username, user, rules: rulesFromEnv(), dryRun: c.req.valid('query').dryRun === 'true' };
    return c.json(await applyRebalance(c.var.db, c.req.valid('param').community, c.req.valid('json'), options), 200);
  })
  .get('/rebalance/:community/batches', zValidator('param', communityParam, invalidInput), zValidator('query', batchPageQuery, invalidInput), async (c) =>
    c.json(await rebalanceBatches(c.var.db, c.req.valid('param').community, c.req.valid('query')), 200),
  )
  .post('/rebalance/:community/undo', zValidator('param', communityParam, invalidInput), zValidator('json', undoBody, invalidInput), async (c) => {
    const user = c.var.user;
    if (!user) throw new EditForbidden('请先登录');
    const body = c.req.valid('json');
    const options = { actor: user.displayName || user.username, user, rules: rulesFromEnv(), dryRun: body.dryRun === true };
    return c.json(await undoRebalance(c.var.db, c.req.valid('param').community, body.batch, options), 200);
  })
  .post('/imports', zValidator('query', dryRunQuery.extend({ format: z.enum(['csv', 'shp', 'gpkg'], { message: 'format 应为 csv、shp 或 gpkg' }) }), invalidInput), async (c) => {
    const user = c.var.user;
    if (!user) throw new EditForbidden('请先登录');
    const body = new Uint8Array(await c.req.arrayBuffer());
    const q = c.req.valid('query');
    return c.json(await importBuildings(c.var.db, body, { format: q.format, dryRun: q.dryRun === 'true', user }), 200);
  });
