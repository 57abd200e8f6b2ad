/**
 * Why: a figure's value, its record count, its paged records and its export must be the
 * same numbers. All four are built here from the one filter of the figure
 * (server/figures/registry.ts): value and count from `SELECT count/sum … WHERE <filter>`,
 * records and export from `SELECT <columns> … WHERE <filter>` — nothing else differs.
 *
 * Reading the records needs the whole region: leaders, analysts and admins anywhere,
 * planners and dispatchers inside their jurisdiction, grid workers in their own grids.
 * Names are withheld and phones masked per server/auth/personalData.ts.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { maskPhone } from '../../kernel/personalData';
import { CHINA_UTC_OFFSET_MINUTES } from '../../kernel/workCalendar';
import type { SessionUser } from '../../kernel/roles';
import { peopleReadableSql } from '../auth/personalData';
import { DomainError, ForbiddenError, NotFoundError } from '../http/domainError';
import { regionPath } from '../screen/summary';
import { type Figure, type FigureMeasure, type FigureParams, findFigure } from './registry';

export interface FigureColumn {
  key: string;
  label: string;
}

const COLUMNS: Record<Figure['entity'], FigureColumn[]> = {
  grids: [
    { key: 'code', label: '网格编码' },
    { key: 'name', label: '网格名称' },
    { key: 'community_code', label: '社区编码' },
    { key: 'households', label: '户数' },
    { key: 'population', label: '人口' },
    { key: 'party_org_name', label: '党组织' },
    { key: 'party_secretary', label: '党组织书记' },
    { key: 'party_secretary_phone', label: '书记电话' },
    { key: 'party_members', label: '党员数' },
    { key: 'dual_report_members', label: '双报到党员' },
    { key: 'star_rating', label: '星级' },
  ],
  centres: [
    { key: 'id', label: '编号' },
    { key: 'name', label: '名称' },
    { key: 'level', label: '级别' },
    { key: 'region_code', label: '所属区划' },
    { key: 'address', label: '地址' },
    { key: 'households_served', label: '服务户数' },
  ],
  incidents: [
    { key: 'id', label: '事件编号' },
    { key: 'category', label: '类别' },
    { key: 'source', label: '来源' },
    { key: 'stage', label: '阶段' },
    { key: 'escalation', label: '处置层级' },
    { key: 'grid_code', label: '网格编码' },
    { key: 'reported_at', label: '上报时间' },
    { key: 'deadline_at', label: '期限' },
    { key: 'closed_at', label: '结案时间' },
    { key: 'suspended', label: '缓办' },
    { key: 'satisfaction', label: '满意度' },
    { key: 'reporter', label: '上报人' },
  ],
  // People (the grid worker, the member) are left out: the records are the events, units and counts.
  patrols: [
    { key: 'id', label: '巡查编号' },
    { key: 'grid_codes', label: '网格编码' },
    { key: 'community_code', label: '社区编码' },
    { key: 'started_at', label: '开始时间' },
    { key: 'ended_at', label: '结束时间' },
    { key: 'status', label: '状态' },
  ],
  wishes: [
    { key: 'id', label: '编号' },
    { key: 'kind', label: '类型' },
    { key: 'title', label: '标题' },
    { key: 'category', label: '类别' },
    { key: 'community_code', label: '社区编码' },
    { key: 'status', label: '状态' },
    { key: 'posted_at', label: '发布时间' },
  ],
  partyUnits: [
    { key: 'id', label: '编号' },
    { key: 'name', label: '单位名称' },
    { key: 'kind', label: '单位类型' },
    { key: 'community_code', label: '报到社区' },
    { key: 'member_count', label: '应报到党员' },
    { key: 'reported_on', label: '报到日期' },
  ],
  // 服务完成: confirmed 心愿 and finished 共建项目, one list (the kind says which table).
  services: [
    { key: 'id', label: '编号' },
    { key: 'kind', label: '类型' },
    { key: 'title', label: '标题' },
    { key: 'community_code', label: '社区编码' },
    { key: 'status', label: '状态' },
    { key: 'done_on', label: '完成日期' },
  ],
  partyMembers: [
    { key: 'id', label: '党员编号' },
    { key: 'unit_name', label: '所在单位' },
    { key: 'community_code', label: '报到社区' },
    { key: 'reported_on', label: '报到日期' },
  ],
  starRatings: [
    { key: 'id', label: '编号' },
    { key: 'org_code', label: '组织编码' },
    { key: 'org_name', label: '党组织' },
    { key: 'year', label: '年度' },
    { key: 'stars', label: '星级' },
    { key: 'final_at', label: '认定时间' },
  ],
};

const FROM: Record<Figure['entity'], SQL> = {
  grids: sql`grids g`,
  centres: sql`service_centres c`,
  incidents: sql`incidents i`,
  patrols: sql`patrols p`,
  wishes: sql`service_wishes w`,
  partyUnits: sql`party_units u`,
  partyMembers: sql`party_members m`,
  services: sql`(
    SELECT 'wish:' || w.id AS id, CASE w.kind WHEN 'red_rope' THEN '为民红绳' ELSE '微心愿' END AS kind, w.title, w.community_code, w.status, (w.confirmed_at AT TIME ZONE 'Asia/Shanghai')::date::text AS done_on FROM service_wishes w
    UNION ALL
    SELECT 'project:' || p.id, '共建项目', p.title, p.community_code, p.status, p.finished_on::text FROM co_build_projects p) s`,
  starRatings: sql`star_ratings sr`,
};
const ALIAS: Record<Figure['entity'], string> = { grids: 'g', centres: 'c', incidents: 'i', patrols: 'p', wishes: 'w', partyUnits: 'u', partyMembers: 'm', services: 's', starRatings: 'sr' };
const ORDER: Record<Figure['entity'], SQL> = {
  grids: sql`g.code`,
  centres: sql`c.id`,
  incidents: sql`i.id`,
  patrols: sql`p.id`,
  wishes: sql`w.id`,
  partyUnits: sql`u.id`,
  partyMembers: sql`m.id`,
  services: sql`s.id`,
  starRatings: sql`sr.org_code`,
};

/** A measure's SQL: its expression, or the entity's column. */
function measureSql(f: Figure, m: FigureMeasure, p: FigureParams): SQL {
  return m.expression ? sql`(${m.expression(p)})` : sql.raw(`${ALIAS[f.entity]}.${m.column}`);
}
/** Measures computed by expression, selected beside the entity's columns. */
function extraMeasures(f: Figure): FigureMeasure[] {
  return [f.measure, f.kind === 'ratio' ? f.numeratorMeasure : undefined].filter((m): m is FigureMeasure => !!m?.expression);
}

/** The columns of a reader: people's fields null unless the personal-data rule lets them read that record. */
function selectList(entity: Figure['entity'], reader: SessionUser | null | undefined): SQL {
  switch (entity) {
    case 'grids': {
      const may = peopleReadableSql(reader, sql`g.code`);
      return sql`g.code, g.name, g.community_code, g.households, g.population, g.party_org_name,
        CASE WHEN ${may} THEN g.party_secretary END AS party_secretary,
        CASE WHEN ${may} THEN g.party_secretary_phone END AS party_secretary_phone,
        g.party_members, g.dual_report_members, g.star_rating`;
    }
    case 'centres':
      return sql`c.id, c.name, c.level::text AS level, c.region_code, c.address, c.households_served`;
    case 'incidents': {
      const may = peopleReadableSql(reader, sql`coalesce(i.grid_code, i.community_code, i.street_code, '')`);
      return sql`i.id, (SELECT k.major || '/' || k.minor FROM incident_categories k WHERE k.code = i.category_code) AS category,
        i.source, i.stage::text AS stage, i.escalation::text AS escalation, i.grid_code,
        i.reported_at, i.deadline_at, i.closed_at, i.suspended, i.satisfaction,
        CASE WHEN ${may} THEN i.reporter END AS reporter`;
    }
    case 'patrols':
      return sql`p.id, p.grid_codes, p.community_code, p.started_at, p.ended_at, p.status`;
    case 'wishes':
      return sql`w.id, w.kind, w.title, w.category, w.community_code, w.status, w.posted_at`;
    case 'partyUnits':
      return sql`u.id, u.name, u.kind, u.community_code, u.member_count, u.reported_on::text AS reported_on`;
    case 'services':
      return sql`s.id, s.kind, s.title, s.community_code, s.status, s.done_on`;
    case 'partyMembers':
      return sql`m.id, (SELECT pu.name FROM party_units pu WHERE pu.id = m.unit_id) AS unit_name, m.community_code, m.reported_on::text AS reported_on`;
    case 'starRatings':
      return sql`sr.id, sr.org_code, sr.org_name, sr.year, sr.stars, sr.final_at`;
  }
}

export interface FigureFilter {
  scope: string;
  scopeName: string;
  from: string | null;
  to: string | null;
  /** The trend month the figure was opened at (YYYY-MM, China time), else null. */
  month: string | null;
  /** The child region it was opened at (= scope), and the page's region it lies in; else null. */
  region: string | null;
  within: string | null;
  /** Opened at a 示范评估 cell: the 示范社区 themselves or the rest of their city, and those communities; else null. */
  cohort: 'group' | 'rest' | null;
  communities: string[] | null;
  condition: string;
  text: string;
}

export interface FigureValue {
  id: string;
  name: string;
  kind: Figure['kind'];
  definition: string;
  shownOn: Figure['shownOn'];
  filter: FigureFilter;
  /** The figure: a count, a sum, a ratio 0..1 or a per-figure (null without a denominator). */
  value: number | null;
  /** Records behind it (a ratio: the denominator's; a per-figure: the numerator's). */
  records: number;
  /** A ratio's or per-figure's parts (counts, or sums of the measure), else null. */
  numerator: number | null;
  denominator: number | null;
  measure: string | null;
  /** A mean (平均星级) or a per-figure (人/百户): its unit; the value is then shown as is, not as a share. */
  mean: string | null;
  /** A per-figure's divisor: what it counts (户, 个社区) and the scale (value = numerator × scale ÷ denominator). */
  per: { label: string; scale: number } | null;
  columns: FigureColumn[];
}

export function figureOr404(id: string): Figure {
  const figure = findFigure(id);
  if (!figure) throw new NotFoundError(`指标 ${id} 不存在`, { errors: [{ field: 'id', reason: '不是已登记的指标' }] });
  return figure;
}

/** The filter of the records: the denominator's for a ratio, the counted ones' otherwise. */
async function recordFilter(db: DbHandle, f: Figure, p: FigureParams): Promise<SQL> {
  return f.kind === 'ratio' ? await f.denominator(db, p) : await f.where(db, p);
}

/** The 示范社区 by name: the cohort itself, or everything of the city but them. */
async function cohortText(db: DbHandle, c: NonNullable<FigureParams['cohort']>): Promise<string> {
  const rows = await db.rows<{ name: string }>(sql`SELECT name FROM regions WHERE code IN ${c.communities} ORDER BY code`);
  const names = `${rows.map((r) => r.name).join('、')}（${c.communities.length} 个社区）`;
  return c.rest ? `中除示范社区 ${names} 外的其余社区` : `中的示范社区 ${names}`;
}

/** An instant as 北京时间 for the panel: `2026-03-04`, or `2026-03-04 08:30` when it is not a day's start. */
function chinaTime(d: Date): string {
  const t = new Date(d.getTime() + CHINA_UTC_OFFSET_MINUTES * 60_000).toISOString();
  return t.slice(11, 16) === '00:00' ? t.slice(0, 10) : `${t.slice(0, 10)} ${t.slice(11, 16)}`;
}

async function describeFilter(db: DbHandle, f: Figure, p: FigureParams): Promise<FigureFilter> {
  const path = await regionPath(db, p.scope);
  if (!path) throw new NotFoundError(`区域编码 ${p.scope} 不存在`, { errors: [{ field: 'scope', reason: '区划或网格不存在' }] });
  const scopeName = path.map((r) => r.name).join(' / ');
  const span = `${chinaTime(p.from)} 至 ${chinaTime(p.to)}（北京时间，不含）`;
  const period = !f.periodic ? '；当前数据（不随统计期变化）' : p.month ? `；月份 ${p.month}：${span}` : `；统计期 ${span}`;
  const below = p.within ? `（${path.find((r) => r.code === p.within)?.name ?? p.within} 的下级区域）` : p.cohort ? await cohortText(db, p.cohort) : '';
  return {
    scope: p.scope,
    scopeName,
    from: f.periodic ? p.from.toISOString() : null,
    to: f.periodic ? p.to.toISOString() : null,
    month: p.month ?? null,
    region: p.within ? p.scope : null,
    within: p.within ?? null,
    cohort: p.cohort ? (p.cohort.rest ? 'rest' : 'group') : null,
    communities: p.cohort ? [...p.cohort.communities] : null,
    condition: f.condition,
    text: `区域：${scopeName}（${p.scope}）${below}${period}；条件：${f.condition}`,
  };
}

/** A figure's numbers without its description: what the value, the records and a scorecard's cell share. */
export async function figureAmounts(db: DbHandle, f: Figure, p: FigureParams): Promise<Pick<FigureValue, 'value' | 'records' | 'numerator' | 'denominator'>> {
  const measure = f.measure ? measureSql(f, f.measure, p) : null;
  // Sums of expressions (hours) stay fractional; sums of columns are whole numbers.
  const cast = f.measure?.expression ? sql`::float8` : sql`::bigint`;
  const amount = measure ? sql`coalesce(sum(${measure}), 0)${cast}` : sql`count(*)::bigint`;
  const counted = f.kind === 'ratio' ? await f.numerator(db, p) : sql`true`;
  const numeratorMeasure = f.kind === 'ratio' && f.numeratorMeasure ? measureSql(f, f.numeratorMeasure, p) : measure;
  const amountCounted = numeratorMeasure ? sql`coalesce(sum(${numeratorMeasure}) FILTER (WHERE ${counted}), 0)::float8` : sql`count(*) FILTER (WHERE ${counted})::bigint`;
  const per = f.kind === 'per' ? sql`(${f.per.value(p)})::float8` : sql`NULL::float8`;
  const [r] = await db.rows<{ records: number; amount: number; counted: number; per: number | null }>(
    sql`SELECT count(*)::bigint AS records, ${amount} AS amount, ${amountCounted} AS counted, ${per} AS per FROM ${FROM[f.entity]} WHERE ${await recordFilter(db, f, p)}`,
  );
  const records = Number(r?.records ?? 0);
  const total = Number(r?.amount ?? 0);
  const num = Number(r?.counted ?? 0);
  switch (f.kind) {
    case 'ratio':
      return { value: total > 0 ? num / total : null, records, numerator: num, denominator: total };
    case 'per': {
      const divisor = Number(r?.per ?? 0);
      return { value: divisor > 0 ? (records * f.per.scale) / divisor : null, records, numerator: records, denominator: divisor };
    }
    default:
      return { value: f.kind === 'sum' ? total : records, records, numerator: null, denominator: null };
  }
}

export async function figureValue(db: DbHandle, id: string, p: FigureParams): Promise<FigureValue> {
  const f = figureOr404(id);
  const filter = await describeFilter(db, f, p);
  return {
    id: f.id,
    name: f.name,
    kind: f.kind,
    definition: f.definition,
    shownOn: f.shownOn,
    filter,
    ...(await figureAmounts(db, f, p)),
    measure: f.measure?.label ?? null,
    mean: f.kind === 'ratio' ? (f.mean ?? null) : f.kind === 'per' ? f.per.unit : null,
    per: f.kind === 'per' ? { label: f.per.label, scale: f.per.scale } : null,
    columns: columnsOf(f),
  };
}

function columnsOf(f: Figure): FigureColumn[] {
  const columns = [...COLUMNS[f.entity], ...extraMeasures(f).map((m) => ({ key: m.column, label: m.label }))];
  return f.kind === 'ratio' ? [...columns, { key: 'counted', label: '计入分子' }] : columns;
}

/** Reading the records needs the whole region (see the header). */
export function assertMayReadRecords(reader: SessionUser, scope: string, field: 'scope' | 'region' | 'communities' = 'scope'): void {
  const ok =
    reader.role === 'leader' ||
    reader.role === 'analyst' ||
    reader.role === 'admin' ||
    ((reader.role === 'planner' || reader.role === 'dispatcher') && !!reader.jurisdictionCode && scope.startsWith(reader.jurisdictionCode)) ||
    (reader.role === 'grid_worker' && reader.gridCodes.includes(scope));
  if (!ok) {
    throw new ForbiddenError(`您无权查看区域 ${scope} 的明细记录`, { errors: [{ field, reason: '明细只对辖区（或本人网格）内的区域开放；请选择辖区内的区域' }] });
  }
}

/** Records of a cohort need each of its communities (the 示范社区) or the whole city (the rest). */
function assertMayRead(reader: SessionUser, p: FigureParams): void {
  if (!p.cohort || p.cohort.rest) assertMayReadRecords(reader, p.scope, p.within ? 'region' : p.cohort ? 'communities' : 'scope');
  else for (const code of p.cohort.communities) assertMayReadRecords(reader, code, 'communities');
}

type Row = Record<string, unknown>;

function present(rows: Row[]): Row[] {
  return rows.map((r) => {
    const out: Row = { ...r };
    if (typeof out.party_secretary_phone === 'string') out.party_secretary_phone = maskPhone(out.party_secretary_phone);
    if (Array.isArray(out.grid_codes)) out.grid_codes = out.grid_codes.join(' ');
    for (const k of ['reported_at', 'deadline_at', 'closed_at', 'started_at', 'ended_at', 'posted_at', 'final_at']) if (out[k] !== null && out[k] !== undefined) out[k] = new Date(out[k] as string).toISOString();
    for (const k of ['id', 'households', 'population', 'party_members', 'dual_report_members', 'star_rating', 'households_served', 'satisfaction', 'member_count', 'members_reported', 'hours', 'year', 'stars']) {
      if (out[k] !== null && out[k] !== undefined) out[k] = Number(out[k]);
    }
    return out;
  });
}

async function selectRecords(db: DbHandle, f: Figure, p: FigureParams, reader: SessionUser, limit: number, offset: number): Promise<Row[]> {
  const counted = f.kind === 'ratio' ? sql`, (${await f.numerator(db, p)}) AS counted` : sql``;
  const extra = extraMeasures(f).map((m) => sql`, ${measureSql(f, m, p)} AS ${sql.identifier(m.column)}`);
  const rows = await db.rows<Row>(
    sql`SELECT ${selectList(f.entity, reader)}${sql.join(extra, sql``)}${counted} FROM ${FROM[f.entity]} WHERE ${await recordFilter(db, f, p)} ORDER BY ${ORDER[f.entity]} LIMIT ${limit} OFFSET ${offset}`,
  );
  return present(rows);
}

export const PAGE_SIZE_MAX = 200;
/** An export is one file; beyond this the region or period should be narrowed. */
export const EXPORT_MAX_ROWS = 200_000;

export async function figureRecords(db: DbHandle, id: string, p: FigureParams, reader: SessionUser, page: number, pageSize: number) {
  assertMayRead(reader, p);
  const v = await figureValue(db, id, p);
  const f = figureOr404(id);
  const rows = await selectRecords(db, f, p, reader, pageSize, (page - 1) * pageSize);
  return { figure: v, total: v.records, page, pageSize, pages: Math.max(1, Math.ceil(v.records / pageSize)), rows };
}

export class ExportTooLarge extends DomainError {
  constructor(rows: number) {
    super(422, '明细过多，无法导出', `该指标有 ${rows} 条明细，超过单次导出上限 ${EXPORT_MAX_ROWS} 条；请缩小区域或统计期`, {
      errors: [{ field: 'scope', reason: `明细 ${rows} 条超过上限 ${EXPORT_MAX_ROWS}` }],
    });
  }
}

/** Every record behind the figure, for the export (the same rows the paged list shows). */
export async function figureExportRows(db: DbHandle, id: string, p: FigureParams, reader: SessionUser) {
  assertMayRead(reader, p);
  const v = await figureValue(db, id, p);
  if (v.records > EXPORT_MAX_ROWS) throw new ExportTooLarge(v.records);
  const rows = await selectRecords(db, figureOr404(id), p, reader, EXPORT_MAX_ROWS, 0);
  return { figure: v, columns: v.columns, rows };
}
