/** Independent topology checks for tests: overlaps between grids and gaps inside communities (m²). */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';

export async function communityTopology(db: DbHandle, communityCode: string): Promise<{ overlapM2: number; gapM2: number; grids: number }> {
  const [row] = await db.rows<{ overlap: number | null; gap: number | null; grids: number }>(sql`
    SELECT
      (SELECT coalesce(sum(ST_Area(ST_Intersection(a.geom, b.geom)::geography)), 0) FROM grids a JOIN grids b
         ON a.id < b.id AND a.geom && b.geom AND a.community_code = ${communityCode} AND b.community_code = ${communityCode}
         WHERE ST_Relate(a.geom, b.geom, '2********'))::float8 AS overlap,
      -- What of the community no grid covers, as a shape, in planar m² (degrees² scaled at the community's latitude).
      -- Not geodesic: a vertex added on a straight edge (a split's end point) leaves a sliver with three collinear
      -- corners — no area on the plane the grids are drawn on, but ~0.01 m² along great circles.
      -- coalesce: the WASM engine returns no row for an empty difference.
      coalesce((SELECT ST_Area(ST_Difference(r.geom, (SELECT ST_Union(geom) FROM grids WHERE community_code = ${communityCode})))
                       * 110574 * 111320 * cos(radians(ST_Y(ST_Centroid(r.geom))))
         FROM regions r WHERE r.code = ${communityCode}), 0)::float8 AS gap,
      (SELECT count(*)::int FROM grids WHERE community_code = ${communityCode}) AS grids`);
  return { overlapM2: Number(row?.overlap ?? 0), gapM2: Number(row?.gap ?? 0), grids: row?.grids ?? 0 };
}

/** Each grid's history runs 1..version without holes. */
export async function historyHoles(db: DbHandle, communityCode: string): Promise<string[]> {
  const rows = await db.rows<{ code: string }>(sql`
    SELECT g.code FROM grids g
    WHERE g.community_code = ${communityCode}
      AND (SELECT count(DISTINCT v.version) FROM grid_versions v WHERE v.grid_id = g.id AND v.version <= g.version) <> g.version`);
  return rows.map((r) => r.code);
}
