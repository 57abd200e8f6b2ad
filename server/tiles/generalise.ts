/**
 * Why: at city zooms single grids are illegible and the grid tile grows to megabytes, so low
 * zooms show community and street outlines dissolved from their grids instead (table
 * grid_areas, layers in ./layers.ts). Outlines are simplified edge by edge: the boundaries
 * are noded into edges between junctions, each shared edge is simplified once (endpoints
 * fixed) and the faces are rebuilt from the simplified linework, so neighbours still meet
 * exactly — no gap, no overlap. Figures (grids, households, mean stars) come from the grids.
 *
 * Kept current by the grid write hook (server/grids/gridWrites.ts): edits change only
 * figures (the topology rules keep grids inside and covering their community), imports
 * rebuild the outlines of the communities they touch. A stamp in `meta` (max grid version
 * id and grid count) detects data written behind our back (the loader): ensureAreas in the
 * write hook then rebuilds everything.
 */
import { sql, type SQL } from 'drizzle-orm';
import { executeRows, type Executor } from '../../db/client';
import type { Bbox } from '../../kernel/bbox';
import type { DbHandle } from '../../db/client';
import { GRID_DETAIL_ZOOM, type TileContext } from './layers';

export type AreaLevel = 'community' | 'street';

/**
 * Simplification tolerance (degrees) per level: about one screen pixel at the highest zoom
 * the level is shown (512-px tiles), so the simplification is invisible where it is served.
 */
export const AREA_TOLERANCE: Record<AreaLevel, number> = {
  community: 360 / 2 ** 12 / 512,
  street: 360 / 2 ** 9 / 512,
};

const KEY: Record<AreaLevel, SQL> = { community: sql.raw('community_code'), street: sql.raw('street_code') };

/** Codes of `level` whose areas are rebuilt: the given ones, or every one when `codes` is null. */
async function rebuildLevel(tx: Executor, level: AreaLevel, codes: string[] | null): Promise<void> {
  const key = KEY[level];
  const tol = AREA_TOLERANCE[level];
  const wanted = codes
    ? sql`${key} IN (${sql.join(
        codes.map((c) => sql`${c}`),
        sql`, `,
      )})`
    : sql`true`;
  // The edges of the rebuilt areas end at junctions shared with their neighbours, so the
  // neighbours (every area touching one) join the linework: the edges come out as in a full run.
  const codeList = codes
    ? sql.join(
        codes.map((c) => sql`${c}`),
        sql`, `,
      )
    : null;
  await tx.execute(sql`DELETE FROM grid_areas WHERE level = ${level} ${codeList ? sql`AND code IN (${codeList})` : sql``}`);
  await tx.execute(sql`
    WITH target AS MATERIALIZED (SELECT ${key} AS code, ST_Union(geom) AS geom FROM grids WHERE ${wanted} GROUP BY ${key}),
    parts AS MATERIALIZED (
      SELECT code, geom, true AS own FROM target
      UNION ALL
      SELECT n.code, n.geom, false FROM (
        SELECT ${key} AS code, ST_Union(geom) AS geom FROM grids
        WHERE NOT (${wanted}) AND geom && (SELECT ST_SetSRID(ST_Extent(geom)::geometry, 4326) FROM target) GROUP BY ${key}) n
      WHERE EXISTS (SELECT 1 FROM target t WHERE ST_Intersects(t.geom, n.geom))),
    lines AS (SELECT ST_LineMerge(ST_UnaryUnion(ST_Collect(ST_Boundary(geom)))) AS g FROM parts),
    edges AS (SELECT (ST_Dump(g)).geom AS e FROM lines),
    simple AS (
      SELECT ST_UnaryUnion(ST_Collect(CASE WHEN ST_IsClosed(e) THEN ST_SimplifyPreserveTopology(e, ${tol}) ELSE ST_Simplify(e, ${tol}, true) END)) AS g
      FROM edges),
    faces AS (SELECT (ST_Dump(ST_Polygonize(g))).geom AS f FROM simple),
    owned AS (
      SELECT p.code, ST_Multi(ST_CollectionExtract(ST_Union(f.f), 3)) AS geom
      FROM faces f JOIN parts p ON p.own AND ST_Intersects(p.geom, ST_PointOnSurface(f.f))
      GROUP BY p.code)
    INSERT INTO grid_areas (level, code, street_code, geom)
    SELECT ${level}, code, left(code, 9), geom FROM owned`);
  // Areas whose simplified faces all went to neighbours (narrower than a pixel) keep their dissolved outline.
  await tx.execute(sql`
    INSERT INTO grid_areas (level, code, street_code, geom)
    SELECT ${level}, g.${key}, left(g.${key}, 9), ST_Multi(ST_Union(g.geom))
    FROM grids g WHERE ${wanted} AND NOT EXISTS (SELECT 1 FROM grid_areas a WHERE a.level = ${level} AND a.code = g.${key})
    GROUP BY g.${key}`);
}

export interface AreaExtents {
  community: Bbox[];
  street: Bbox[];
}

/**
 * Recomputes the figures of the given communities and their streets; returns the extents of
 * the areas whose figures changed (their tiles at the generalised zooms are stale).
 */
export async function refreshAreaFigures(tx: Executor, communities: string[]): Promise<AreaExtents> {
  if (communities.length === 0) return { community: [], street: [] };
  const streets = [...new Set(communities.map((c) => c.slice(0, 9)))];
  const list = (codes: string[]) => `{${codes.join(',')}}`;
  // Both levels in one statement: the figures of each area from its grids, written where they moved.
  const rows = await executeRows<{ level: AreaLevel; xmin: number; ymin: number; xmax: number; ymax: number }>(
    tx,
    sql`
    WITH f AS (
      SELECT 'community' AS level, c.code, count(g.id)::int AS grids, coalesce(sum(g.households), 0)::int AS hh, coalesce(round(avg(g.star_rating)), 0)::int AS stars
      FROM unnest(${list(communities)}::text[]) AS c(code) LEFT JOIN grids g ON g.community_code = c.code GROUP BY c.code
      UNION ALL
      SELECT 'street', c.code, count(g.id)::int, coalesce(sum(g.households), 0)::int, coalesce(round(avg(g.star_rating)), 0)::int
      FROM unnest(${list(streets)}::text[]) AS c(code) LEFT JOIN grids g ON g.street_code = c.code GROUP BY c.code)
    UPDATE grid_areas a SET grids = f.grids, households = f.hh, star_rating = f.stars
    FROM f WHERE a.level = f.level AND a.code = f.code AND (a.grids, a.households, a.star_rating) IS DISTINCT FROM (f.grids, f.hh, f.stars)
    RETURNING a.level, ST_XMin(a.geom) AS xmin, ST_YMin(a.geom) AS ymin, ST_XMax(a.geom) AS xmax, ST_YMax(a.geom) AS ymax`,
  );
  const box = (r: (typeof rows)[number]): Bbox => [Number(r.xmin), Number(r.ymin), Number(r.xmax), Number(r.ymax)];
  return { community: rows.filter((r) => r.level === 'community').map(box), street: rows.filter((r) => r.level === 'street').map(box) };
}

/**
 * Rebuilds the outlines of the given communities (and of their streets), or of everything
 * when `communities` is null, then their figures. Returns the extents before ∪ after.
 */
export async function rebuildAreas(tx: Executor, communities: string[] | null): Promise<AreaExtents> {
  const streets = communities ? [...new Set(communities.map((c) => c.slice(0, 9)))] : null;
  const before = await areaExtents(tx, communities, streets);
  await rebuildLevel(tx, 'community', communities);
  await rebuildLevel(tx, 'street', streets);
  // Rebuilt rows start at 0 grids, so every one of them gets its figures.
  const all = communities ?? (await executeRows<{ code: string }>(tx, sql`SELECT code FROM grid_areas WHERE level = 'community'`)).map((r) => r.code);
  await refreshAreaFigures(tx, all);
  const after = await areaExtents(tx, communities, streets);
  return { community: [...before.community, ...after.community], street: [...before.street, ...after.street] };
}

async function areaExtents(tx: Executor, communities: string[] | null, streets: string[] | null): Promise<AreaExtents> {
  const pick = (level: AreaLevel, codes: string[] | null) =>
    executeRows<{ xmin: number; ymin: number; xmax: number; ymax: number }>(
      tx,
      sql`
      SELECT ST_XMin(e) AS xmin, ST_YMin(e) AS ymin, ST_XMax(e) AS xmax, ST_YMax(e) AS ymax
      FROM (SELECT ST_Extent(geom)::geometry AS e FROM grid_areas WHERE level = ${level} ${
        codes
          ? sql`AND code IN (${sql.join(
              codes.map((c) => sql`${c}`),
              sql`, `,
            )})`
          : sql``
      }) x
      WHERE e IS NOT NULL`,
    ).then((rows) => rows.map((r): Bbox => [Number(r.xmin), Number(r.ymin), Number(r.xmax), Number(r.ymax)]));
  return { community: await pick('community', communities), street: await pick('street', streets) };
}

/**
 * The stamp of the grid data the areas match: the last grid version id. Every grid write goes
 * through the write hook (which re-stamps) and the loader empties `meta`, so a differing
 * stamp means data written behind the hook's back.
 */
export const currentStamp = (tx: Executor) => executeRows<{ stamp: string }>(tx, sql`SELECT coalesce(max(id), 0)::text AS stamp FROM grid_versions`).then((r) => r[0]?.stamp ?? '');

/** Records that the areas match the grids as they are in this transaction. */
export async function stampAreas(tx: Executor): Promise<void> {
  await tx.execute(sql`
    INSERT INTO meta (key, value) SELECT 'grid_areas', jsonb_build_object('stamp', coalesce(max(id), 0)::text) FROM grid_versions
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`);
}

/** A grid is legible once its median side spans this many screen pixels (512-px tiles). */
export const GRID_LEGIBLE_PX = 12;

/** The first zoom (13…16) at which a grid of `medianAreaM2` at latitude `lat` is legible. */
export function detailZoomFor(medianAreaM2: number, lat: number): number {
  const side = Math.sqrt(Math.max(medianAreaM2, 1));
  for (let z = GRID_DETAIL_ZOOM; z < 16; z++) {
    const metresPerPixel = (40_075_016.686 * Math.cos((lat * Math.PI) / 180)) / (512 * 2 ** z);
    if (side / metresPerPixel >= GRID_LEGIBLE_PX) return z;
  }
  return 16;
}

/** The dataset's tile context, measured from the grids. */
export async function measureTileContext(tx: Executor): Promise<TileContext> {
  const [row] = await executeRows<{ area: number | null; lat: number | null }>(tx, sql`SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY area_m2) AS area, avg(ST_Y(label_point)) AS lat FROM grids`);
  return { detailZoom: row?.area == null ? GRID_DETAIL_ZOOM : detailZoomFor(Number(row.area), Number(row.lat ?? 0)) };
}

const contexts = new WeakMap<DbHandle, TileContext>();

/** The tile context of a database, as last measured (ensureAreas); the default until then. */
export const tileContextOf = (handle: DbHandle): TileContext => contexts.get(handle) ?? { detailZoom: GRID_DETAIL_ZOOM };
export const setTileContext = (handle: DbHandle, ctx: TileContext) => contexts.set(handle, ctx);
