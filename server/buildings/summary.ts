/**
 * Why: a grid's households and population can be summed from its buildings. The grid's own
 * registered figures (grids.households / population, kept by the community) stay the
 * authoritative ones for statistics; the buildings' sum is shown beside them and a planner may
 * adopt it through the normal grid save (attributes), which records who and when.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { NotFoundError } from '../http/domainError';

export async function gridBuildingSummary(handle: DbHandle, gridCode: string) {
  const [row] = await handle.rows<{ code: string; households: number; population: number; buildings: number; sum_households: number; sum_population: number; footprints: number }>(sql`
    SELECT g.code, g.households, g.population, count(b.id)::int AS buildings, coalesce(sum(b.households), 0)::int AS sum_households,
           coalesce(sum(b.population), 0)::int AS sum_population, count(b.footprint)::int AS footprints
    FROM grids g LEFT JOIN buildings b ON b.grid_id = g.id WHERE g.code = ${gridCode} GROUP BY g.id`);
  if (!row) throw new NotFoundError(`网格编码 ${gridCode} 不存在`);
  return {
    gridCode: row.code,
    buildings: Number(row.buildings),
    withFootprint: Number(row.footprints),
    households: Number(row.sum_households),
    population: Number(row.sum_population),
    registered: { households: Number(row.households), population: Number(row.population) },
    authoritative: 'registered' as const,
  };
}

/** The buildings of a grid (GeoJSON points with their figures), for the map and the editor. */
export async function gridBuildings(handle: DbHandle, gridCode: string) {
  const rows = await handle.rows<{ code: string; name: string | null; address: string | null; floors: number | null; households: number; population: number; point: string; footprint: string | null }>(sql`
    SELECT b.code, b.name, b.address, b.floors, b.households, b.population, ST_AsGeoJSON(b.geom, 7) AS point, ST_AsGeoJSON(b.footprint, 7) AS footprint
    FROM buildings b JOIN grids g ON g.id = b.grid_id WHERE g.code = ${gridCode} ORDER BY b.code LIMIT 2000`);
  return {
    type: 'FeatureCollection' as const,
    features: rows.map((r) => ({
      type: 'Feature' as const,
      geometry: JSON.parse(r.point) as GeoJSON.Point,
      properties: {
        code: r.code,
        name: r.name,
        address: r.address,
        floors: r.floors,
        households: r.households,
        population: r.population,
        footprint: r.footprint === null ? null : (JSON.parse(r.footprint) as GeoJSON.MultiPolygon),
      },
    })),
  };
}
