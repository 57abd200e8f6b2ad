/**
 * Why: 均衡 — bring a community's grids into the household band by moving whole buildings to
 * a neighbouring grid. New boundaries must keep the community free of gaps and overlaps, so
 * each building owns a "piece" of its grid: its Voronoi cell among the buildings of the same
 * grid, clipped to that grid (a grid's only building owns all of it). The pieces of a grid
 * partition it exactly (Voronoi cells partition the plane), and pieces of two grids meet along
 * their common boundary, so moving a piece is a difference from one grid and a union into the
 * other with the same geometry — no new vertices elsewhere, nothing left uncovered, and a
 * building's piece never contains another building's point, so exactly the chosen buildings move.
 * (Cells of all the community's buildings at once left much of each boundary in no piece — a
 * cell crossing into the neighbour grid — so few pieces touched across grids and 均衡 rarely
 * found a move.)
 *
 * Greedy (deterministic): while some grid is out of band, take the grid furthest out; an
 * over-band grid gives the building piece that touches an under-band (else the smallest
 * in-band) neighbour and best reduces the excess without overshooting either; an under-band
 * grid takes such a piece from a neighbour that stays ≥ min. Only pieces on the boundary move,
 * and a grid whose remaining pieces would fall apart keeps the piece. Grids without buildings
 * neither give nor take. The result is a preview; the save goes through the normal community
 * transaction with every topology rule and the dry-run impact (applyRebalance). Each save is
 * recorded as a batch (rebalance_batches: the grids with the version it wrote, the buildings it
 * moved) in the same transaction, so it can be undone as a whole (rebalanceUndo.ts).
 */
import { sql } from 'drizzle-orm';
import { executeRows, type DbHandle, type Executor } from '../../db/client';
import { bandStatus, type HouseholdBand } from '../../kernel/householdBand';
import { DomainError } from '../http/domainError';
import { EditNotFound, inCommunityTransaction, VersionConflict, type EditOptions, type EditResult } from '../grids/editing';
import { bandOf } from './bands';

interface Piece {
  id: number;
  code: string;
  households: number;
  gridId: number;
}

/** Pieces of the community's buildings: id, figures, grid, and the piece geometry kept in a temp-free CTE. */
const piecesCte = (communityCode: string) => sql`
  pts AS (SELECT b.id, b.code, b.households, b.grid_id, b.geom FROM buildings b JOIN grids g ON g.id = b.grid_id WHERE g.community_code = ${communityCode}),
  env AS (SELECT ST_Expand(geom::box2d::geometry, 0.01) AS box FROM regions WHERE code = ${communityCode}),
  cells AS (SELECT grid_id, (ST_Dump(ST_VoronoiPolygons(ST_Collect(geom), 0, (SELECT box FROM env)))).geom AS cell FROM pts GROUP BY grid_id HAVING count(*) > 1),
  pieces AS MATERIALIZED (
    SELECT p.id, p.code, p.households, p.grid_id, ST_CollectionExtract(ST_Intersection(c.cell, g.geom), 3) AS geom
    FROM pts p JOIN cells c ON c.grid_id = p.grid_id AND ST_Intersects(c.cell, p.geom) JOIN grids g ON g.id = p.grid_id
    UNION ALL
    -- A grid's only building owns the whole grid.
    SELECT p.id, p.code, p.households, p.grid_id, g.geom FROM pts p JOIN grids g ON g.id = p.grid_id
    WHERE (SELECT count(*) FROM pts q WHERE q.grid_id = p.grid_id) = 1)`;

async function loadPieces(tx: Executor, communityCode: string) {
  const pieces = await executeRows<{ id: number; code: string; households: number; grid_id: number }>(
    tx,
    sql`WITH ${piecesCte(communityCode)} SELECT DISTINCT ON (id) id, code, households, grid_id FROM pieces WHERE NOT ST_IsEmpty(geom) ORDER BY id`,
  );
  const pairs = await executeRows<{ a: number; b: number }>(
    tx,
    sql`WITH ${piecesCte(communityCode)}
        SELECT p.id AS a, q.id AS b FROM pieces p JOIN pieces q ON p.id < q.id AND p.geom && q.geom
        -- Pieces of two grids are cut separately, so their common edge matches only to rounding: ~0.1 m tolerance, ≥ ~1 m shared.
        WHERE ST_Length(ST_Intersection(ST_Boundary(p.geom), ST_Buffer(q.geom, 0.000001))) > 0.00001`,
  );
  return { pieces: pieces.map((p) => ({ id: Number(p.id), code: p.code, households: Number(p.households), gridId: Number(p.grid_id) })), pairs: pairs.map((p) => [Number(p.a), Number(p.b)] as const) };
}

export interface RebalanceMove {
  building: string;
  households: number;
  from: string;
  to: string;
}

/** Pure greedy over the piece graph (exported for the unit test). */
export function planRebalance(pieces: Piece[], pairs: readonly (readonly [number, number])[], band: HouseholdBand, maxMoves = 200): { buildingId: number; from: number; to: number }[] {
  const owner = new Map(pieces.map((p) => [p.id, p.gridId]));
  const hh = new Map(pieces.map((p) => [p.id, p.households]));
  const adj = new Map<number, number[]>(pieces.map((p) => [p.id, []]));
  for (const [a, b] of pairs) {
    adj.get(a)?.push(b);
    adj.get(b)?.push(a);
  }
  const totals = new Map<number, number>();
  for (const p of pieces) totals.set(p.gridId, (totals.get(p.gridId) ?? 0) + p.households);
  const deviation = (n: number) => (n > band.max ? n - band.max : n < band.min ? band.min - n : 0);
  const connectedWithout = (grid: number, removed: number) => {
    const mine = pieces.filter((p) => owner.get(p.id) === grid && p.id !== removed).map((p) => p.id);
    if (mine.length === 0) return false; // a grid never gives its last building
    const seen = new Set([mine[0] as number]);
    const stack = [mine[0] as number];
    while (stack.length > 0) {
      for (const q of adj.get(stack.pop() as number) ?? []) {
        if (!seen.has(q) && owner.get(q) === grid && q !== removed) {
          seen.add(q);
          stack.push(q);
        }
      }
    }
    return seen.size === mine.length;
  };
  const moves: { buildingId: number; from: number; to: number }[] = [];
  const stuck = new Set<number>();
  for (let step = 0; step < maxMoves; step++) {
    const out = [...totals].filter(([g, n]) => deviation(n) > 0 && !stuck.has(g)).sort((x, y) => deviation(y[1]) - deviation(x[1]) || x[0] - y[0]);
    const first = out[0];
    if (!first) break;
    const [grid, n] = first;
    const over = n > band.max;
    // Candidate (piece, from, to) transfers across the grid's boundary.
    let best: { piece: number; from: number; to: number; score: number } | null = null;
    for (const p of pieces) {
      const pg = owner.get(p.id) as number;
      const neighbours = new Set((adj.get(p.id) ?? []).map((q) => owner.get(q) as number).filter((g) => g !== pg));
      const options = over ? (pg === grid ? [...neighbours] : []) : pg !== grid && neighbours.has(grid) ? [grid] : [];
      for (const to of options) {
        const from = pg;
        const h = hh.get(p.id) as number;
        const fromAfter = (totals.get(from) as number) - h;
        const toAfter = (totals.get(to) as number) + h;
        const before = deviation(totals.get(from) as number) + deviation(totals.get(to) as number);
        const after = deviation(fromAfter) + deviation(toAfter);
        if (after >= before) continue;
        if (!connectedWithout(from, p.id)) continue;
        const score = before - after + (bandStatus(toAfter, band) === 'in' ? 0.5 : 0) + (bandStatus(fromAfter, band) === 'in' ? 0.5 : 0);
        if (!best || score > best.score || (score === best.score && p.id < best.piece)) best = { piece: p.id, from, to, score };
      }
    }
    if (!best) {
      stuck.add(grid);
      continue;
    }
    const h = hh.get(best.piece) as number;
    owner.set(best.piece, best.to);
    totals.set(best.from, (totals.get(best.from) as number) - h);
    totals.set(best.to, (totals.get(best.to) as number) + h);
    const prior = moves.findIndex((m) => m.buildingId === best.piece);
    if (prior >= 0) moves.splice(prior, 1);
    const origin = pieces.find((p) => p.id === best.piece)?.gridId as number;
    if (origin !== best.to) moves.push({ buildingId: best.piece, from: origin, to: best.to });
    stuck.clear();
  }
  return moves;
}

/** The grids' new geometries after moving the given buildings' pieces (read-only). */
async function rebalancedGeometries(tx: Executor, communityCode: string, moves: { buildingId: number; to: number }[]) {
  if (moves.length === 0) return [];
  const ids = `{${moves.map((m) => m.buildingId).join(',')}}`;
  const tos = `{${moves.map((m) => m.to).join(',')}}`;
  return executeRows<{ id: number; code: string; version: number; geometry: string }>(
    tx,
    sql`
    WITH ${piecesCte(communityCode)},
    mv AS (SELECT unnest(${ids}::int[]) AS id, unnest(${tos}::int[]) AS to_id),
    moved AS (SELECT p.grid_id AS from_id, mv.to_id, p.geom FROM pieces p JOIN mv ON mv.id = p.id),
    lost AS (SELECT from_id AS gid, ST_Union(geom) AS geom FROM moved GROUP BY from_id),
    gained AS (SELECT to_id AS gid, ST_Union(geom) AS geom FROM moved GROUP BY to_id),
    raw AS (
      SELECT g.id, g.code, g.version, ST_Union(coalesce(ST_Difference(g.geom, l.geom), g.geom), coalesce(n.geom, ST_SetSRID('GEOMETRYCOLLECTION EMPTY'::geometry, 4326))) AS geom
      FROM grids g LEFT JOIN lost l ON l.gid = g.id LEFT JOIN gained n ON n.gid = g.id
      WHERE g.community_code = ${communityCode} AND (l.gid IS NOT NULL OR n.gid IS NOT NULL)),
    -- Rounding leftovers of the cut (degenerate rings, specks far below the sliver rule) are dropped.
    parts AS (SELECT r.id, (ST_Dump(ST_CollectionExtract(ST_MakeValid(ST_SnapToGrid(r.geom, 0.000000001)), 3))).geom AS geom FROM raw r),
    merged AS (
      SELECT r.id, r.code, r.version, ST_Union(p.geom) AS geom
      FROM raw r JOIN parts p ON p.id = r.id WHERE ST_Area(p.geom) > 0.0000000001
      GROUP BY r.id, r.code, r.version)
    -- Snapped to the precision the outline is written with (9 decimals) and unioned once more:
    -- a gained piece that met the grid only to within rounding (irregular outlines) shares an
    -- exact edge with it after the snap and merges, instead of two parts on one edge (invalid).
    SELECT id, code, version, ST_AsGeoJSON(ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_UnaryUnion(ST_SnapToGrid(geom, 0.000000001))), 3)), 9) AS geometry
    FROM merged ORDER BY code`,
  );
}

async function gridsOf(tx: Executor, communityCode: string) {
  return executeRows<{ id: number; code: string; name: string; version: number; households: number }>(
    tx,
    sql`SELECT g.id, g.code, g.name, g.version, coalesce((SELECT sum(b.households) FROM buildings b WHERE b.grid_id = g.id), 0)::int AS households FROM grids g WHERE g.community_code = ${communityCode} ORDER BY g.code`,
  );
}

/** GET: the suggestion — moves, per-grid households before/after, the new outlines of the grids that change. */
export async function suggestRebalance(handle: DbHandle, communityCode: string) {
  const grids = await gridsOf(handle.db, communityCode);
  if (grids.length === 0) throw new EditNotFound(`社区 ${communityCode} 没有网格`);
  const band = await bandOf(handle.db, communityCode);
  const { pieces, pairs } = await loadPieces(handle.db, communityCode);
  const plan = planRebalance(pieces, pairs, band);
  const byId = new Map(grids.map((g) => [g.id, g]));
  const pieceById = new Map(pieces.map((p) => [p.id, p]));
  const after = new Map(grids.map((g) => [g.id, Number(g.households)]));
  for (const m of plan) {
    const h = pieceById.get(m.buildingId)?.households ?? 0;
    after.set(m.from, (after.get(m.from) as number) - h);
    after.set(m.to, (after.get(m.to) as number) + h);
  }
  const geometries = await rebalancedGeometries(handle.db, communityCode, plan);
  // Where each moving building stands, for the preview on the map.
  const points =
    plan.length === 0
      ? []
      : await executeRows<{ id: number; lon: number; lat: number }>(
          handle.db,
          sql`SELECT id, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM buildings WHERE id = ANY(${`{${plan.map((m) => m.buildingId).join(',')}}`}::int[])`,
        );
  const at = new Map(points.map((p) => [Number(p.id), [Number(p.lon), Number(p.lat)] as [number, number]]));
  return {
    communityCode,
    band: { min: band.min, max: band.max, configured: band.configured },
    moves: plan.map((m) => ({
      building: pieceById.get(m.buildingId)?.code as string,
      households: pieceById.get(m.buildingId)?.households as number,
      from: byId.get(m.from)?.code as string,
      to: byId.get(m.to)?.code as string,
      position: at.get(m.buildingId) ?? null,
    })),
    grids: grids.map((g) => ({
      code: g.code,
      name: g.name,
      version: g.version,
      before: Number(g.households),
      after: after.get(g.id) as number,
      statusBefore: bandStatus(Number(g.households), band),
      status: bandStatus(after.get(g.id) as number, band),
    })),
    geometries: geometries.map((g) => ({ code: g.code, geometry: JSON.parse(g.geometry) as GeoJSON.MultiPolygon })),
  };
}

class RebalanceInvalid extends DomainError {
  constructor(errors: { field: string; reason: string }[]) {
    super(400, '均衡方案无效', errors.map((e) => e.reason).join('；'), { errors });
  }
}

/**
 * POST: saves the (possibly edited) moves through the normal community transaction: versions
 * checked, outlines rebuilt from the building pieces, every topology rule, dry run with impact.
 */
export async function applyRebalance(
  handle: DbHandle,
  communityCode: string,
  input: { moves: { building: string; to: string }[]; versions: { code: string; version: number }[] },
  options: EditOptions,
): Promise<EditResult & { batch: number | null }> {
  let batch: number | null = null;
  const result = await inCommunityTransaction(handle, communityCode, 'update', { ...options, note: options.note ?? '均衡' }, async (tx) => {
    const grids = await executeRows<{ id: number; code: string; version: number; updated_by: string | null; geometry: string }>(
      tx,
      sql`SELECT id, code, version, updated_by, ST_AsGeoJSON(geom, 7) AS geometry FROM grids WHERE community_code = ${communityCode} ORDER BY id FOR UPDATE`,
    );
    const byCode = new Map(grids.map((g) => [g.code, g]));
    const errors: { field: string; reason: string }[] = [];
    const codes = input.moves.map((m) => m.building);
    const rows =
      codes.length === 0
        ? []
        : await executeRows<{ id: number; code: string; grid_id: number | null; households: number }>(
            tx,
            sql`SELECT b.id, b.code, b.grid_id, b.households FROM buildings b WHERE b.code = ANY(${`{${codes.map((c) => `"${c.replace(/["\\]/g, '')}"`).join(',')}}`}::text[])`,
          );
    const building = new Map(rows.map((r) => [r.code, r]));
    const moves: { buildingId: number; to: number; code: string; households: number; fromId: number; from: string; toCode: string }[] = [];
    input.moves.forEach((m, i) => {
      const b = building.get(m.building);
      const to = byCode.get(m.to);
      if (!b) errors.push({ field: `moves[${i}].building`, reason: `楼栋 ${m.building} 不存在` });
      else if (!grids.some((g) => g.id === b.grid_id)) errors.push({ field: `moves[${i}].building`, reason: `楼栋 ${m.building} 不在社区 ${communityCode} 的网格内` });
      if (!to) errors.push({ field: `moves[${i}].to`, reason: `网格 ${m.to} 不在社区 ${communityCode}` });
      const from = grids.find((g) => g.id === b?.grid_id);
      if (b && to && from && b.grid_id !== to.id) moves.push({ buildingId: Number(b.id), to: to.id, code: b.code, households: Number(b.households), fromId: from.id, from: from.code, toCode: to.code });
    });
    if (errors.length > 0) throw new RebalanceInvalid(errors);
    const geometries = await rebalancedGeometries(tx, communityCode, moves);
    const versions = new Map(input.versions.map((v) => [v.code, v.version]));
    for (const g of geometries) {
      const current = byCode.get(g.code);
      if (current && versions.get(g.code) !== current.version) {
        throw new VersionConflict({ code: current.code, version: current.version, updatedBy: current.updated_by, geometry: JSON.parse(current.geometry) as GeoJSON.Geometry });
      }
    }
    const written: { id: number; code: string; version: number }[] = [];
    for (const g of geometries) {
      const [row] = await executeRows<{ id: number; code: string; version: number }>(tx, sql`UPDATE grids SET geom = ST_SetSRID(ST_GeomFromGeoJSON(${g.geometry}), 4326) WHERE id = ${g.id} RETURNING id, code, version`);
      // Only grids whose outline really changed got a version (the trigger skips no-ops): those are what an undo restores.
      if (row && row.version !== byCode.get(row.code)?.version) written.push({ id: Number(row.id), code: row.code, version: Number(row.version) });
    }
    if (written.length > 0) {
      const recorded = moves.map((m) => ({ id: m.buildingId, code: m.code, households: m.households, fromId: m.fromId, from: m.from, toId: m.to, to: m.toCode }));
      const [row] = await executeRows<{ id: number }>(
        tx,
        sql`INSERT INTO rebalance_batches (community_code, actor, username, grids, moves) VALUES (${communityCode}, ${options.actor}, ${options.user.username}, ${JSON.stringify(written)}::jsonb, ${JSON.stringify(recorded)}::jsonb) RETURNING id`,
      );
      batch = row ? Number(row.id) : null;
    }
    return { touched: geometries.map((g) => g.id) };
  });
  // A dry run rolled its batch back with everything else.
  return { ...result, batch: result.dryRun ? null : batch };
}
