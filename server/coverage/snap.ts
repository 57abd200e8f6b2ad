/**
 * Snapping centres onto the road network (the same SQL on both engines): the
 * nearest edge within SNAP_DISTANCE_M, where along it the centre projects, and
 * how far the walk to the road is. Centres with no road that close get none.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { intArray } from './sqlArrays';
import { SNAP_DISTANCE_M } from './walking';

export interface CentreSnap {
  centreId: number;
  /** Text form of service_centres.updated_at: cache rows are written only if it is unchanged. */
  updatedAt: string;
  edge: { id: number; source: number; target: number; cost: number; fraction: number; snapM: number } | null;
}

interface SnapRow {
  centre_id: number;
  updated_at: string;
  edge_id: number | null;
  source: number | null;
  target: number | null;
  cost: number | null;
  fraction: number | null;
  snap_m: number | null;
}

/** The relation centres are read from: the table, or candidate points of a what-if (columns id, geom, updated_at). */
export const CENTRES_TABLE: SQL = sql`service_centres`;

export async function snapCentres(db: DbHandle, centreIds: readonly number[], centres: SQL = CENTRES_TABLE): Promise<CentreSnap[]> {
  if (centreIds.length === 0) return [];
  const rows = await db.rows<SnapRow>(sql`
    SELECT c.id AS centre_id, c.updated_at::text AS updated_at,
           s.id AS edge_id, s.source, s.target, s.cost, s.fraction, s.snap_m
    FROM ${centres} c
    LEFT JOIN LATERAL (
      -- a few candidates by the index's planar order, then the true distance in metres decides
      SELECT e.id, e.source, e.target, e.cost,
             ST_LineLocatePoint(e.geom, c.geom) AS fraction,
             ST_Distance(e.geom::geography, c.geom::geography) AS snap_m
      FROM (SELECT id, source, target, cost, geom FROM road_edges WHERE cost >= 0 ORDER BY geom <-> c.geom LIMIT 8) e
      ORDER BY snap_m, e.id
      LIMIT 1
    ) s ON s.snap_m <= ${SNAP_DISTANCE_M}
    WHERE c.id = ANY(${intArray(centreIds)}::int[])
    ORDER BY c.id`);
  return rows.map((r) => ({
    centreId: Number(r.centre_id),
    updatedAt: r.updated_at,
    edge: r.edge_id === null ? null : { id: Number(r.edge_id), source: Number(r.source), target: Number(r.target), cost: Number(r.cost), fraction: Number(r.fraction), snapM: Number(r.snap_m) },
  }));
}

/** The two ends of the snapped edge with the walk already done to reach each (centre → road → along the edge). */
export function startNodes(edge: NonNullable<CentreSnap['edge']>): { node: number; offset: number }[] {
  return [
    { node: edge.source, offset: edge.snapM + edge.fraction * edge.cost },
    { node: edge.target, offset: edge.snapM + (1 - edge.fraction) * edge.cost },
  ];
}
