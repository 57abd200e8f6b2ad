/**
 * /api/screen — figures for the leaders' big screen (大屏), from server/screen/*.
 *  GET /summary?region=<6|9|12|15-digit code>  (default: the city)
 *  GET /centres  党群服务中心 points with their level, for the map
 *  GET /circles  15-minute circles of the community centres, from the cache (ready once all are computed)
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { invalidInput } from '../http/problem';
import { SCREEN_REGION_PATTERN } from '../screen/scope';
import { screenCentres } from '../screen/screenCentres';
import { screenCircles } from '../screen/screenCircles';
import { screenSummaryReport } from '../screen/summaryCache';

// The web still imports the centre type from here; server/screen/screenCentres.ts is its home.
export type { ScreenCentre } from '../screen/screenCentres';

const summaryQuery = z.object({
  region: z.string().regex(SCREEN_REGION_PATTERN, '区域编码应为 6 位（市、区县）、9 位（街道）、12 位（社区）或 15 位（网格）数字').optional(),
});

export const screenRoute = new Hono<AppEnv>()
  .get('/summary', zValidator('query', summaryQuery, invalidInput), async (c) => c.json(await screenSummaryReport(c.var.db, c.req.valid('query').region), 200))
  .get('/centres', async (c) => c.json({ centres: await screenCentres(c.var.db) }, 200))
  .get('/circles', async (c) => c.json(await screenCircles(c.var.db), 200));
