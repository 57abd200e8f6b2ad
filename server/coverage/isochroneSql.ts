/**
 * Isochrone polygons, the same SQL on both engines: only the node distances
 * come from different searches (pgr_drivingDistance or the Node Dijkstra).
 *
 * Construction (chosen so that it is deterministic and identical everywhere):
 *  1. every road edge touching a reached node contributes the stretch a walker
 *     gets along it with the budget left at that node — the whole edge or a
 *     partial one from either end; the snapped edge contributes the stretch
 *     walked both ways from the snap point; the walk centre → road is a stretch too;
 *  2. each stretch is buffered by ROAD_BUFFER_M (50 m) in the centre's UTM zone
 *     (round ends and joins drawn with BUFFER_QUAD_SEGS segments per quarter circle)
 *     and the buffers are unioned;
 *  3. holes smaller than FILL_HOLES_BELOW_M2 (blocks enclosed by reachable
 *     streets) are filled; larger ones stay as uncovered land.
 * A centre without a road within SNAP_DISTANCE_M gets a straight-line circle of
 * the budget instead, labelled method 'buffer'.
 */
import { sql, type SQL } from 'drizzle-orm';
import { CENTRES_TABLE } from './snap';
import { floatArray, intArray } from './sqlArrays';
import { BUFFER_QUAD_SEGS, FILL_HOLES_BELOW_M2, ROAD_BUFFER_M } from './walking';

export interface NetworkIsochroneInput {
  /** Caller's key for the resulting row. */
  key: number;
  centreId: number;
  budgetM: number;
  edge: { id: number; fraction: number; snapM: number };
  /** Reached node id → walking metres from the centre (≤ the search bound, may exceed budgetM). */
  reach: Map<number, number>;
}

/** SELECT key, geom (MultiPolygon 4326) for walking isochrones along the network. */
/** `gridSize`: precision of the union (see precision.ts), in metres. */
/** `centres`: where the centres' points come from (the table, or a what-if's candidates). */
export function networkIsochronesSql(inputs: readonly NetworkIsochroneInput[], gridSize: number, centres: SQL = CENTRES_TABLE): SQL {
  const reachKeys: number[] = [];
  const reachNodes: number[] = [];
  const reachDists: number[] = [];
  for (const input of inputs) {
    for (const [node, dist] of input.reach) {
      if (dist > input.budgetM) continue;
      reachKeys.push(input.key);
      reachNodes.push(node);
      reachDists.push(dist);
    }
  }
  return sql`
    WITH items AS (
      SELECT * FROM unnest(${intArray(inputs.map((i) => i.key))}::int[], ${intArray(inputs.map((i) => i.centreId))}::int[],
                           ${floatArray(inputs.map((i) => i.budgetM))}::float8[], ${intArray(inputs.map((i) => i.edge.id))}::int[],
                           ${floatArray(inputs.map((i) => i.edge.fraction))}::float8[], ${floatArray(inputs.map((i) => i.edge.snapM))}::float8[])
        AS t(key, centre_id, budget, edge_id, fraction, snap_m)
    ),
    reach AS (
      SELECT * FROM unnest(${intArray(reachKeys)}::int[], ${intArray(reachNodes)}::int[], ${floatArray(reachDists)}::float8[]) AS t(key, node, dist)
    ),
    ends AS (
      SELECT r.key, e.id AS edge_id, r.dist, true AS from_source FROM reach r JOIN road_edges e ON e.source = r.node WHERE e.cost >= 0
      UNION ALL
      SELECT r.key, e.id, r.dist, false FROM reach r JOIN road_edges e ON e.target = r.node WHERE e.cost >= 0
      UNION ALL
      SELECT i.key, i.edge_id, NULL, NULL FROM items i -- the snapped edge, walked both ways from the snap point
    ),
    -- per edge, as fractions of its geometry (cost is metres along it): [0, a] walked in from the
    -- source end, [1 - b, 1] from the target end, [lo, hi] around the snap point
    spans AS (
      SELECT n.key, n.edge_id, e.geom,
             coalesce(max(least(1, (i.budget - n.dist) / greatest(e.cost, 1e-9))) FILTER (WHERE n.from_source), 0) AS a,
             coalesce(max(least(1, (i.budget - n.dist) / greatest(e.cost, 1e-9))) FILTER (WHERE NOT n.from_source), 0) AS b,
             CASE WHEN n.edge_id = i.edge_id AND i.budget > i.snap_m THEN greatest(0, i.fraction - (i.budget - i.snap_m) / greatest(e.cost, 1e-9)) ELSE 1 END AS lo,
             CASE WHEN n.edge_id = i.edge_id AND i.budget > i.snap_m THEN least(1, i.fraction + (i.budget - i.snap_m) / greatest(e.cost, 1e-9)) ELSE 0 END AS hi
      FROM ends n JOIN items i ON i.key = n.key JOIN road_edges e ON e.id = n.edge_id
      GROUP BY n.key, n.edge_id, e.geom, e.cost, i.edge_id, i.budget, i.snap_m, i.fraction
    ),
    pieces AS (
      -- each edge once when walked end to end, so no stretch is drawn twice
      SELECT key, geom AS g FROM spans WHERE a + b >= 1 OR (lo <= a AND hi >= 1 - b)
      UNION ALL
      SELECT key, ST_LineSubstring(geom, f0, f1)
      FROM spans, LATERAL (VALUES (0::float8, a), (1 - b, 1::float8), (lo, hi)) AS f(f0, f1)
      WHERE NOT (a + b >= 1 OR (lo <= a AND hi >= 1 - b)) AND f1 > f0
      UNION ALL
      -- the walk from the centre to the road (cut short if the budget ends on the way)
      SELECT i.key, ST_LineSubstring(ST_MakeLine(c.geom, ST_LineInterpolatePoint(e.geom, i.fraction)), 0, least(1, i.budget / i.snap_m))
      FROM items i JOIN road_edges e ON e.id = i.edge_id JOIN ${centres} c ON c.id = i.centre_id
      WHERE i.snap_m > 0
    ),
    -- buffered piece by piece in the centre's UTM zone (metres) and unioned: much faster in GEOS
    -- than buffering the whole collection at once
    buffered AS (
      SELECT p.key, i.utm, ST_Union(ST_Buffer(ST_Transform(p.g, i.utm), ${ROAD_BUFFER_M}::float8, ${`quad_segs=${BUFFER_QUAD_SEGS}`}), ${gridSize}::float8) AS g
      FROM pieces p JOIN (
        SELECT it.key, (CASE WHEN ST_Y(c.geom) >= 0 THEN 32600 ELSE 32700 END + floor((ST_X(c.geom) + 180) / 6)::int + 1) AS utm
        FROM items it JOIN ${centres} c ON c.id = it.centre_id
      ) i ON i.key = p.key
      GROUP BY p.key, i.utm
    ),
    parts AS (
      SELECT key, (ST_Dump(g)).geom AS p FROM buffered
    )
    SELECT key, ST_Multi(ST_Transform(ST_Collect(ST_MakePolygon(ST_ExteriorRing(p), ARRAY(
             SELECT ST_InteriorRingN(p, n) FROM generate_series(1, ST_NumInteriorRings(p)) n
             WHERE ST_Area(ST_MakePolygon(ST_InteriorRingN(p, n))) >= ${FILL_HOLES_BELOW_M2}::float8))), 4326))::geometry(MultiPolygon, 4326) AS geom
    FROM parts
    WHERE GeometryType(p) = 'POLYGON'
    GROUP BY key`;
}

export interface BufferIsochroneInput {
  key: number;
  centreId: number;
  budgetM: number;
}

/** SELECT key, geom: the labelled fallback, a straight-line circle of the walking budget. */
export function bufferIsochronesSql(inputs: readonly BufferIsochroneInput[], centres: SQL = CENTRES_TABLE): SQL {
  return sql`
    SELECT i.key, ST_Multi(ST_Buffer(c.geom::geography, i.budget, 'quad_segs=8')::geometry)::geometry(MultiPolygon, 4326) AS geom
    FROM unnest(${intArray(inputs.map((i) => i.key))}::int[], ${intArray(inputs.map((i) => i.centreId))}::int[], ${floatArray(inputs.map((i) => i.budgetM))}::float8[])
      AS i(key, centre_id, budget)
    JOIN ${centres} c ON c.id = i.centre_id`;
}
