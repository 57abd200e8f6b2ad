/**
 * Reading grids: GET /api/grids?bbox=&limit= (GeoJSON features for the map) and
 * GET /api/grids/:code (one grid with its community, street, district and party
 * organisation). Queries in server/grids/gridQueries.ts; the record's shape in
 * db/gridRecord.ts. Edits are in routes/gridEdits.ts.
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { GRID_CODE_PATTERN } from '../../kernel/gridCode';
import { gridByCode, gridsInBbox } from '../grids/gridQueries';
import { bboxParam, integerString } from '../http/params';
import { invalidInput } from '../http/problem';

const codeParam = z.object({ code: z.string().regex(GRID_CODE_PATTERN, '网格编码应为 15 位数字') });
const bboxQuery = z.object({ bbox: bboxParam, limit: integerString('limit', 1, 10000).optional() });

export const gridsRoute = new Hono<AppEnv>()
  .get('/', zValidator('query', bboxQuery, invalidInput), async (c) => {
    const { bbox, limit = 2000 } = c.req.valid('query');
    return c.json(await gridsInBbox(c.var.db, bbox, limit), 200);
  })
  .get('/:code', zValidator('param', codeParam, invalidInput), async (c) => c.json(await gridByCode(c.var.db, c.req.valid('param').code), 200));
