import { zValidator } from '@hono/zod-validator';
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { REGION_CODE_PATTERN } from '../../kernel/gridCode';
import { invalidInput, notFound } from '../http/problem';
import { loadRegionTree } from '../regions/regionTree';

const codeParam = z.object({ code: z.string().regex(REGION_CODE_PATTERN, '区划代码应为 6、9 或 12 位数字') });

export const regionsRoute = new Hono<AppEnv>()
  .get('/tree', async (c) => c.json({ regions: await loadRegionTree(c.var.db) }))
  .get('/:code', zValidator('param', codeParam, invalidInput), async (c) => {
    const { code } = c.req.valid('param');
    const [row] = await c.var.db.rows<{ code: string; name: string; level: string; kind: string | null; parent_code: string | null; households: number; population: number; geometry: string }>(sql`
      SELECT code, name, level, kind, parent_code, households, population, ST_AsGeoJSON(geom, 7) AS geometry
      FROM regions WHERE code = ${code}`);
    if (!row) return notFound(c, `区划代码 ${code} 不存在`);
    return c.json({
      code: row.code,
      name: row.name,
      level: row.level,
      kind: row.kind,
      parentCode: row.parent_code,
      households: row.households,
      population: row.population,
      geometry: JSON.parse(row.geometry) as GeoJSON.MultiPolygon,
    });
  });
