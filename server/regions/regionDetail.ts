/** One administrative region (市/区县/街道/社区) with its boundary, for the editor and the detail panel. */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { NotFoundError } from '../http/domainError';

interface RegionRow {
  code: string;
  name: string;
  level: string;
  kind: string | null;
  parent_code: string | null;
  households: number;
  population: number;
  geometry: string;
}

export async function regionByCode(handle: DbHandle, code: string) {
  const [row] = await handle.rows<RegionRow>(sql`
    SELECT code, name, level, kind, parent_code, households, population, ST_AsGeoJSON(geom, 7) AS geometry
    FROM regions WHERE code = ${code}`);
  if (!row) throw new NotFoundError(`区划代码 ${code} 不存在`);
  return {
    code: row.code,
    name: row.name,
    level: row.level,
    kind: row.kind,
    parentCode: row.parent_code,
    households: row.households,
    population: row.population,
    geometry: JSON.parse(row.geometry) as GeoJSON.MultiPolygon,
  };
}

export type RegionDetail = Awaited<ReturnType<typeof regionByCode>>;
