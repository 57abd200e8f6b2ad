import { zValidator } from '@hono/zod-validator';
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { GRID_CODE_PATTERN } from '../../kernel/gridCode';
import { bboxParam, integerString } from '../http/params';
import { invalidInput, notFound } from '../http/problem';

const codeParam = z.object({ code: z.string().regex(GRID_CODE_PATTERN, '网格编码应为 15 位数字') });
const bboxQuery = z.object({ bbox: bboxParam, limit: integerString('limit', 1, 10000).optional() });

interface GridRow {
  id: number;
  code: string;
  name: string;
  community_code: string;
  community_name: string;
  street_code: string;
  street_name: string;
  district_code: string;
  district_name: string;
  area_m2: number;
  households: number;
  population: number;
  party_org_name: string | null;
  party_org_type: string | null;
  party_secretary: string | null;
  party_members: number;
  dual_report_members: number;
  grid_workers: string[];
  star_rating: number;
  version: number;
  updated_at: Date | string;
  label_lon: number;
  label_lat: number;
  geometry: string;
}

export const gridsRoute = new Hono<AppEnv>()
  .get('/', zValidator('query', bboxQuery, invalidInput), async (c) => {
    const { bbox, limit = 2000 } = c.req.valid('query');
    const [west, south, east, north] = bbox;
    const rows = await c.var.db.rows<{ id: number; code: string; name: string; community_code: string; street_code: string; star_rating: number; households: number; label_lon: number; label_lat: number; geometry: string }>(sql`
      SELECT id, code, name, community_code, street_code, star_rating, households,
             ST_X(label_point) AS label_lon, ST_Y(label_point) AS label_lat, ST_AsGeoJSON(geom, 7) AS geometry
      FROM grids
      WHERE geom && ST_MakeEnvelope(${west}, ${south}, ${east}, ${north}, 4326)
      ORDER BY code
      LIMIT ${limit + 1}`);
    const truncated = rows.length > limit;
    return c.json({
      type: 'FeatureCollection' as const,
      truncated,
      features: rows.slice(0, limit).map((r) => ({
        type: 'Feature' as const,
        id: r.id,
        geometry: JSON.parse(r.geometry) as GeoJSON.MultiPolygon,
        properties: {
          code: r.code,
          name: r.name,
          communityCode: r.community_code,
          streetCode: r.street_code,
          starRating: r.star_rating,
          households: r.households,
          label: [Number(r.label_lon), Number(r.label_lat)] as [number, number],
        },
      })),
    });
  })
  .get('/:code', zValidator('param', codeParam, invalidInput), async (c) => {
    const { code } = c.req.valid('param');
    const [r] = await c.var.db.rows<GridRow>(sql`
      SELECT g.id, g.code, g.name, g.community_code, cm.name AS community_name, g.street_code, st.name AS street_name,
             g.district_code, d.name AS district_name, g.area_m2, g.households, g.population,
             g.party_org_name, g.party_org_type, g.party_secretary, g.party_members, g.dual_report_members,
             g.grid_workers, g.star_rating, g.version, g.updated_at,
             ST_X(g.label_point) AS label_lon, ST_Y(g.label_point) AS label_lat, ST_AsGeoJSON(g.geom, 7) AS geometry
      FROM grids g
      JOIN regions cm ON cm.code = g.community_code
      LEFT JOIN regions st ON st.code = g.street_code
      LEFT JOIN regions d ON d.code = g.district_code
      WHERE g.code = ${code}`);
    if (!r) return notFound(c, `网格编码 ${code} 不存在`);
    return c.json({
      id: r.id,
      code: r.code,
      name: r.name,
      community: { code: r.community_code, name: r.community_name },
      street: { code: r.street_code, name: r.street_name },
      district: { code: r.district_code, name: r.district_name },
      areaM2: Number(r.area_m2),
      households: r.households,
      population: r.population,
      partyOrg: {
        name: r.party_org_name,
        type: r.party_org_type,
        secretary: r.party_secretary,
        members: r.party_members,
        dualReportMembers: r.dual_report_members,
      },
      gridWorkers: r.grid_workers,
      starRating: r.star_rating,
      version: r.version,
      updatedAt: new Date(r.updated_at).toISOString(),
      label: [Number(r.label_lon), Number(r.label_lat)] as [number, number],
      geometry: JSON.parse(r.geometry) as GeoJSON.MultiPolygon,
    });
  });
