/**
 * /api/screen — figures for the leaders' big screen (大屏).
 *  GET /summary?region=<6|9|12|15-digit code>  (default: the city)
 *  GET /centres  党群服务中心 points with their level, for the map
 */
import { zValidator } from '@hono/zod-validator';
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { invalidInput, notFound } from '../http/problem';
import { SCREEN_REGION_PATTERN } from '../screen/scope';
import { BUFFER_FALLBACK_M, screenSummary, type CentreLevel } from '../screen/summary';

const summaryQuery = z.object({
  region: z.string().regex(SCREEN_REGION_PATTERN, '区域编码应为 6 位（市、区县）、9 位（街道）、12 位（社区）或 15 位（网格）数字').optional(),
});

export interface ScreenCentre {
  id: number;
  name: string;
  level: CentreLevel;
  position: [number, number];
}

export const screenRoute = new Hono<AppEnv>()
  .get('/summary', zValidator('query', summaryQuery, invalidInput), async (c) => {
    const db = c.var.db;
    let region = c.req.valid('query').region;
    if (!region) {
      const [root] = await db.rows<{ code: string }>(sql`SELECT code FROM regions WHERE parent_code IS NULL ORDER BY code LIMIT 1`);
      if (!root) return notFound(c, '数据库中没有区划数据');
      region = root.code;
    }
    const summary = await screenSummary(db, region);
    if (!summary) return notFound(c, `区域编码 ${region} 不存在`);
    return c.json({ ...summary, definitions: { bufferFallbackM: BUFFER_FALLBACK_M } });
  })
  .get('/centres', async (c) => {
    const rows = await c.var.db.rows<{ id: number; name: string; level: CentreLevel; lon: number; lat: number }>(sql`
      SELECT id, name, level::text AS level, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM service_centres ORDER BY id`);
    const centres: ScreenCentre[] = rows.map((r) => ({ id: Number(r.id), name: r.name, level: r.level, position: [Number(r.lon), Number(r.lat)] }));
    return c.json({ centres });
  });
