/**
 * GET /api/regions/tree (市 → 区县 → 街道 → 社区 with bounds and figures) and
 * GET /api/regions/:code (one region with its boundary). Queries in server/regions/.
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { REGION_CODE_PATTERN } from '../../kernel/gridCode';
import { invalidInput } from '../http/problem';
import { regionByCode } from '../regions/regionDetail';
import { loadRegionTree } from '../regions/regionTree';

const codeParam = z.object({ code: z.string().regex(REGION_CODE_PATTERN, '区划代码应为 6、9 或 12 位数字') });

export const regionsRoute = new Hono<AppEnv>()
  .get('/tree', async (c) => c.json({ regions: await loadRegionTree(c.var.db) }, 200))
  .get('/:code', zValidator('param', codeParam, invalidInput), async (c) => c.json(await regionByCode(c.var.db, c.req.valid('param').code), 200));
