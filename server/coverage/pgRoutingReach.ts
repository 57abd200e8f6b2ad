/**
 * Walking reach on real PostGIS with pgr_drivingDistance. The centre becomes a
 * virtual vertex (-1) joined to both ends of its snapped edge with the walk
 * already done to reach each, so one bounded search from it gives the walking
 * distance from the centre itself — the same set-up the Node search uses.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import type { CentreSnap } from './snap';
import { CENTRES_TABLE, startNodes } from './snap';

/** Metres per degree of latitude/longitude near the equator; the search window is generous anyway. */
const M_PER_DEG = 110_574;

export async function pgRoutingReach(db: DbHandle, edge: NonNullable<CentreSnap['edge']>, centreId: number, maxDistance: number, centres: SQL = CENTRES_TABLE): Promise<Map<number, number>> {
  const [a, b] = startNodes(edge) as [{ node: number; offset: number }, { node: number; offset: number }];
  // Any node within walking distance d lies within straight-line distance d of the centre
  // (cost ≥ geometric length), so a window of the budget plus a margin loses nothing.
  const halfWindowDeg = (maxDistance * 1.25 + 200) / M_PER_DEG;
  const rows = await db.rows<{ node: number; dist: number }>(sql`
    WITH centre AS (SELECT c.geom FROM ${centres} c WHERE c.id = ${centreId}),
    edges_sql AS (
      SELECT format(
        'SELECT id, source, target, cost FROM road_edges WHERE cost >= 0 AND geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326)'
        ' UNION ALL SELECT -1, -1, %s, %s UNION ALL SELECT -2, -1, %s, %s',
        ST_X(geom) - ${halfWindowDeg}::float8 / cos(radians(ST_Y(geom))), ST_Y(geom) - ${halfWindowDeg}::float8,
        ST_X(geom) + ${halfWindowDeg}::float8 / cos(radians(ST_Y(geom))), ST_Y(geom) + ${halfWindowDeg}::float8,
        ${a.node}::bigint, ${a.offset}::float8, ${b.node}::bigint, ${b.offset}::float8) AS q
      FROM centre
    )
    SELECT d.node, d.agg_cost AS dist
    FROM edges_sql, pgr_drivingDistance(edges_sql.q, -1::bigint, ${maxDistance}::float8, directed := false) d
    WHERE d.node >= 0`);
  return new Map(rows.map((r) => [Number(r.node), Number(r.dist)]));
}
