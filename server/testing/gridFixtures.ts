/** Why: grid-edit tests (editing, impact, rebalance) share the same fixtures: a pair of neighbouring grids and vertex moves. */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { request } from './request';

export type Pos = [number, number];
export type Multi = { type: 'MultiPolygon'; coordinates: Pos[][][] };

export async function send(db: DbHandle, method: string, path: string, body?: unknown) {
  const res = await request(db, path, { method, headers: { 'content-type': 'application/json', 'x-actor': encodeURIComponent('someone-else') }, body: body === undefined ? undefined : JSON.stringify(body) });
  // biome-ignore lint/suspicious/noExplicitAny: test responses are read field by field, like in the *.test.ts files
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

/**
 * A grid with its geometry at full precision: moveVertex matches vertices exactly, and a vertex written
 * through the 1e-9 snap is a double that 9 decimals (ST_AsGeoJSON's default) do not give back.
 */
export async function grid(db: DbHandle, code: string) {
  const [row] = await db.rows<{ id: number; version: number; geometry: string; community_code: string; lon: number; lat: number }>(sql`
    SELECT id, version, ST_AsGeoJSON(geom, 15) AS geometry, community_code, ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM grids WHERE code = ${code}`);
  return { ...row!, geometry: JSON.parse(row!.geometry) as Multi };
}

/** Two grids of a community that share an inner vertex (not on the community boundary) used by just them. */
export async function sharedVertexPair(db: DbHandle, community: string) {
  const rows = await db.rows<{ a: string; b: string; lon: number; lat: number }>(sql`
    WITH pts AS (
      SELECT g.code, (ST_DumpPoints(g.geom)).geom AS pt FROM grids g WHERE g.community_code = ${community}
    ), shared AS (
      SELECT ST_X(pt) AS lon, ST_Y(pt) AS lat, array_agg(DISTINCT code ORDER BY code) AS codes
      FROM pts GROUP BY ST_X(pt), ST_Y(pt)
    )
    SELECT s.codes[1] AS a, s.codes[2] AS b, s.lon, s.lat FROM shared s, regions r, grids ga, grids gb
    WHERE r.code = ${community} AND array_length(s.codes, 1) = 2 AND ga.code = s.codes[1] AND gb.code = s.codes[2]
      AND ST_Relate(ga.geom, gb.geom, '****1****')
      AND NOT ST_Intersects(ST_Boundary(r.geom), ST_SetSRID(ST_MakePoint(s.lon, s.lat), 4326))
    ORDER BY s.lon, s.lat LIMIT 1`);
  return rows[0]!;
}

/** Moves one vertex (every occurrence) of a multipolygon. */
export function moveVertex(geometry: Multi, from: Pos, to: Pos): Multi {
  return {
    type: 'MultiPolygon',
    coordinates: geometry.coordinates.map((p) => p.map((ring) => ring.map((c) => (c[0] === from[0] && c[1] === from[1] ? to : c)))),
  };
}

/** A horizontal line across a grid that cuts it in exactly two (grids are not convex: heights tried from the middle out). */
export async function splitLineInTwo(db: DbHandle, code: string) {
  const [box] = await db.rows<{ w: number; e: number; lat: number }>(sql`
    WITH g AS (SELECT geom, ST_XMin(geom) - 0.001 AS w, ST_XMax(geom) + 0.001 AS e, ST_YMin(geom) AS s, ST_YMax(geom) AS n FROM grids WHERE code = ${code}),
    tries AS (SELECT g.*, g.s + (g.n - g.s) * f AS lat, abs(f - 0.5) AS off FROM g, (SELECT k / 20.0 AS f FROM generate_series(2, 18) k) f)
    SELECT w, e, lat FROM tries
    WHERE ST_NumGeometries(ST_Split(geom, ST_MakeLine(ST_SetSRID(ST_MakePoint(w, lat), 4326), ST_SetSRID(ST_MakePoint(e, lat), 4326)))) = 2
    ORDER BY off LIMIT 1`);
  if (!box) throw new Error(`no horizontal line cuts grid ${code} in exactly two`);
  return box;
}

/**
 * The sample community the 均衡 tests use (seven grids of 142–600 households on the real outlines) and a
 * household band of ±10 % around its grids' mean: most grids fall outside it, and the buildings on the
 * shared edges are enough to bring them in — so the suggestion has several moves whatever the sample's seed.
 */
export const REBALANCE_COMMUNITY = '450902005009';

export async function bandAroundMean(db: DbHandle, community: string, spread = 0.1) {
  const [stats] = await db.rows<{ mean: number }>(sql`
    SELECT avg(h)::float AS mean FROM (SELECT sum(b.households) AS h FROM buildings b JOIN grids g ON g.id = b.grid_id WHERE g.community_code = ${community} GROUP BY g.id) x`);
  return { min: Math.round(stats!.mean * (1 - spread)), max: Math.round(stats!.mean * (1 + spread)) };
}
