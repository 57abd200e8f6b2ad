/**
 * Why: every figure on the big screen and the KPI dashboards must be openable — its
 * definition, its filter, the records behind it and an export of exactly those
 * records. Each figure here is ONE filter (a WHERE fragment over one table) and an
 * optional measure; the value, the record count, the paged list and the export are
 * all built from that same fragment (server/figures/figureQuery.ts), so they cannot
 * drift. A ratio figure's records are its denominator's, each flagged with whether it
 * counts in the numerator (the numerator's filter is the denominator's AND more).
 *
 * The definitions follow server/screen/summary.ts and server/incidents/kpis.ts
 * (KPI_DEFINITIONS); figures.test.ts holds every figure's value against the screen
 * summary and regionKpis on the sample data.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { CENTRE_LEVELS, type CentreLevel } from '../coverage/centres';
import { KPI_DEFINITIONS } from '../incidents/kpis';
import { regionSql } from '../incidents/filters';
import { patrolScope, chinaDayAndWeek } from '../field/patrolFigures';
import { inRegion } from '../partyService/regionScope';
import { centreScope, gridScope, levelOf } from '../screen/scope';
import { coveredGridSql, HAS_PARTY_ORG } from '../screen/summary';
import { cohortCommunityCode, cohortGrids, cohortIncidents, type FigureCohort } from './cohort';

export type FigureEntity = 'grids' | 'centres' | 'incidents' | 'patrols' | 'wishes' | 'partyUnits' | 'partyMembers' | 'services' | 'starRatings';

/** A summed quantity: a column of the entity, or an expression over its row (alias of the entity) selected as `column`. */
export interface FigureMeasure {
  column: string;
  label: string;
  expression?: (p: FigureParams) => SQL;
}

export interface FigureParams {
  /** Region code (6/9/12/15 digits). */
  scope: string;
  from: Date;
  to: Date;
  /** The server clock: what "by now" means. */
  now: Date;
  /** Opened at one month of the trend (YYYY-MM, China time): from/to are that month. */
  month?: string;
  /** Opened at a child bar: the page's region, `scope` being the child (server/figures/figureParams.ts). */
  within?: string;
  /**
   * Opened at a 示范评估 cell: the 示范社区 or the rest of their city instead of a region
   * (`scope` is then the city). Only figures over grids and incidents (COHORT_ENTITIES).
   */
  cohort?: FigureCohort;
}

/** The entities whose figures all honour a cohort (server/figures/cohort.ts); others opt in with `byCohort`. */
const COHORT_ENTITIES: readonly FigureEntity[] = ['grids', 'incidents'];

/** Whether a figure can be opened for a cohort (a 示范评估 cell): its filter reads `p.cohort`. */
export const opensByCohort = (f: Figure) => f.byCohort ?? COHORT_ENTITIES.includes(f.entity);

interface BaseFigure {
  id: string;
  name: string;
  /** Where it is shown: 大屏 / 指标看板. */
  shownOn: ('screen' | 'dashboard')[];
  definition: string;
  entity: FigureEntity;
  /** Whether the figure depends on the period (incidents) or is a snapshot (grids, centres). */
  periodic: boolean;
  /** The condition beyond the region (and period), in words, for the panel. */
  condition: string;
  /** Summed column of the entity (alias g/c/i/p/w/u/m/s/sr); absent: the figure counts records. */
  measure?: FigureMeasure;
  /** Its filter reads `p.cohort` (default: the figures over grids and incidents do). */
  byCohort?: boolean;
}

export interface CountFigure extends BaseFigure {
  kind: 'count' | 'sum';
  where: (db: DbHandle, p: FigureParams) => Promise<SQL> | SQL;
}

export interface RatioFigure extends BaseFigure {
  kind: 'ratio';
  /** Records are the denominator's; `counted` says which are in the numerator. */
  denominator: (db: DbHandle, p: FigureParams) => Promise<SQL> | SQL;
  numerator: (db: DbHandle, p: FigureParams) => Promise<SQL> | SQL;
  /** The numerator sums this instead of `measure` (e.g. 报到率: reported members ÷ the units' member counts). */
  numeratorMeasure?: FigureMeasure;
  /** A mean rather than a share (e.g. 平均星级 = stars ÷ rated grids): the unit of the value, shown as is, not as %. */
  mean?: string;
}

/**
 * A count of records per a quantity of something else — 报到党员 per 100 households of the
 * grids, 报到单位 per community: value = records × scale ÷ per. The records are the
 * numerator's (the members, the units); `per` is one number over another table.
 */
export interface PerFigure extends BaseFigure {
  kind: 'per';
  where: (db: DbHandle, p: FigureParams) => Promise<SQL> | SQL;
  per: { label: string; scale: number; unit: string; value: (p: FigureParams) => SQL };
}

export type Figure = CountFigure | RatioFigure | PerFigure;

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

// ---- 网格 (alias g) ----
const grids = (p: FigureParams) => (p.cohort ? cohortGrids(p.cohort) : gridScope(p.scope));
const withOrg = (p: FigureParams) => sql`${grids(p)} AND ${HAS_PARTY_ORG}`;

// ---- 事件 (alias i): the predicates of server/incidents/kpis.ts regionKpis, one per set ----
/**
 * The incident sets of the KPIs for incidents matching `region` (alias i) over [from, to):
 * shared by the figures here and the scorecards (server/scorecards), so both count alike.
 */
export function incidentSets(region: SQL, from: Date, to: Date) {
  const reported = sql`${region} AND i.reported_at >= ${ts(from)} AND i.reported_at < ${ts(to)}`;
  const due = sql`${region} AND ((i.deadline_at >= ${ts(from)} AND i.deadline_at < ${ts(to)}) OR (i.closed_at >= ${ts(from)} AND i.closed_at < ${ts(to)}))`;
  const base = sql`${due} AND NOT i.suspended`;
  const closed = sql`${base} AND i.closed_at IS NOT NULL AND i.closed_at < ${ts(to)}`;
  const revisited = sql`${region} AND i.satisfaction IS NOT NULL AND EXISTS (
    SELECT 1 FROM incident_transitions t
    WHERE t.incident_id = i.id AND (t.action = 'revisit' OR (t.action = 'stage' AND t.to_stage = 'evaluate'))
      AND t.at >= ${ts(from)} AND t.at < ${ts(to)})`;
  return {
    reported,
    due,
    base,
    closed,
    closedOnTime: sql`${closed} AND i.closed_at <= i.deadline_at`,
    solvedInGrid: sql`${closed} AND i.escalation = 'grid'`,
    overdueOpen: sql`${base} AND NOT (i.closed_at IS NOT NULL AND i.closed_at < ${ts(to)}) AND i.deadline_at < ${ts(to)}`,
    revisited,
    satisfied: sql`${revisited} AND i.satisfaction >= 4`,
  };
}
const sets = (p: FigureParams) => incidentSets(p.cohort ? cohortIncidents(p.cohort) : regionSql(p.scope), p.from, p.to);
const reported = (p: FigureParams) => sets(p).reported;
const due = (p: FigureParams) => sets(p).due;
const base = (p: FigureParams) => sets(p).base;
const closed = (p: FigureParams) => sets(p).closed;
const revisited = (p: FigureParams) => sets(p).revisited;

const CENTRE_LABELS: Record<CentreLevel, string> = { city: '市级', district: '县区级', street: '街道级', community: '社区级', estate: '小区（小区党群服务站）' };
const GRID_SUMS = [
  { id: 'screen.partyMembers', name: '党员数', column: 'party_members', definition: '区域内各网格登记的党员人数之和（党员登记在所在网格）' },
  { id: 'screen.dualReportMembers', name: '双报到党员', column: 'dual_report_members', definition: '区域内各网格登记的“双报到”党员人数之和' },
  { id: 'screen.households', name: '户数', column: 'households', definition: '区域内各网格的户数之和' },
  { id: 'screen.population', name: '人口', column: 'population', definition: '区域内各网格的人口之和' },
] as const;

const both: Figure['shownOn'] = ['screen', 'dashboard'];

// ---- 巡查 (alias p), 微心愿 (w), 双报到单位 (u) and 党员 (m): as server/field/patrolFigures.ts and server/partyService/screenFigures.ts ----
/** The party-service tables belong to communities: a grid's figures are its community's. */
const community = (p: FigureParams) => (levelOf(p.scope) === 'grid' ? p.scope.slice(0, 12) : p.scope);
const wishes = (p: FigureParams) => inRegion(sql`w.community_code`, community(p));
const units = (p: FigureParams) => inRegion(sql`u.community_code`, community(p));
const patrolsUntilNow = (p: FigureParams) => sql`${patrolScope(p.scope)} AND p.started_at <= ${ts(p.now)}`;
const WISH_FIGURES = [
  { id: 'screen.wishes.posted', name: '红绳/微心愿', definition: '区域内社区发布的为民红绳/微心愿数（全部状态）', condition: '全部状态', status: sql`true` },
  { id: 'screen.wishes.claimed', name: '已认领心愿', definition: '已被认领的心愿数（已认领、已完成、已确认）', condition: '状态不是待认领', status: sql`w.status <> 'open'` },
  { id: 'screen.wishes.completed', name: '已完成心愿', definition: '已完成的心愿数（已完成、已确认）', condition: '状态为已完成或已确认', status: sql`w.status IN ('done', 'confirmed')` },
  { id: 'screen.wishes.confirmed', name: '已确认心愿', definition: '社区已确认完成的心愿数', condition: '状态为已确认', status: sql`w.status = 'confirmed'` },
] as const;

// ---- 示范评估's measures from the party-service records (server/scorecards/scorecard.ts RECORD_MEASURES) ----
/** A China date column (报到日期) as the instant its day starts, so it compares with a window's instants. */
const chinaDay = (column: SQL) => sql`(${column}::timestamp AT TIME ZONE 'Asia/Shanghai')`;
/** A community-code column of the cohort, else of the region (a grid's being its community's). */
const communitiesOf = (column: SQL, p: FigureParams) => (p.cohort ? cohortCommunityCode(column, p.cohort) : inRegion(column, community(p)));
/** The grids of those communities (a grid's figure: its community's grids, as the members are the community's). */
const gridsOfCommunities = (p: FigureParams) => (p.cohort ? cohortGrids(p.cohort) : gridScope(community(p)));
const reportedIn = (column: SQL, p: FigureParams) => sql`${column} IS NOT NULL AND ${chinaDay(column)} >= ${ts(p.from)} AND ${chinaDay(column)} < ${ts(p.to)}`;
/**
 * The 五好 rating in force at the end of the period, one per organisation: 认定 (final, with
 * stars) before `to`, and no later year's rating 认定 before `to` (a year has one rating per
 * organisation: star_ratings_org_year). Organisations are those of the communities (the first
 * 12 digits of the org code: 社区党总支, 网格党支部).
 */
const ratingsInForce = (p: FigureParams) => sql`sr.status = 'final' AND sr.stars IS NOT NULL AND sr.final_at < ${ts(p.to)}
  AND ${communitiesOf(sql`left(sr.org_code, 12)`, p)}
  AND NOT EXISTS (SELECT 1 FROM star_ratings later WHERE later.org_code = sr.org_code AND later.year > sr.year
    AND later.status = 'final' AND later.stars IS NOT NULL AND later.final_at < ${ts(p.to)})`;

export const FIGURES: readonly Figure[] = [
  {
    id: 'screen.grids',
    name: '网格数',
    shownOn: ['screen'],
    kind: 'count',
    entity: 'grids',
    periodic: false,
    definition: '区域内的网格数',
    condition: '网格属于该区域',
    where: (_db, p) => grids(p),
  },
  {
    id: 'screen.gridsWithPartyOrg',
    name: '已建党组织网格',
    shownOn: ['screen'],
    kind: 'count',
    entity: 'grids',
    periodic: false,
    definition: '填写了党组织名称的网格数',
    condition: '党组织名称不为空',
    where: (_db, p) => withOrg(p),
  },
  {
    id: 'screen.partyOrgRate',
    name: '网格党组织组建率',
    shownOn: ['screen'],
    kind: 'ratio',
    entity: 'grids',
    periodic: false,
    definition: '网格党组织组建率 = 已建党组织的网格数 ÷ 网格数',
    condition: '分母：区域内全部网格；分子：其中党组织名称不为空者',
    denominator: (_db, p) => grids(p),
    numerator: (_db, p) => withOrg(p),
  },
  ...GRID_SUMS.map(
    (s): Figure => ({
      id: s.id,
      name: s.name,
      shownOn: ['screen'],
      kind: 'sum',
      entity: 'grids',
      periodic: false,
      definition: s.definition,
      condition: '网格属于该区域',
      measure: { column: s.column, label: s.name },
      where: (_db, p) => grids(p),
    }),
  ),
  ...[0, 1, 2, 3, 4, 5].map(
    (star): Figure => ({
      id: `screen.stars.${star}`,
      name: star === 0 ? '未评星网格' : `${star}星网格`,
      shownOn: ['screen'],
      kind: 'count',
      entity: 'grids',
      periodic: false,
      definition: star === 0 ? '星级为 0（未评星）的网格数' : `星级为 ${star} 的网格数`,
      condition: `星级 = ${star}`,
      where: (_db, p) => sql`${grids(p)} AND g.star_rating = ${star}`,
    }),
  ),
  ...CENTRE_LEVELS.map(
    (level): Figure => ({
      id: `screen.centres.${level}`,
      name: `${CENTRE_LABELS[level]}党群服务中心`,
      shownOn: ['screen'],
      kind: 'count',
      entity: 'centres',
      periodic: false,
      definition: `归属该区域的${CENTRE_LABELS[level]}党群服务中心（站）数；网格则为位于网格内的中心`,
      condition: `类型 = 党群服务中心，级别 = ${level}`,
      // Only 党群服务中心: the other kinds of 阵地 (红色驿站, 小哥驿站, …) are not counted by level on the screen.
      where: (_db, p) => sql`${centreScope(p.scope)} AND c.kind = 'party_centre' AND c.level = ${level}`,
    }),
  ),
  {
    id: 'screen.centres.total',
    name: '服务中心总数',
    shownOn: ['screen'],
    kind: 'count',
    entity: 'centres',
    periodic: false,
    definition: '归属该区域的各级党群服务中心（站）数之和（市、县区、街道、社区、小区五级）；网格则为位于网格内的中心',
    condition: '类型 = 党群服务中心（各级）',
    where: (_db, p) => sql`${centreScope(p.scope)} AND c.kind = 'party_centre'`,
  },
  {
    id: 'screen.stars.rated',
    name: '已评星网格',
    shownOn: ['screen'],
    kind: 'count',
    entity: 'grids',
    periodic: false,
    definition: '星级为 1 至 5 星的网格数（不含未评星）',
    condition: '星级 ≥ 1',
    where: (_db, p) => sql`${grids(p)} AND g.star_rating >= 1`,
  },
  {
    id: 'screen.stars.fourPlus',
    name: '四星以上网格',
    shownOn: ['screen'],
    kind: 'count',
    entity: 'grids',
    periodic: false,
    definition: '星级为 4 星或 5 星的网格数',
    condition: '星级 ≥ 4',
    where: (_db, p) => sql`${grids(p)} AND g.star_rating >= 4`,
  },
  {
    id: 'screen.stars.average',
    name: '平均星级',
    shownOn: ['screen'],
    kind: 'ratio',
    mean: '星',
    entity: 'grids',
    periodic: false,
    definition: '平均星级 = 已评星网格（1 至 5 星）的星级之和 ÷ 已评星网格数；未评星网格不计入（大屏“下级平均星级”保留 2 位小数）',
    condition: '明细：星级 ≥ 1 的网格；分母：其网格数；分子：其星级之和',
    numeratorMeasure: { column: 'star_rating', label: '星级' },
    denominator: (_db, p) => sql`${grids(p)} AND g.star_rating > 0`,
    numerator: (_db, p) => sql`${grids(p)} AND g.star_rating > 0`,
  },
  {
    id: 'screen.dualReport.units',
    name: '报到单位',
    shownOn: ['screen'],
    kind: 'count',
    entity: 'partyUnits',
    periodic: false,
    definition: '到区域内社区“双报到”的单位数（网格为其所在社区）',
    condition: '报到社区属于该区域',
    where: (_db, p) => units(p),
  },
  {
    id: 'screen.dualReport.membersReported',
    name: '双报到党员',
    shownOn: ['screen'],
    kind: 'count',
    entity: 'partyMembers',
    periodic: false,
    definition: '已到区域内社区报到的在职党员人数（有报到日期；网格为其所在社区）',
    condition: '报到社区属于该区域，且已登记报到日期',
    where: (_db, p) => sql`${inRegion(sql`m.community_code`, community(p))} AND m.reported_on IS NOT NULL`,
  },
  {
    id: 'screen.dualReport.servicesDone',
    name: '服务完成',
    shownOn: ['screen'],
    kind: 'count',
    entity: 'services',
    periodic: false,
    definition: '服务完成数 = 已确认的为民红绳/微心愿 + 已完成的共建项目（区域内社区；网格为其所在社区）',
    condition: '心愿状态为已确认，或共建项目状态为已完成',
    where: (_db, p) => sql`${inRegion(sql`s.community_code`, community(p))} AND ((s.id LIKE 'wish:%' AND s.status = 'confirmed') OR (s.id LIKE 'project:%' AND s.status = 'done'))`,
  },
  {
    id: 'screen.dualReport.reportRate',
    name: '报到率',
    shownOn: ['screen'],
    kind: 'ratio',
    entity: 'partyUnits',
    periodic: false,
    definition: '报到率 = 在本区域社区报到的单位中，已到社区报到的在职党员人数 ÷ 这些单位应报到的在职党员人数（单位登记的党员数）',
    condition: '明细：报到社区属于该区域的单位；分母：各单位登记的党员数之和；分子：各单位已报到（有报到日期）的党员数之和',
    measure: { column: 'member_count', label: '应报到党员' },
    numeratorMeasure: { column: 'members_reported', label: '已报到党员', expression: () => sql`(SELECT count(*) FROM party_members pm WHERE pm.unit_id = u.id AND pm.reported_on IS NOT NULL)` },
    denominator: (_db, p) => units(p),
    numerator: (_db, p) => units(p),
  },
  ...WISH_FIGURES.map(
    (w): Figure => ({
      id: w.id,
      name: w.name,
      shownOn: ['screen'],
      kind: 'count',
      entity: 'wishes',
      periodic: false,
      definition: `${w.definition}（网格为其所在社区）`,
      condition: `社区属于该区域；${w.condition}`,
      where: (_db, p) => sql`${wishes(p)} AND ${w.status}`,
    }),
  ),
  {
    id: 'screen.patrols.today',
    name: '今日巡查',
    shownOn: ['screen'],
    kind: 'count',
    entity: 'patrols',
    periodic: false,
    definition: '今天（中国时间 0 点起）开始的网格员巡查次数',
    condition: '巡查范围属于该区域，开始时间在今天 0 点至现在',
    where: (_db, p) => sql`${patrolsUntilNow(p)} AND p.started_at >= ${ts(chinaDayAndWeek(p.now).dayStart)}`,
  },
  {
    id: 'screen.patrols.activeNow',
    name: '正在巡查',
    shownOn: ['screen'],
    kind: 'count',
    entity: 'patrols',
    periodic: false,
    definition: '此刻正在进行（未结束）的巡查数，即正在巡查的网格员人数',
    condition: '巡查范围属于该区域，状态为进行中',
    where: (_db, p) => sql`${patrolsUntilNow(p)} AND p.status = 'active'`,
  },
  {
    id: 'screen.patrols.weekHours',
    name: '本周巡查时长',
    shownOn: ['screen'],
    kind: 'sum',
    entity: 'patrols',
    periodic: false,
    definition: '本周（周一 0 点起，中国时间）开始的巡查的时长之和（小时）；进行中的巡查计到现在；大屏显示保留 1 位小数',
    condition: '巡查范围属于该区域，开始时间在本周一 0 点至现在',
    measure: {
      column: 'hours',
      label: '时长（小时）',
      expression: (p) => sql`greatest(extract(epoch FROM (least(coalesce(p.ended_at, ${ts(p.now)}), ${ts(p.now)}) - p.started_at)), 0)::float8 / 3600`,
    },
    where: (_db, p) => sql`${patrolsUntilNow(p)} AND p.started_at >= ${ts(chinaDayAndWeek(p.now).weekStart)}`,
  },
  {
    id: 'screen.coverage',
    name: '15分钟服务圈覆盖率',
    shownOn: ['screen'],
    kind: 'ratio',
    entity: 'grids',
    periodic: false,
    definition: '覆盖率 = 标注点位于 15 分钟步行圈内的网格户数 ÷ 区域总户数；步行圈尚未全部算好时，以距中心直线 1000 米为近似（页面注明“直线近似”）',
    condition: '分母：区域内全部网格（按户数求和）；分子：标注点在 15 分钟圈（或直线 1000 米）内的网格',
    measure: { column: 'households', label: '户数' },
    denominator: (_db, p) => grids(p),
    numerator: async (db, p) => sql`${grids(p)} AND ${(await coveredGridSql(db)).covered}`,
  },
  {
    id: 'kpi.count',
    name: '受理量（本月事件）',
    shownOn: both,
    kind: 'count',
    entity: 'incidents',
    periodic: true,
    definition: KPI_DEFINITIONS.count,
    condition: '上报时间在统计期内',
    where: (_db, p) => reported(p),
  },
  {
    id: 'kpi.due',
    name: '应结案',
    shownOn: ['dashboard'],
    kind: 'count',
    entity: 'incidents',
    periodic: true,
    definition: KPI_DEFINITIONS.due,
    condition: '期限在统计期内，或结案时间在统计期内',
    where: (_db, p) => due(p),
  },
  {
    id: 'kpi.suspended',
    name: '缓办',
    shownOn: ['dashboard'],
    kind: 'count',
    entity: 'incidents',
    periodic: true,
    definition: KPI_DEFINITIONS.suspended,
    condition: '应结案且缓办',
    where: (_db, p) => sql`${due(p)} AND i.suspended`,
  },
  {
    id: 'kpi.closed',
    name: '结案',
    shownOn: both,
    kind: 'count',
    entity: 'incidents',
    periodic: true,
    definition: KPI_DEFINITIONS.closed,
    condition: '应结案、非缓办，且统计期结束前已结案',
    where: (_db, p) => closed(p),
  },
  {
    id: 'kpi.closedOnTime',
    name: '按期结案',
    shownOn: ['dashboard'],
    kind: 'count',
    entity: 'incidents',
    periodic: true,
    definition: KPI_DEFINITIONS.closedOnTime,
    condition: '结案且结案时间不晚于期限',
    where: (_db, p) => sets(p).closedOnTime,
  },
  {
    id: 'kpi.overdueOpen',
    name: '超期未结',
    shownOn: both,
    kind: 'count',
    entity: 'incidents',
    periodic: true,
    definition: KPI_DEFINITIONS.overdueOpen,
    condition: '应结案、非缓办，统计期末仍未结案且期限已过',
    where: (_db, p) => sets(p).overdueOpen,
  },
  {
    id: 'kpi.closeRate',
    name: '结案率',
    shownOn: both,
    kind: 'ratio',
    entity: 'incidents',
    periodic: true,
    definition: KPI_DEFINITIONS.closeRate,
    condition: '分母：应结案 − 缓办；分子：其中统计期结束前已结案者',
    denominator: (_db, p) => base(p),
    numerator: (_db, p) => closed(p),
  },
  {
    id: 'kpi.onTimeRate',
    name: '按期结案率',
    shownOn: ['dashboard'],
    kind: 'ratio',
    entity: 'incidents',
    periodic: true,
    definition: KPI_DEFINITIONS.onTimeRate,
    condition: '分母：应结案 − 缓办；分子：其中按期结案者',
    denominator: (_db, p) => base(p),
    numerator: (_db, p) => sets(p).closedOnTime,
  },
  {
    id: 'kpi.reworkRate',
    name: '返工率',
    shownOn: ['dashboard'],
    kind: 'ratio',
    entity: 'incidents',
    periodic: true,
    definition: KPI_DEFINITIONS.reworkRate,
    condition: '分母：应结案 − 缓办；分子：其中返工过者',
    denominator: (_db, p) => base(p),
    numerator: (_db, p) => sql`${base(p)} AND i.rework_count > 0`,
  },
  {
    id: 'kpi.extensionRate',
    name: '延期率',
    shownOn: ['dashboard'],
    kind: 'ratio',
    entity: 'incidents',
    periodic: true,
    definition: KPI_DEFINITIONS.extensionRate,
    condition: '分母：应结案 − 缓办；分子：其中延期过者',
    denominator: (_db, p) => base(p),
    numerator: (_db, p) => sql`${base(p)} AND i.extended`,
  },
  {
    id: 'kpi.solvedInGridShare',
    name: '网格内解决率（小事不出网格）',
    shownOn: ['dashboard'],
    kind: 'ratio',
    entity: 'incidents',
    periodic: true,
    definition: KPI_DEFINITIONS.solvedInGridShare,
    condition: '分母：结案；分子：其中处置层级为网格者',
    denominator: (_db, p) => closed(p),
    numerator: (_db, p) => sets(p).solvedInGrid,
  },
  {
    id: 'kpi.solvedInCommunityShare',
    name: '社区内解决率（大事不出社区）',
    shownOn: ['dashboard'],
    kind: 'ratio',
    entity: 'incidents',
    periodic: true,
    definition: KPI_DEFINITIONS.solvedInCommunityShare,
    condition: '分母：结案；分子：其中处置层级为网格或社区者',
    denominator: (_db, p) => closed(p),
    numerator: (_db, p) => sql`${closed(p)} AND i.escalation IN ('grid', 'community')`,
  },
  {
    id: 'kpi.satisfactionRate',
    name: '满意率',
    shownOn: ['dashboard'],
    kind: 'ratio',
    entity: 'incidents',
    periodic: true,
    definition: KPI_DEFINITIONS.satisfactionRate,
    condition: '分母：统计期内回访（或评价）且记录了满意度的事件；分子：其中满意度 ≥ 4 者',
    denominator: (_db, p) => revisited(p),
    numerator: (_db, p) => sets(p).satisfied,
  },
  {
    id: 'screen.trendClosed',
    name: '趋势：当月上报且已结案',
    shownOn: ['screen'],
    kind: 'count',
    entity: 'incidents',
    periodic: true,
    definition: '趋势图中每月的“已结案”：该月上报、截至现在已结案的事件数',
    condition: '上报时间在统计期内，且截至现在已结案',
    where: (_db, p) => sql`${reported(p)} AND i.closed_at IS NOT NULL AND i.closed_at <= ${ts(p.now)}`,
  },
  {
    id: 'scorecard.dualReport',
    name: '双报到（每百户新报到党员）',
    shownOn: ['dashboard'],
    kind: 'per',
    entity: 'partyMembers',
    periodic: true,
    byCohort: true,
    definition: '统计期内（报到日期在期内）到这些社区报到的在职党员人数 ÷ 这些社区各网格的总户数 × 100',
    condition: '明细：报到社区属于该区域、报到日期在统计期内的在职党员；除以这些社区各网格的户数之和',
    where: (_db, p) => sql`${communitiesOf(sql`m.community_code`, p)} AND ${reportedIn(sql`m.reported_on`, p)}`,
    per: { label: '户', scale: 100, unit: '人/百户', value: (p) => sql`SELECT coalesce(sum(g.households), 0) FROM grids g WHERE ${gridsOfCommunities(p)}` },
  },
  {
    id: 'scorecard.dualReportUnits',
    name: '双报到（每社区新报到单位）',
    shownOn: ['dashboard'],
    kind: 'per',
    entity: 'partyUnits',
    periodic: true,
    byCohort: true,
    definition: '统计期内（报到日期在期内）到这些社区报到的机关企事业单位数 ÷ 社区数',
    condition: '明细：报到社区属于该区域、报到日期在统计期内的单位；除以这些社区的个数',
    where: (_db, p) => sql`${communitiesOf(sql`u.community_code`, p)} AND ${reportedIn(sql`u.reported_on`, p)}`,
    per: { label: '个社区', scale: 1, unit: '家/社区', value: (p) => sql`SELECT count(*) FROM regions rg WHERE rg.level = 'community' AND ${communitiesOf(sql`rg.code`, p)}` },
  },
  {
    id: 'scorecard.stars',
    name: '星级（五好平均星级）',
    shownOn: ['dashboard'],
    kind: 'ratio',
    mean: '星',
    entity: 'starRatings',
    periodic: true,
    byCohort: true,
    definition: '统计期末有效的星级：这些社区的党组织（社区党总支、网格党支部）截至期末已认定的最近一年五好星级之和 ÷ 有认定星级的组织数；未认定、审核中、公示中的不计',
    condition: '明细：截至统计期末已认定、且没有更新年度认定的五好星级（每个组织一条）；分母：其条数；分子：其星级之和',
    numeratorMeasure: { column: 'stars', label: '星级' },
    denominator: (_db, p) => ratingsInForce(p),
    numerator: (_db, p) => ratingsInForce(p),
  },
];

const byId = new Map(FIGURES.map((f) => [f.id, f]));

export function findFigure(id: string): Figure | undefined {
  return byId.get(id);
}
