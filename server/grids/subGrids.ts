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
import { EditForbidden, EditNotFound, EditRejected } from './editing';
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

class DryRun extends Error {
  constructor(readonly result: { code: string; version: number; dryRun: boolean }) {
    super('dry run');
  }
}

const multi = (g: PolygonGeometry) => sql`ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(g)}), 4326))`;

/** Creates a sub grid (code = next free sequence) or, with `code`, replaces its geometry and figures. */
export async function saveSubGrid(handle: DbHandle, input: SubGridInput, options: SubGridSaveOptions, code?: string) {
  const where = await placeOf(handle, input, code);
  if (!withinJurisdiction(options.user, where.communityCode)) throw new EditForbidden(`您的辖区（${options.user.jurisdictionCode ?? '无'}）不包括社区 ${where.communityCode}`);
  let box: Bbox | null = null;
  try {
    const result = await handle.db.transaction(async (tx) => {
      await executeRows(
        tx,
        sql`SELECT set_config('dangjian.actor', ${options.actor}, true), set_config('dangjian.action', ${code ? 'update' : 'create'}, true), code
            FROM regions WHERE code = ${where.communityCode} FOR UPDATE`,
      );
      const invalid = await invalidInput(tx, JSON.stringify(input.geometry));
      if (invalid.length > 0) throw new EditRejected(invalid);
      let id: number;
      let saved: string;
      if (code) {
        const [row] = await executeRows<{ id: number }>(
          tx,
          sql`UPDATE sub_grids SET geom = ${multi(input.geometry)}, name = ${input.name}, households = ${input.households ?? 0}, population = ${input.population ?? 0}
              WHERE code = ${code} RETURNING id`,
        );
        if (!row) throw new EditNotFound(`网格编码 ${code} 不存在`);
        [id, saved] = [row.id, code];
      } else {
        saved = await nextCode(tx, input, where.communityCode);
        const [row] = await executeRows<{ id: number }>(
          tx,
          sql`INSERT INTO sub_grids (code, level, kind, name, parent_grid_code, community_code, street_code, geom, households, population, updated_by)
              VALUES (${saved}, ${input.level}, ${input.level === 'exclusive' ? (input.kind ?? null) : null}, ${input.name}, ${input.level === 'micro' ? (input.parentGridCode ?? null) : null},
                      ${where.communityCode}, ${where.communityCode.slice(0, 9)}, ${multi(input.geometry)}, ${input.households ?? 0}, ${input.population ?? 0}, ${options.actor})
              RETURNING id`,
        );
        id = row!.id;
      }
      // A drawn micro grid takes its area from its siblings; what a reshape gives up goes back to them.
      const adjusted = input.level === 'micro' && options.adjustSiblings === true ? await adjustSiblings(tx, id, input.households ?? 0, options.actor) : [];
      const violations = await levelViolations(tx, [id, ...adjusted], options.rules);
      if (violations.length > 0) throw new EditRejected(violations);
      const [after] = await executeRows<{ version: number; xmin: number; ymin: number; xmax: number; ymax: number }>(
        tx,
        sql`SELECT s.version, ST_XMin(e) AS xmin, ST_YMin(e) AS ymin, ST_XMax(e) AS xmax, ST_YMax(e) AS ymax
            FROM sub_grids s, LATERAL (SELECT ST_Extent(g)::geometry AS e FROM (SELECT s.geom AS g UNION ALL SELECT before_geom FROM sub_grid_versions v WHERE v.sub_grid_id = s.id AND v.version = s.version
                                                                              UNION ALL SELECT geom FROM grids WHERE code = s.parent_grid_code) x) b
            WHERE s.id = ${id}`,
      );
      const out = { code: saved, version: Number(after?.version ?? 1), dryRun: Boolean(options.dryRun) };
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
