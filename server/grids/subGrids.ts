/**
 * Why: 微网格 and 专属网格 are read and saved here (table sub_grids), with the same discipline as
 * the base grids: one transaction holding the community's lock, the change applied, the level's
 * rules checked (./levelTopology.ts), commit or roll back with the reasons; versions written by
 * the trigger (sub_grid_versions); planners only inside their jurisdiction; tiles told which
 * extent changed. New codes follow kernel/gridCode.ts (next free sequence of the base grid or
 * of the kind in the community).
 */
import { sql } from 'drizzle-orm';
import { executeRows, type DbHandle, type Executor } from '../../db/client';
import type { Bbox } from '../../kernel/bbox';
import { EXCLUSIVE_KIND_DIGIT, formatExclusiveGridCode, formatMicroGridCode, type ExclusiveKind } from '../../kernel/gridCode';
import { withinJurisdiction, type SessionUser } from '../../kernel/roles';
import { DomainError } from '../http/domainError';
import { EditForbidden, EditNotFound, EditRejected, VersionConflict } from './editing';
import type { PolygonGeometry } from './geometryInput';
import { publishGridChange } from './gridWrites';
import { levelViolations } from './levelTopology';
import { fillGaps } from './microFollow';
import type { GridRules } from './rules';
import { invalidInput } from './topology';

export interface SubGridFilter {
  level?: 'micro' | 'exclusive';
  kind?: ExclusiveKind;
  parent?: string;
  community?: string;
  bbox?: Readonly<Bbox>;
}

interface SubGridRow {
  id: number;
  code: string;
  level: 'micro' | 'exclusive';
  kind: string | null;
  name: string;
  parent_grid_code: string | null;
  community_code: string;
  households: number;
  population: number;
  area_m2: number;
  version: number;
  geometry: string;
}

/** Sub grids as GeoJSON features (WGS84), filtered; at most `limit`. */
export async function listSubGrids(handle: DbHandle, filter: SubGridFilter, limit = 2000) {
  const where = [
    filter.level ? sql`level = ${filter.level}` : null,
    filter.kind ? sql`kind = ${filter.kind}` : null,
    filter.parent ? sql`parent_grid_code = ${filter.parent}` : null,
    filter.community ? sql`community_code = ${filter.community}` : null,
    filter.bbox ? sql`geom && ST_MakeEnvelope(${filter.bbox[0]}, ${filter.bbox[1]}, ${filter.bbox[2]}, ${filter.bbox[3]}, 4326)` : null,
  ].filter((w) => w !== null);
  const rows = await handle.rows<SubGridRow>(sql`
    SELECT id, code, level, kind, name, parent_grid_code, community_code, households, population, area_m2, version, ST_AsGeoJSON(geom, 7) AS geometry
    FROM sub_grids ${where.length > 0 ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``}
    ORDER BY code LIMIT ${limit}`);
  return {
    type: 'FeatureCollection' as const,
    features: rows.map((r) => ({
      type: 'Feature' as const,
      id: r.id,
      geometry: JSON.parse(r.geometry) as GeoJSON.MultiPolygon,
      properties: {
        code: r.code,
        level: r.level,
        kind: r.kind,
        name: r.name,
        parentGridCode: r.parent_grid_code,
        communityCode: r.community_code,
        households: r.households,
        population: r.population,
        areaM2: Math.round(Number(r.area_m2)),
        version: r.version,
      },
    })),
  };
}

export type SubGridCollection = Awaited<ReturnType<typeof listSubGrids>>;

export interface SubGridInput {
  level: 'micro' | 'exclusive';
  /** Base grid of a micro grid. */
  parentGridCode?: string;
  /** 专属网格: its kind and community. */
  kind?: ExclusiveKind;
  communityCode?: string;
  name: string;
  geometry: PolygonGeometry;
  households?: number;
  population?: number;
}

export interface SubGridSaveOptions {
  actor: string;
  user: SessionUser;
  rules: GridRules;
  dryRun?: boolean;
  /** 微网格: siblings give up what it now covers and take what it gave up (the editor's 自动调整相邻网格; default off: overlaps are refused). */
  adjustSiblings?: boolean;
}

/** What a sub-grid write did: the grid written and every sub grid it changed (siblings included; `deleted` for one retired). */
export interface SubGridWriteResult {
  code: string;
  version: number;
  dryRun: boolean;
  changes: { code: string; version: number; action: string; deleted: boolean }[];
}

class DryRun extends Error {
  constructor(readonly result: SubGridWriteResult) {
    super('dry run');
  }
}

const multi = (g: PolygonGeometry) => sql`ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(g)}), 4326))`;

/**
 * Creates a sub grid (code = next free sequence) or, with `code`, replaces its geometry and figures
 * (households/population left out keep theirs); `expectedVersion` (the editor's) must be the stored one, else 409.
 */
export async function saveSubGrid(handle: DbHandle, input: SubGridInput, options: SubGridSaveOptions, code?: string, expectedVersion?: number): Promise<SubGridWriteResult> {
  const where = await placeOf(handle, input, code);
  if (!code) {
    return writeSubGrid(handle, where.communityCode, 'create', options, input.geometry, input.households ?? 0, async (tx) => {
      const saved = await nextCode(tx, input, where.communityCode);
      const [row] = await executeRows<{ id: number }>(
        tx,
        sql`INSERT INTO sub_grids (code, level, kind, name, parent_grid_code, community_code, street_code, geom, households, population, updated_by)
            VALUES (${saved}, ${input.level}, ${input.level === 'exclusive' ? (input.kind ?? null) : null}, ${input.name}, ${input.level === 'micro' ? (input.parentGridCode ?? null) : null},
                    ${where.communityCode}, ${where.communityCode.slice(0, 9)}, ${multi(input.geometry)}, ${input.households ?? 0}, ${input.population ?? 0}, ${options.actor})
            RETURNING id`,
      );
      return { id: row!.id, code: saved, level: input.level };
    });
  }
  return writeSubGrid(handle, where.communityCode, 'update', options, input.geometry, input.households ?? null, async (tx) => {
    const row = await lockSubGrid(tx, code, expectedVersion);
    await tx.execute(
      sql`UPDATE sub_grids SET geom = ${multi(input.geometry)}, name = ${input.name}, households = coalesce(${input.households ?? null}::int, households), population = coalesce(${input.population ?? null}::int, population)
          WHERE id = ${row.id}`,
    );
    return row;
  });
}

/**
 * 回退: a sub grid's geometry, name and figures as they were after version `toVersion`, written as a new
 * version through the same transaction and rules as a save (a micro grid's siblings adjusted when asked).
 */
export async function revertSubGrid(handle: DbHandle, code: string, change: { toVersion: number; version: number }, options: SubGridSaveOptions): Promise<SubGridWriteResult> {
  const [row] = await handle.rows<{ community_code: string }>(sql`SELECT community_code FROM sub_grids WHERE code = ${code}`);
  if (!row) throw new EditNotFound(`网格编码 ${code} 不存在`);
  return writeSubGrid(handle, row.community_code, 'revert', options, null, null, async (tx) => {
    const locked = await lockSubGrid(tx, code, change.version);
    const [done] = await executeRows<{ id: number }>(
      tx,
      sql`UPDATE sub_grids s SET geom = v.after_geom, name = coalesce(v.after_attrs->>'name', s.name),
                 households = coalesce((v.after_attrs->>'households')::int, s.households), population = coalesce((v.after_attrs->>'population')::int, s.population)
          FROM sub_grid_versions v WHERE s.id = ${locked.id} AND v.sub_grid_id = s.id AND v.version = ${change.toVersion} AND v.after_geom IS NOT NULL
          RETURNING s.id`,
    );
    if (!done) throw new EditNotFound(`网格 ${code} 没有版本 ${change.toVersion}`);
    return locked;
  });
}

interface LockedSubGrid {
  id: number;
  code: string;
  level: 'micro' | 'exclusive';
}

/** The sub grid `code`, locked; a stale `expectedVersion` is a 409 with the stored shape to compare. */
async function lockSubGrid(tx: Executor, code: string, expectedVersion?: number): Promise<LockedSubGrid> {
  const [row] = await executeRows<LockedSubGrid & { version: number; updated_by: string | null; geometry: string }>(
    tx,
    sql`SELECT id, code, level, version, updated_by, ST_AsGeoJSON(geom, 7) AS geometry FROM sub_grids WHERE code = ${code} FOR UPDATE`,
  );
  if (!row) throw new EditNotFound(`网格编码 ${code} 不存在`);
  if (expectedVersion !== undefined && Number(row.version) !== expectedVersion) {
    throw new VersionConflict({ code: row.code, version: Number(row.version), updatedBy: row.updated_by, geometry: JSON.parse(row.geometry) as GeoJSON.Geometry });
  }
  return row;
}

/**
 * The one write path of the levels: in a transaction holding the community's lock (versioning context
 * set), `apply` writes the sub grid, a micro grid's siblings follow when asked, the level's rules are
 * checked, and the changes (from the versions written since the start) are reported; a dry run rolls back.
 * `households`: what a drawn micro grid holds (its remainder sibling gets the rest), null if unchanged.
 */
async function writeSubGrid(
  handle: DbHandle,
  communityCode: string,
  action: 'create' | 'update' | 'revert',
  options: SubGridSaveOptions,
  geometry: PolygonGeometry | null,
  households: number | null,
  apply: (tx: Executor) => Promise<LockedSubGrid>,
): Promise<SubGridWriteResult> {
  if (!withinJurisdiction(options.user, communityCode)) throw new EditForbidden(`您的辖区（${options.user.jurisdictionCode ?? '无'}）不包括社区 ${communityCode}`);
  let box: Bbox | null = null;
  try {
    const result = await handle.db.transaction(async (tx) => {
      const [lock] = await executeRows<{ mark: number }>(
        tx,
        sql`SELECT set_config('dangjian.actor', ${options.actor}, true), set_config('dangjian.action', ${action}, true), code,
                   (SELECT coalesce(max(id), 0) FROM sub_grid_versions) AS mark
            FROM regions WHERE code = ${communityCode} FOR UPDATE`,
      );
      const mark = Number(lock?.mark ?? 0);
      if (geometry) {
        const invalid = await invalidInput(tx, JSON.stringify(geometry));
        if (invalid.length > 0) throw new EditRejected(invalid);
      }
      const written = await apply(tx);
      const id = written.id;
      // A drawn micro grid takes its area from its siblings; what a reshape gives up goes back to them.
      const held = households ?? Number((await executeRows<{ households: number }>(tx, sql`SELECT households FROM sub_grids WHERE id = ${id}`))[0]?.households ?? 0);
      const adjusted = written.level === 'micro' && options.adjustSiblings === true ? await adjustSiblings(tx, id, held, options.actor) : [];
      const violations = await levelViolations(tx, [id, ...adjusted], options.rules);
      if (violations.length > 0) throw new EditRejected(violations);
      const [after] = await executeRows<{ code: string; version: number; xmin: number; ymin: number; xmax: number; ymax: number }>(
        tx,
        sql`SELECT s.code, s.version, ST_XMin(e) AS xmin, ST_YMin(e) AS ymin, ST_XMax(e) AS xmax, ST_YMax(e) AS ymax
            FROM sub_grids s, LATERAL (SELECT ST_Extent(g)::geometry AS e FROM (SELECT s.geom AS g UNION ALL SELECT before_geom FROM sub_grid_versions v WHERE v.sub_grid_id = s.id AND v.version = s.version
                                                                              UNION ALL SELECT geom FROM grids WHERE code = s.parent_grid_code) x) b
            WHERE s.id = ${id}`,
      );
      const changes = await executeRows<{ code: string; version: number; action: string; deleted: boolean }>(
        tx,
        sql`SELECT coalesce(s.code, v.code) AS code, v.version, v.action, (v.after_geom IS NULL) AS deleted
            FROM sub_grid_versions v LEFT JOIN sub_grids s ON s.id = v.sub_grid_id WHERE v.id > ${mark} ORDER BY v.id`,
      );
      const out: SubGridWriteResult = {
        code: after?.code ?? written.code,
        version: Number(after?.version ?? 1),
        dryRun: Boolean(options.dryRun),
        changes: changes.map((c) => ({ code: c.code, version: Number(c.version), action: c.action, deleted: Boolean(c.deleted) })),
      };
      if (options.dryRun) throw new DryRun(out);
      box = after ? [Number(after.xmin), Number(after.ymin), Number(after.xmax), Number(after.ymax)] : null;
      return out;
    });
    if (box) publishGridChange(handle, { grid: [box], community: [], street: [] });
    return result;
  } catch (e) {
    if (e instanceof DryRun) return e.result;
    throw e;
  }
}

async function placeOf(handle: DbHandle, input: SubGridInput, code?: string): Promise<{ communityCode: string }> {
  if (code) {
    const [row] = await handle.rows<{ community_code: string; level: string }>(sql`SELECT community_code, level FROM sub_grids WHERE code = ${code}`);
    if (!row) throw new EditNotFound(`网格编码 ${code} 不存在`);
    if (row.level !== input.level) throw new DomainError(422, '层级不符', `网格 ${code} 是${row.level === 'micro' ? '微网格' : '专属网格'}，不能改为其他层级`);
    return { communityCode: row.community_code };
  }
  if (input.level === 'micro') {
    if (!input.parentGridCode) throw new DomainError(422, '缺少所属基础网格', 'parentGridCode：微网格必须属于一个基础网格');
    const [row] = await handle.rows<{ community_code: string }>(sql`SELECT community_code FROM grids WHERE code = ${input.parentGridCode}`);
    if (!row) throw new EditNotFound(`基础网格 ${input.parentGridCode} 不存在`);
    return { communityCode: row.community_code };
  }
  if (!input.kind || !(input.kind in EXCLUSIVE_KIND_DIGIT)) throw new DomainError(422, '专属网格类别无效', 'kind：应为 学校、医院、产业园区、商务楼宇 或 市场');
  if (!input.communityCode) throw new DomainError(422, '缺少所属社区', 'communityCode：专属网格必须属于一个社区');
  return { communityCode: input.communityCode };
}

/** The next micro grid code under base grid `parent` (its highest sequence + 1; at most 99). */
async function nextMicroCode(tx: Executor, parent: string): Promise<string> {
  const [row] = await executeRows<{ n: number }>(tx, sql`SELECT coalesce(max(substr(code, 16, 2)::int), 0) + 1 AS n FROM sub_grids WHERE level = 'micro' AND parent_grid_code = ${parent}`);
  const n = Number(row?.n ?? 1);
  if (n > 99) throw new DomainError(422, '微网格已满', `基础网格 ${parent} 已有 99 个微网格`);
  return formatMicroGridCode(parent, n);
}

async function nextCode(tx: Executor, input: SubGridInput, communityCode: string): Promise<string> {
  if (input.level === 'micro') return nextMicroCode(tx, input.parentGridCode as string);
  const kind = input.kind as ExclusiveKind;
  const prefix = `${communityCode}${EXCLUSIVE_KIND_DIGIT[kind]}`;
  const [row] = await executeRows<{ n: number }>(tx, sql`SELECT coalesce(max(substr(code, 14, 3)::int), 0) + 1 AS n FROM sub_grids WHERE level = 'exclusive' AND left(code, 13) = ${prefix}`);
  return formatExclusiveGridCode(communityCode, kind, Number(row?.n ?? 1));
}

/**
 * Keeps a base grid tiled after one of its micro grids (`id`) was drawn or reshaped: siblings give up
 * what it covers now (a sibling left with nothing is retired), what it gave up goes to the sibling
 * sharing the longest border (./microFollow.ts), and the first micro grid of a base grid gets a
 * remainder micro grid (next code, the households the base grid has beyond the drawn one's).
 * Returns the ids of the siblings it changed or created. Each difference is guarded non-empty.
 */
async function adjustSiblings(tx: Executor, id: number, households: number, actor: string): Promise<number[]> {
  const shrunk = await executeRows<{ id: number }>(
    tx,
    sql`
    UPDATE sub_grids s SET geom = ST_Multi(ST_CollectionExtract(ST_Difference(s.geom, m.geom), 3))
    FROM sub_grids m
    WHERE m.id = ${id} AND s.level = 'micro' AND s.parent_grid_code = m.parent_grid_code AND s.id <> m.id
      AND s.geom && m.geom AND ST_Relate(s.geom, m.geom, '2********') AND NOT ST_CoveredBy(s.geom, m.geom)
    RETURNING s.id`,
  );
  await tx.execute(sql`
    DELETE FROM sub_grids s USING sub_grids m
    WHERE m.id = ${id} AND s.level = 'micro' AND s.parent_grid_code = m.parent_grid_code AND s.id <> m.id AND ST_CoveredBy(s.geom, m.geom)`);
  const [base] = await executeRows<{ id: number; code: string; name: string; households: number; siblings: number; covered: boolean }>(
    tx,
    sql`
    SELECT g.id, g.code, g.name, g.households,
           (SELECT count(*)::int FROM sub_grids s WHERE s.level = 'micro' AND s.parent_grid_code = g.code AND s.id <> m.id) AS siblings,
           ST_Covers(m.geom, g.geom) AS covered
    FROM sub_grids m JOIN grids g ON g.code = m.parent_grid_code WHERE m.id = ${id}`,
  );
  if (!base) return shrunk.map((r) => r.id);
  if (base.siblings > 0) {
    await fillGaps(tx, [base.id], [id]);
    const siblings = await executeRows<{ id: number }>(tx, sql`SELECT id FROM sub_grids WHERE level = 'micro' AND parent_grid_code = ${base.code} AND id <> ${id}`);
    return siblings.map((r) => r.id);
  }
  if (base.covered) return [];
  const code = await nextMicroCode(tx, base.code);
  const [rest] = await executeRows<{ id: number }>(
    tx,
    sql`
    INSERT INTO sub_grids (code, level, kind, name, parent_grid_code, community_code, street_code, geom, households, population, updated_by)
    SELECT ${code}, 'micro', NULL, ${`${base.name}第${Number(code.slice(15))}微网格`}, g.code, g.community_code, left(g.community_code, 9),
           ST_Multi(ST_CollectionExtract(ST_Difference(g.geom, m.geom), 3)), ${Math.max(0, Number(base.households) - households)}, 0, ${actor}
    FROM grids g, sub_grids m WHERE g.id = ${base.id} AND m.id = ${id}
    RETURNING id`,
  );
  return rest ? [rest.id] : [];
}
