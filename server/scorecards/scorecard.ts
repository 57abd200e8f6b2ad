/**
 * Why: did a 示范带/示范圈 (or any chosen set of communities) change anything? A
 * scorecard compares its KPIs before and after the designation date over two windows
 * of equal length, against the rest of the city over the same windows — a
 * difference-in-differences: (after − before)₍组₎ − (after − before)₍其余₎. Counts travel
 * with every rate, because a before/after comparison on a few dozen cases says little.
 *
 * The incident sets are the figure registry's (incidentSets, server/figures/registry.ts),
 * so a scorecard counts exactly as the KPI dashboards do. 双报到 and 星级 come from the
 * party-service records with their dates (RECORD_MEASURES): members' and units' 报到日期,
 * and the 五好 ratings' 认定 time — the rating in force at the end of each window.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { cohortGrids, cohortIncidents, type FigureCohort } from '../figures/cohort';
import { figureAmounts, figureOr404 } from '../figures/figureQuery';
import { type Figure, incidentSets } from '../figures/registry';
import { rootRegionCode } from '../figures/rootRegion';
import { DomainError } from '../http/domainError';
import { coveredGridSql } from '../screen/summary';

export interface Window {
  from: string;
  to: string;
}

/** A rate with its parts; value null when the denominator is 0. */
export interface Part {
  numerator: number;
  denominator: number;
  value: number | null;
}

export interface MeasureRow {
  id: string;
  name: string;
  definition: string;
  /**
   * How the page shows a value: count (the numerator, in 件), percent (value × 100 %),
   * per100 (value × 100, in `unit`, e.g. 人/百户) or mean (value as is, in `unit`, e.g. 星).
   * The difference in differences is in the same unit.
   */
  format: 'count' | 'percent' | 'per100' | 'mean';
  unit?: string;
  /** The registry figure (server/figures/registry.ts) each cell opens as, for its side and window; null: none. */
  figure: string | null;
  group: { before: Part; after: Part } | null;
  rest: { before: Part; after: Part } | null;
  /** (after − before) of the group minus that of the rest; null when any side is null. */
  did: number | null;
  note?: string;
}

export interface Scorecard {
  communities: { code: string; name: string }[];
  restCommunities: number;
  designatedOn: string;
  windowDays: number;
  before: Window;
  after: Window;
  /** The after-window was cut at today: both windows are this long. */
  truncated: boolean;
  measures: MeasureRow[];
  caveats: string[];
}

const DAY = 86_400_000;
const part = (numerator: number, denominator: number): Part => ({ numerator, denominator, value: denominator > 0 ? numerator / denominator : null });

/** Where a measure is computed: the 示范社区 or the rest of their city. */
type Cohort = FigureCohort;

/**
 * The measures from the party-service records (server/partyService): 双报到 from the dated
 * reports of members and units, 星级 from the 五好 ratings with their 认定 time. Each is a
 * registry figure (server/figures/registry.ts, scorecard.*) read for a cohort and a window,
 * so a cell and its drill-down are one computation; `format` says how the page shows its value.
 */
interface RecordMeasure {
  id: string;
  figure: string;
  format: 'per100' | 'mean';
}

export const RECORD_MEASURES: readonly RecordMeasure[] = [
  { id: 'dualReport', figure: 'scorecard.dualReport', format: 'per100' },
  { id: 'dualReportUnits', figure: 'scorecard.dualReportUnits', format: 'mean' },
  { id: 'stars', figure: 'scorecard.stars', format: 'mean' },
];

/** A record measure's cell: the figure's parts (a per-figure's value is numerator × scale ÷ denominator; the page scales per100). */
async function recordPart(db: DbHandle, f: Figure, cohort: Cohort, w: { from: Date; to: Date }, scope: string, now: Date): Promise<Part> {
  const a = await figureAmounts(db, f, { scope, from: w.from, to: w.to, now, cohort });
  return part(a.numerator ?? 0, a.denominator ?? 0);
}

export const SCORECARD_CAVEATS = [
  '选择偏差：示范带/圈往往选在基础较好或问题较突出的社区，与全市其余社区本就不同；差中差只扣除两组共同的变化，不能扣除只属于示范社区的其他变化。',
  '季节性：前后两个窗口处在不同季节（如汛期、节假日），事件量和类别会自然变化；对照组在同一时段，可部分抵消。',
  '小样本：事件少时一两件即可使比率大幅变动，请看每个比率旁的分子/分母件数；件数少于 30 时结论不可靠。',
  '覆盖率没有历史快照，只显示当前值，不做前后比较。',
  '星级每年认定一次：窗口内没有新的认定时，认定前后两栏是同一次评定，差中差只反映对照组的新认定；双报到按报到日期计，只统计到社区报到的时间，不反映报到后参加活动的多少。',
  '相关不等于因果：指标变化可能来自同期的其他工作或数据录入习惯的改变。',
];

export class ScorecardRejected extends DomainError {
  constructor(field: string, reason: string) {
    super(422, '无法生成示范评估', `${field}：${reason}`, { errors: [{ field, reason }] });
  }
}

/** The two windows: after = [date, date + days) cut at now, before = the same length ending at the date. */
export function scorecardWindows(designatedOn: Date, days: number, now: Date) {
  const end = Math.min(designatedOn.getTime() + days * DAY, now.getTime());
  if (end <= designatedOn.getTime()) throw new ScorecardRejected('date', '认定日期应早于今天，才有“认定后”的数据');
  const length = end - designatedOn.getTime();
  return {
    before: { from: new Date(designatedOn.getTime() - length), to: designatedOn },
    after: { from: designatedOn, to: new Date(end) },
    truncated: end < designatedOn.getTime() + days * DAY,
  };
}

const INCIDENT_MEASURES = [
  { id: 'closeRate', name: '结案率', definition: '结案 ÷ (应结案 − 缓办)', num: 'closed', den: 'base', figure: 'kpi.closeRate' },
  { id: 'onTimeRate', name: '按期结案率', definition: '按期结案（结案时间不晚于按工作日计算的期限）÷ (应结案 − 缓办)', num: 'closedOnTime', den: 'base', figure: 'kpi.onTimeRate' },
  { id: 'solvedInGridShare', name: '网格内解决率（小事不出网格）', definition: '结案中在网格层级办结的件数 ÷ 结案件数', num: 'solvedInGrid', den: 'closed', figure: 'kpi.solvedInGridShare' },
  { id: 'satisfactionRate', name: '满意率', definition: '窗口内回访且满意度 ≥ 4 的件数 ÷ 回访记录了满意度的件数', num: 'satisfied', den: 'revisited', figure: 'kpi.satisfactionRate' },
] as const;

type SetName = keyof ReturnType<typeof incidentSets>;

async function incidentParts(db: DbHandle, region: SQL, w: { from: Date; to: Date }) {
  const s = incidentSets(region, w.from, w.to);
  const names: SetName[] = ['reported', 'base', 'closed', 'closedOnTime', 'solvedInGrid', 'revisited', 'satisfied'];
  // One scan of the candidate rows; each set is a FILTER over them.
  const [r] = await db.rows<Record<string, number>>(
    sql`SELECT ${sql.join(
      names.map((n) => sql`count(*) FILTER (WHERE ${s[n]})::int AS ${sql.identifier(n)}`),
      sql`, `,
    )} FROM incidents i WHERE ${region}`,
  );
  return Object.fromEntries(names.map((n) => [n, Number(r?.[n] ?? 0)])) as Record<SetName, number>;
}

function diff(g: { before: Part; after: Part } | null, r: { before: Part; after: Part } | null): number | null {
  if (!g || !r || g.before.value === null || g.after.value === null || r.before.value === null || r.after.value === null) return null;
  return g.after.value - g.before.value - (r.after.value - r.before.value);
}

export async function scorecard(db: DbHandle, communityCodes: string[], designatedOn: Date, days: number, now: Date): Promise<Scorecard> {
  const codes = [...new Set(communityCodes)].sort();
  if (codes.length === 0) throw new ScorecardRejected('communities', '请至少选择一个社区');
  const known = await db.rows<{ code: string; name: string }>(sql`SELECT code, name FROM regions WHERE level = 'community' AND code IN ${codes} ORDER BY code`);
  const unknown = codes.filter((c) => !known.some((k) => k.code === c));
  if (unknown.length) throw new ScorecardRejected('communities', `不是已知的社区代码：${unknown.join('、')}`);
  const city = codes[0]!.slice(0, 4);
  const [rest] = await db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM regions WHERE level = 'community' AND code LIKE ${`${city}%`} AND code NOT IN ${codes}`);
  const w = scorecardWindows(designatedOn, days, now);
  const inGroup = cohortIncidents({ communities: codes, rest: false });
  const inRest = cohortIncidents({ communities: codes, rest: true });
  const [gb, ga, rb, ra] = [await incidentParts(db, inGroup, w.before), await incidentParts(db, inGroup, w.after), await incidentParts(db, inRest, w.before), await incidentParts(db, inRest, w.after)];

  const measures: MeasureRow[] = [
    {
      id: 'count',
      name: '受理量（件）',
      format: 'count',
      definition: '窗口内上报的事件数（件数，不是比率；差中差按件数差计算）',
      figure: 'kpi.count',
      group: { before: part(gb.reported, 1), after: part(ga.reported, 1) },
      rest: { before: part(rb.reported, 1), after: part(ra.reported, 1) },
      did: ga.reported - gb.reported - (ra.reported - rb.reported),
    },
    ...INCIDENT_MEASURES.map((m): MeasureRow => {
      const group = { before: part(gb[m.num], gb[m.den]), after: part(ga[m.num], ga[m.den]) };
      const restParts = { before: part(rb[m.num], rb[m.den]), after: part(ra[m.num], ra[m.den]) };
      return { id: m.id, name: m.name, definition: m.definition, format: 'percent', figure: m.figure, group, rest: restParts, did: diff(group, restParts) };
    }),
  ];

  // 覆盖率: today's only (no history of centres or circles).
  const { covered, method } = await coveredGridSql(db);
  const coverage = async (where: SQL) => {
    const [r] = await db.rows<{ hh: number; cov: number }>(sql`SELECT coalesce(sum(g.households), 0)::bigint AS hh, coalesce(sum(g.households) FILTER (WHERE ${covered}), 0)::bigint AS cov FROM grids g WHERE ${where}`);
    return part(Number(r?.cov ?? 0), Number(r?.hh ?? 0));
  };
  const gc = await coverage(cohortGrids({ communities: codes, rest: false }));
  const rc = await coverage(cohortGrids({ communities: codes, rest: true }));
  measures.push({
    id: 'coverage',
    name: '15分钟服务圈覆盖率（当前）',
    format: 'percent',
    definition: `覆盖户数 ÷ 总户数（${method === 'isochrone' ? '步行圈' : '直线 1000 米近似'}）`,
    figure: 'screen.coverage',
    group: { before: gc, after: gc },
    rest: { before: rc, after: rc },
    did: null,
    note: '无历史快照：前后两栏均为当前值，不计算差中差',
  });

  const window = (x: { from: Date; to: Date }) => ({ from: x.from.toISOString(), to: x.to.toISOString() });
  const groupCohort = { communities: codes, rest: false };
  const restCohort = { communities: codes, rest: true };
  const scope = await rootRegionCode(db);
  for (const r of RECORD_MEASURES) {
    const f = figureOr404(r.figure);
    const at = (c: Cohort, x: { from: Date; to: Date }) => recordPart(db, f, c, x, scope, now);
    const group = { before: await at(groupCohort, w.before), after: await at(groupCohort, w.after) };
    const restParts = { before: await at(restCohort, w.before), after: await at(restCohort, w.after) };
    const unit = f.kind === 'per' ? f.per.unit : f.kind === 'ratio' ? f.mean : undefined;
    measures.push({ id: r.id, name: f.name, definition: f.definition, format: r.format, unit, figure: f.id, group, rest: restParts, did: diff(group, restParts) });
  }

  return {
    communities: known,
    restCommunities: Number(rest?.n ?? 0),
    designatedOn: designatedOn.toISOString(),
    windowDays: Math.round((w.after.to.getTime() - w.after.from.getTime()) / DAY),
    before: window(w.before),
    after: window(w.after),
    truncated: w.truncated,
    measures,
    caveats: SCORECARD_CAVEATS,
  };
}
