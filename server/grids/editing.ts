/**
 * Grid edits, each in one transaction that locks the community, so edits within a
 * community are serialised and the topology rules see a consistent picture:
 *   apply the change → adjust neighbours (they give up what the grid now covers and
 *   take what it gave up) → check the rules → commit, or roll back with the reasons.
 * Versions are written by the database trigger (migration 0002), per grid changed; the
 * transaction runs through gridWriteTransaction, which keeps tiles and generalised areas current.
 */
import { sql } from 'drizzle-orm';
import { DomainError, ForbiddenError, NotFoundError } from '../http/domainError';
import { executeRows, type DbHandle, type Executor } from '../../db/client';
import { gridAttributeAssignments, pickGridAttributes, type GridAttributes } from '../../db/gridRecord';
import { gridWriteTransaction } from './gridWrites';
import { applyRenumber, checkExpectedPlan, nextFreeCodes, renumberPlan, type RenumberEntry } from './codes';
import type { PolygonGeometry } from './geometryInput';
import { withinJurisdiction, type SessionUser } from '../../kernel/roles';
import type { GridRules, Violation } from './rules';
import { followBaseGrids } from './microFollow';
import { invalidInput, topologyViolations } from './topology';
import { editImpact, type EditImpact } from '../buildings/impact';

/** 422: the save breaks topology rules; `violations` carry the offending geometries. */
export class EditRejected extends DomainError {
  constructor(readonly violations: Violation[]) {
    super(422, '保存被拒绝', violations.map((v) => v.message).join('；') || '不满足网格拓扑规则', { violations });
  }
}

/** 409: the grid changed since the version the editor started from. */
export class VersionConflict extends DomainError {
  constructor(readonly current: { code: string; version: number; updatedBy: string | null; geometry: GeoJSON.Geometry }) {
    super(409, '版本冲突', `网格 ${current.code} 已被他人修改（当前版本 ${current.version}），请刷新后重试`, { current });
  }
}

export class EditNotFound extends NotFoundError {}

/** A planner editing outside their jurisdiction. */
export class EditForbidden extends ForbiddenError {}

export interface EditOptions {
  actor: string;
  /** Who edits; planners only inside their jurisdiction. */
  user: SessionUser;
  rules: GridRules;
  note?: string;
  /** Check everything and report, then roll back. */
  dryRun?: boolean;
}

export interface EditResult {
  /** Every grid the edit touched, with its new version (or 'deleted'). */
  changes: { code: string; version: number; action: string }[];
  created: string[];
  deleted: string[];
  dryRun: boolean;
  /** Dry runs only: the buildings, households, incidents, coverage and worker load the edit moves (server/buildings/impact.ts). */
  impact?: EditImpact;
}

/** The attributes an edit may change: the writable keys of the grid record. */
export type { GridAttributes };

class RollbackForDryRun extends Error {
  constructor(readonly result: EditResult) {
    super('dry run');
  }
}

interface LockedGrid {
  id: number;
  code: string;
  community_code: string;
  version: number;
}

/** Runs `work` in a transaction holding the community's lock, with versioning context set. */
export async function inCommunityTransaction(
  handle: DbHandle,
  communityCode: string,
  action: string,
  options: EditOptions,
  work: (tx: Executor, mark: number) => Promise<{ touched: number[]; created?: string[]; deleted?: string[] }>,
): Promise<EditResult> {
  if (!withinJurisdiction(options.user, communityCode)) {
    throw new EditForbidden(`您的辖区（${options.user.jurisdictionCode ?? '无'}）不包括社区 ${communityCode}`);
  }
  try {
    return await gridWriteTransaction(handle, async (tx, mark) => {
      // Versioning context and the community lock in one round trip.
      const locked = await executeRows(
        tx,
        sql`SELECT code, set_config('dangjian.actor', ${options.actor}, true), set_config('dangjian.action', ${action}, true), set_config('dangjian.note', ${options.note ?? ''}, true)
            FROM regions WHERE code = ${communityCode} AND level = 'community' FOR UPDATE`,
      );
      if (locked.length === 0) throw new EditNotFound(`社区 ${communityCode} 不存在`);
      const { touched, created = [], deleted = [] } = await work(tx, mark);
      // 微网格 follow their base grids before the rules look (./microFollow.ts).
      const violations = [...(await topologyViolations(tx, communityCode, touched, options.rules)), ...(await followBaseGrids(tx, mark, options.rules))];
      if (violations.length > 0) throw new EditRejected(violations);
      const changes = await executeRows<{ code: string; version: number; action: string }>(
        tx,
        sql`
        SELECT coalesce(g.code, v.grid_code) AS code, v.version, v.action
        FROM grid_versions v LEFT JOIN grids g ON g.id = v.grid_id
        WHERE v.id > ${mark} AND v.actor = ${options.actor} AND v.at = now()
        ORDER BY v.id`,
      );
      const result: EditResult = { changes, created, deleted, dryRun: Boolean(options.dryRun) };
      if (options.dryRun) result.impact = await editImpact(tx, mark, communityCode);
      if (options.dryRun) throw new RollbackForDryRun(result);
      return result;
    });
  } catch (e) {
    if (e instanceof RollbackForDryRun) return e.result;
    throw e;
  }
}

async function lockGrid(tx: Executor, code: string, expectedVersion?: number): Promise<LockedGrid> {
  const [grid] = await executeRows<LockedGrid & { updated_by: string | null; geometry: string }>(
    tx,
    sql`
    SELECT id, code, community_code, version, updated_by, ST_AsGeoJSON(geom, 7) AS geometry FROM grids WHERE code = ${code} FOR UPDATE`,
  );
  if (!grid) throw new EditNotFound(`网格编码 ${code} 不存在`);
  if (expectedVersion !== undefined && grid.version !== expectedVersion) {
    throw new VersionConflict({ code: grid.code, version: grid.version, updatedBy: grid.updated_by, geometry: JSON.parse(grid.geometry) as GeoJSON.Geometry });
  }
  return grid;
}

async function communityOf(handle: DbHandle, code: string): Promise<string> {
  const [row] = await handle.rows<{ community_code: string }>(sql`SELECT community_code FROM grids WHERE code = ${code}`);
  if (!row) throw new EditNotFound(`网格编码 ${code} 不存在`);
  return row.community_code;
}

const multiFromGeoJson = (geometry: PolygonGeometry) => sql`ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geometry)}), 4326))`;

async function rejectInvalidInput(tx: Executor, geometry: PolygonGeometry) {
  const invalid = await invalidInput(tx, JSON.stringify(geometry));
  if (invalid.length > 0) throw new EditRejected(invalid);
}

/**
 * Neighbours give up what the changed grids now cover; area the changed grids gave up
 * goes to the neighbour sharing the longest border with it. Returns the ids adjusted.
 * What was given up is found locally — the changed grids' geometry before this transaction
 * (their first version since `mark`) minus their geometry now, minus the few grids that
 * overlap it — not by unioning the whole community: that union was the slow tail of saves.
 * Gaps elsewhere in the community are not this edit's to fill; the gap rule (topology.ts)
 * still checks the whole community afterwards.
 */
async function adjustNeighbours(tx: Executor, communityCode: string, changedIds: number[], mark: number): Promise<number[]> {
  const ids = sql.join(
    changedIds.map((id) => sql`${id}`),
    sql`, `,
  );
  const shrunk = await executeRows<{ id: number }>(
    tx,
    sql`
    WITH changed AS (SELECT ST_Union(geom) AS geom FROM grids WHERE id IN (${ids}))
    UPDATE grids s SET geom = ST_Multi(ST_CollectionExtract(ST_Difference(s.geom, c.geom), 3))
    FROM changed c
    WHERE s.community_code = ${communityCode} AND s.id NOT IN (${ids}) AND s.geom && c.geom AND ST_Relate(s.geom, c.geom, '2********')
      AND NOT ST_CoveredBy(s.geom, c.geom)
    RETURNING s.id`,
  );
  // Each step is guarded so no ST_Difference is empty: the WASM engine answers no rows at all then (see tracedGaps in topology.ts).
  const grown = await executeRows<{ id: number }>(
    tx,
    sql`
    WITH first AS (
      SELECT DISTINCT ON (grid_id) before_geom AS geom FROM grid_versions
      WHERE id > ${mark} AND grid_id IN (${ids}) AND before_geom IS NOT NULL ORDER BY grid_id, id),
    before AS (SELECT ST_Union(geom) AS geom FROM first),
    now AS (SELECT ST_Union(geom) AS geom FROM grids WHERE id IN (${ids})),
    gave_up AS MATERIALIZED (
      SELECT CASE WHEN n.geom IS NULL THEN b.geom ELSE ST_Difference(b.geom, n.geom) END AS geom
      FROM before b, now n WHERE b.geom IS NOT NULL AND (n.geom IS NULL OR NOT ST_CoveredBy(b.geom, n.geom))),
    others AS MATERIALIZED (
      SELECT u.geom AS gave_up, (SELECT ST_Union(s.geom) FROM grids s WHERE s.community_code = ${communityCode} AND s.id NOT IN (${ids}) AND s.geom && u.geom) AS covered
      FROM gave_up u),
    uncovered AS MATERIALIZED (
      SELECT CASE WHEN o.covered IS NULL THEN o.gave_up ELSE ST_Difference(o.gave_up, o.covered) END AS geom
      FROM others o WHERE o.covered IS NULL OR NOT ST_CoveredBy(o.gave_up, o.covered)),
    gaps AS (
      SELECT row_number() OVER () AS gap_id, d.geom
      FROM uncovered u, LATERAL ST_Dump(ST_CollectionExtract(u.geom, 3)) d WHERE ST_Area(d.geom) > 0),
    scored AS (
      SELECT DISTINCT ON (gaps.gap_id) gaps.gap_id, gaps.geom, s.id,
             ST_Length(ST_CollectionExtract(ST_Intersection(ST_Boundary(gaps.geom), s.geom), 2)) AS shared
      FROM gaps JOIN grids s ON s.community_code = ${communityCode} AND s.id NOT IN (${ids}) AND s.geom && gaps.geom
      ORDER BY gaps.gap_id, shared DESC),
    target AS (SELECT id, ST_Union(geom) AS extra FROM scored WHERE shared > 0 GROUP BY id)
    UPDATE grids s SET geom = ST_Multi(ST_CollectionExtract(ST_Union(s.geom, t.extra), 3))
    FROM target t WHERE s.id = t.id
    RETURNING s.id`,
  );
  return [...new Set([...shrunk, ...grown].map((r) => r.id))];
}

/** Reshape and/or re-attribute one grid. */
export async function updateGrid(
  handle: DbHandle,
  code: string,
  change: { version: number; geometry?: PolygonGeometry; attributes?: GridAttributes; adjustNeighbours?: boolean },
  options: EditOptions,
): Promise<EditResult> {
  const community = await communityOf(handle, code);
  return inCommunityTransaction(handle, community, 'update', options, async (tx, mark) => {
    const grid = await lockGrid(tx, code, change.version);
    const sets = gridAttributeAssignments(change.attributes ?? {});
    if (change.geometry) {
      await rejectInvalidInput(tx, change.geometry);
      sets.push(sql`geom = ${multiFromGeoJson(change.geometry)}`);
    }
    if (sets.length > 0) await tx.execute(sql`UPDATE grids SET ${sql.join(sets, sql`, `)} WHERE id = ${grid.id}`);
    const adjusted = change.geometry && change.adjustNeighbours !== false ? await adjustNeighbours(tx, community, [grid.id], mark) : [];
    return { touched: [grid.id, ...adjusted] };
  });
}

/** Draw a new grid inside a community; neighbours give up the area it takes. */
export async function createGrid(handle: DbHandle, input: { communityCode: string; geometry: PolygonGeometry; attributes?: GridAttributes }, options: EditOptions): Promise<EditResult> {
  return inCommunityTransaction(handle, input.communityCode, 'create', options, async (tx, mark) => {
    await rejectInvalidInput(tx, input.geometry);
    const [code] = (await nextFreeCodes(tx, input.communityCode, 1)) as [string];
    const seq = Number(code.slice(12));
    const [community] = await executeRows<{ name: string }>(tx, sql`SELECT name FROM regions WHERE code = ${input.communityCode}`);
    const shortName = (community?.name ?? '').replace(/(社区)?居(民)?委(员)?会$/, '社区').replace(/村(民)?委(员)?会$/, '村');
    const [row] = await executeRows<{ id: number }>(
      tx,
      sql`
      INSERT INTO grids (code, name, community_code, street_code, district_code, geom, label_point)
      SELECT ${code}, ${input.attributes?.name ?? `${shortName}第${seq}网格`}, ${input.communityCode}, left(${input.communityCode}, 9), left(${input.communityCode}, 6),
             g, ST_PointOnSurface(g)
      FROM (SELECT ${multiFromGeoJson(input.geometry)} AS g) x
      RETURNING id`,
    );
    const id = row!.id;
    const sets = gridAttributeAssignments({ ...input.attributes, name: undefined });
    if (sets.length > 0) await tx.execute(sql`UPDATE grids SET ${sql.join(sets, sql`, `)} WHERE id = ${id}`);
    const adjusted = await adjustNeighbours(tx, input.communityCode, [id], mark);
    return { touched: [id, ...adjusted], created: [code] };
  });
}

interface SplitPiece {
  part: number;
  geom: string;
  area: number;
}

/** Where a split line crosses or touches itself: the nodes ST_Node makes where more than two edges meet. */
async function selfIntersections(tx: Executor, line: string): Promise<GeoJSON.Geometry | null> {
  const [row] = await executeRows<{ simple: boolean; points: string | null }>(
    tx,
    sql`
    WITH l AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON(${line}), 4326) AS g),
         edges AS (SELECT (ST_Dump(ST_Node(g))).geom AS e FROM l WHERE NOT ST_IsSimple(g)),
         ends AS (SELECT ST_StartPoint(e) AS p FROM edges UNION ALL SELECT ST_EndPoint(e) FROM edges),
         nodes AS (SELECT p FROM ends GROUP BY p HAVING count(*) > 2)
    SELECT (SELECT ST_IsSimple(g) FROM l) AS simple, (SELECT ST_AsGeoJSON(ST_Collect(p), 7) FROM nodes) AS points`,
  );
  if (row?.simple) return null;
  return row?.points ? (JSON.parse(row.points) as GeoJSON.Geometry) : (JSON.parse(line) as GeoJSON.Geometry);
}

/**
 * Split a grid by a line into exactly two grids: the line must be simple (not cross or touch
 * itself) and cut exactly one of the grid's polygons into exactly two pieces. The piece first
 * in reading order keeps the code (with any polygons of the grid the line does not cut); the
 * other gets the next never-used code.
 */
export async function splitGrid(handle: DbHandle, code: string, change: { version: number; line: GeoJSON.LineString }, options: EditOptions): Promise<EditResult> {
  const community = await communityOf(handle, code);
  return inCommunityTransaction(handle, community, 'split', options, async (tx) => {
    const grid = await lockGrid(tx, code, change.version);
    const line = JSON.stringify(change.line);
    const crossing = await selfIntersections(tx, line);
    if (crossing) {
      throw new EditRejected([{ rule: 'split', message: '分割线自相交（与自身交叉或接触），无法分割网格：请画一条不交叉的线', gridCode: code, geometry: crossing }]);
    }
    const pieces = await executeRows<SplitPiece>(
      tx,
      sql`
      SELECT p.path[1] AS part, ST_AsEWKT(s.geom) AS geom, ST_Area(s.geom::geography) AS area
      FROM grids g, LATERAL ST_Dump(g.geom) p,
           LATERAL ST_Dump(ST_CollectionExtract(ST_Split(p.geom, ST_SetSRID(ST_GeomFromGeoJSON(${line}), 4326)), 3)) s
      WHERE g.id = ${grid.id}
      ORDER BY ST_YMax(s.geom) DESC, ST_XMin(s.geom)`,
    );
    const byPart = new Map<number, SplitPiece[]>();
    for (const piece of pieces) byPart.set(Number(piece.part), [...(byPart.get(Number(piece.part)) ?? []), piece]);
    const cut = [...byPart.values()].filter((p) => p.length > 1);
    if (cut.length === 0) {
      throw new EditRejected([{ rule: 'split', message: '分割线没有把网格分成两部分：分割线应完全穿过网格', gridCode: code, geometry: change.line }]);
    }
    const cutPieces = cut.flat();
    if (cut.length > 1 || cutPieces.length !== 2) {
      const [shape] = await executeRows<{ geometry: string }>(
        tx,
        sql`
        SELECT ST_AsGeoJSON(ST_Collect(ARRAY[${sql.join(
          cutPieces.map((p) => sql`ST_GeomFromEWKT(${p.geom})`),
          sql`, `,
        )}]), 7) AS geometry`,
      );
      const count = 1 + cut.reduce((n, p) => n + p.length - 1, 0);
      throw new EditRejected([{ rule: 'split', message: `分割线会把网格分成 ${count} 部分，应恰好分成两部分：请只穿过网格一次`, gridCode: code, geometry: JSON.parse(shape!.geometry) as GeoJSON.Geometry }]);
    }
    // Pieces are in reading order: the first cut piece keeps the code, together with the polygons the line missed.
    const [keepPiece, newPiece] = cutPieces as [SplitPiece, SplitPiece];
    const kept = pieces.filter((p) => p !== newPiece);
    const total = pieces.reduce((s, p) => s + Number(p.area), 0);
    const [newCode] = (await nextFreeCodes(tx, community, 1)) as [string];
    const [source] = await executeRows<{ households: number; population: number; name: string }>(tx, sql`SELECT households, population, name FROM grids WHERE id = ${grid.id}`);
    const share = Number(newPiece.area) / total;
    const [row] = await executeRows<{ id: number }>(
      tx,
      sql`
      INSERT INTO grids (code, name, community_code, street_code, district_code, geom, label_point, households, population,
                         party_org_name, party_org_type, party_secretary, star_rating)
      SELECT ${newCode}, regexp_replace(name, '第\\d+网格$', ${`第${Number(newCode.slice(12))}网格`}), community_code, street_code, district_code,
             ST_Multi(ST_GeomFromEWKT(${newPiece.geom})), ST_PointOnSurface(ST_GeomFromEWKT(${newPiece.geom})),
             round(households * ${share}::float8)::int, round(population * ${share}::float8)::int, NULL, NULL, NULL, 0
      FROM grids WHERE id = ${grid.id}
      RETURNING id`,
    );
    const keepShare = 1 - share;
    const keepGeom =
      kept.length === 1
        ? sql`ST_Multi(ST_GeomFromEWKT(${keepPiece.geom}))`
        : sql`ST_Multi(ST_Collect(ARRAY[${sql.join(
            kept.map((p) => sql`ST_GeomFromEWKT(${p.geom})`),
            sql`, `,
          )}]))`;
    await tx.execute(sql`
      UPDATE grids SET geom = ${keepGeom},
             households = ${Math.round((source?.households ?? 0) * keepShare)}, population = ${Math.round((source?.population ?? 0) * keepShare)}
      WHERE id = ${grid.id}`);
    return { touched: [grid.id, row!.id], created: [newCode] };
  });
}

/** Merge adjacent grids of one community into the first (lowest code); the others are retired. */
export async function mergeGrids(handle: DbHandle, grids: { code: string; version: number }[], options: EditOptions): Promise<EditResult> {
  const codes = grids.map((g) => g.code).sort();
  const community = await communityOf(handle, codes[0] as string);
  return inCommunityTransaction(handle, community, 'merge', options, async (tx) => {
    const locked: LockedGrid[] = [];
    for (const g of [...grids].sort((a, b) => a.code.localeCompare(b.code))) locked.push(await lockGrid(tx, g.code, g.version));
    const foreign = locked.filter((g) => g.community_code !== community);
    if (foreign.length > 0) {
      throw new EditRejected(foreign.map((g) => ({ rule: 'not_adjacent' as const, message: `网格 ${g.code} 不属于社区 ${community}，不能合并`, gridCode: g.code })));
    }
    const ids = sql.join(
      locked.map((g) => sql`${g.id}`),
      sql`, `,
    );
    const [shape] = await executeRows<{ parts: number; geometry: string }>(
      tx,
      sql`
      SELECT ST_NumGeometries(u) AS parts, ST_AsGeoJSON(u, 7) AS geometry
      FROM (SELECT ST_Multi(ST_Union(geom)) AS u FROM grids WHERE id IN (${ids})) x`,
    );
    if (Number(shape?.parts) !== 1) {
      throw new EditRejected([{ rule: 'not_adjacent', message: '所选网格不相邻（合并后不是一个连续区域）', geometry: JSON.parse(shape!.geometry) as GeoJSON.Geometry }]);
    }
    const [keep, ...retire] = locked as [LockedGrid, ...LockedGrid[]];
    const retireIds = sql.join(
      retire.map((g) => sql`${g.id}`),
      sql`, `,
    );
    await tx.execute(sql`
      UPDATE grids k SET geom = ST_Multi(ST_Union(k.geom, u.geom)), households = k.households + u.households, population = k.population + u.population,
             party_members = k.party_members + u.party_members, dual_report_members = k.dual_report_members + u.dual_report_members
      FROM (SELECT ST_Union(geom) AS geom, sum(households)::int AS households, sum(population)::int AS population,
                   sum(party_members)::int AS party_members, sum(dual_report_members)::int AS dual_report_members
            FROM grids WHERE id IN (${retireIds})) u
      WHERE k.id = ${keep.id}`);
    // Retire after the survivor grew, so the community is never uncovered inside the transaction.
    await tx.execute(sql`DELETE FROM grids WHERE id IN (${retireIds})`);
    return { touched: [keep.id], deleted: retire.map((g) => g.code) };
  });
}

/** Restore a grid's geometry and attributes from an earlier version, as a new version. */
export async function revertGrid(handle: DbHandle, code: string, change: { toVersion: number; version: number }, options: EditOptions): Promise<EditResult> {
  const community = await communityOf(handle, code);
  return inCommunityTransaction(handle, community, 'revert', { ...options, note: options.note ?? `回退到版本 ${change.toVersion}` }, async (tx, mark) => {
    const grid = await lockGrid(tx, code, change.version);
    const [target] = await executeRows<{ geometry: string | null; attrs: Record<string, unknown> | null }>(
      tx,
      sql`
      SELECT ST_AsGeoJSON(after_geom) AS geometry, after_attrs AS attrs FROM grid_versions WHERE grid_id = ${grid.id} AND version = ${change.toVersion}`,
    );
    if (!target?.geometry) throw new EditNotFound(`网格 ${code} 没有版本 ${change.toVersion}`);
    // The snapshot (grid_attrs, migration 0002) also holds code and community: only the writable keys go back.
    const sets = gridAttributeAssignments(pickGridAttributes((target.attrs ?? {}) as GridAttributes));
    sets.push(sql`geom = (SELECT after_geom FROM grid_versions WHERE grid_id = ${grid.id} AND version = ${change.toVersion})`);
    await tx.execute(sql`UPDATE grids SET ${sql.join(sets, sql`, `)} WHERE id = ${grid.id}`);
    const adjusted = await adjustNeighbours(tx, community, [grid.id], mark);
    return { touched: [grid.id, ...adjusted] };
  });
}

/** Renumber a community's grids in reading order; `expected` must match the previewed plan. */
export async function renumberCommunity(handle: DbHandle, communityCode: string, expected: { oldCode: string; newCode: string }[] | undefined, options: EditOptions): Promise<EditResult & { plan: RenumberEntry[] }> {
  let plan: RenumberEntry[] = [];
  const result = await inCommunityTransaction(handle, communityCode, 'recode', options, async (tx) => {
    plan = await renumberPlan(tx, communityCode);
    if (expected) await checkExpectedPlan(tx, communityCode, expected, plan);
    const moved = await applyRenumber(tx, communityCode, plan);
    return { touched: moved.map((m) => m.id) };
  });
  return { ...result, plan };
}
