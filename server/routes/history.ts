/**
 * As of a date (the grid versions): GET /api/history/grids?asOf=YYYY-MM-DD&region= (GeoJSON of the
 * grids valid at the end of that day, China time, with the year's incidents counted in the grid
 * valid when each happened), GET /api/history/statistics?asOf=&region= (totals, per grid, 结案率),
 * GET /api/history/dates?region= (days on which grids changed). Work in server/grids/asOf.ts.
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { REGION_CODE_PATTERN } from '../../kernel/gridCode';
import { changeDates, gridsAsOf, statisticsAsOf } from '../grids/asOf';
import { impossibleDate } from '../http/params';
import { invalidInput } from '../http/problem';

const asOfDate = z
  .string({ message: 'asOf 应为日期 YYYY-MM-DD' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'asOf 应为日期 YYYY-MM-DD')
  .superRefine((s, ctx) => {
    const [y, m, d] = s.split('-').map(Number) as [number, number, number];
    const why = impossibleDate(y, m, d);
    if (why) ctx.addIssue({ code: 'custom', message: why });
  });
const region = z.string().regex(REGION_CODE_PATTERN, 'region 应为 6、9 或 12 位区划代码').optional();
const asOfQuery = z.object({ asOf: asOfDate, region });

export const historyRoute = new Hono<AppEnv>()
  .get('/grids', zValidator('query', asOfQuery, invalidInput), async (c) => {
    const { asOf, region: r } = c.req.valid('query');
    return c.json(await gridsAsOf(c.var.db, asOf, r), 200);
  })
  .get('/statistics', zValidator('query', asOfQuery, invalidInput), async (c) => {
    const { asOf, region: r } = c.req.valid('query');
    return c.json(await statisticsAsOf(c.var.db, asOf, r), 200);
  })
  .get('/dates', zValidator('query', z.object({ region }), invalidInput), async (c) => c.json({ dates: await changeDates(c.var.db, c.req.valid('query').region) }, 200));
