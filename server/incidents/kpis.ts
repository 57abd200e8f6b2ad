/**
 * Closed-loop KPIs of a region (city/district/street/community/grid, by code)
 * over a period [from, to). Definitions (also returned to clients as `definitions`):
 *
 *  - 受理量 count: incidents reported in the period.
 *  - 应结案 due: incidents whose (possibly extended) deadline falls in the period,
 *    plus those closed in the period — whatever the period is accountable for.
 *  - 缓办 suspended: due incidents on hold (suspended = true); excluded from every rate.
 *  - base = 应结案 − 缓办.
 *  - 结案 closed: non-suspended due incidents closed before the period ends.
 *  - 按期结案 closedOnTime: of those, closed at or before the deadline.
 *  - 结案率 = 结案 / base; 按期结案率 = 按期结案 / base.
 *  - 返工率 = base incidents with rework_count > 0 / base.
 *  - 延期率 = base incidents that were extended / base.
 *  - 平均结案时长 = mean hours from report to close over 结案.
 *  - 网格内解决率 = 结案 with escalation 'grid' / 结案 (小事不出网格);
 *    社区内解决率 = 结案 with escalation 'grid' or 'community' / 结案 (大事不出社区).
 *  - 超期未结 overdueOpen: base incidents still open past their deadline at the period's end.
 * From the loop history (incident_transitions), on the working calendar:
 *  - 派遣 dispatches: 'dispatch' rows at ∈ [from, to). Each one's outcome is the next
 *    'sign', 'return' or 'dispatch' row of the same incident (known up to `now`).
 *  - 签收时限: the dispatch time + the category's sign_hours working hours.
 *  - 签收及时率 = dispatches signed by their 签收时限 ÷ (dispatches signed + dispatches
 *    left unsigned past their 签收时限); a dispatch returned or re-dispatched before its
 *    时限, or still inside it, is in neither.
 *  - 退单率 = dispatches whose outcome is a 'return' ÷ dispatches.
 *  - 满意率 = incidents revisited in the period ('revisit' rows, or the older 评价 stage
 *    move) whose satisfaction is ≥ 4 ÷ those with a satisfaction recorded.
 * A rate whose denominator is 0 is null (not 0): "nothing to measure".
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { loadWorkCalendar } from '../calendar/calendar';
import { NotFoundError } from '../http/domainError';
import { signDeadlineFor } from '../../kernel/caseClocks';
import { regionSql } from './filters';

export const KPI_DEFINITIONS = {
  count: '受理量：统计期内上报（reported_at ∈ [from, to)）的事件数',
  due: '应结案：统计期内到期（deadline_at ∈ [from, to)，含延期后的期限）或统计期内结案（closed_at ∈ [from, to)）的事件数',
  suspended: '缓办：应结案中被批准缓办（suspended）的事件数，不计入各项比率',
  closed: '结案：应结案且非缓办、在统计期结束前已核实结案（closed_at < to）的事件数',
  closedOnTime: '按期结案：结案中 closed_at ≤ deadline_at 的事件数',
  closeRate: '结案率 = 结案 ÷ (应结案 − 缓办)',
  onTimeRate: '按期结案率 = 按期结案 ÷ (应结案 − 缓办)',
  reworkRate: '返工率 = (应结案 − 缓办) 中发生过返工（反馈→处置）的事件数 ÷ (应结案 − 缓办)',
  extensionRate: '延期率 = (应结案 − 缓办) 中延期过的事件数 ÷ (应结案 − 缓办)',
  avgHoursToClose: '平均结案时长（小时）= 结案事件从上报到结案的平均时长',
  solvedInGridShare: '网格内解决率（小事不出网格）= 结案中处置层级为网格的事件数 ÷ 结案',
  solvedInCommunityShare: '社区内解决率（大事不出社区）= 结案中处置层级为网格或社区的事件数 ÷ 结案',
  overdueOpen: '超期未结：(应结案 − 缓办) 中截至统计期末仍未结案且已过期限的事件数',
  dispatches: '派遣：统计期内的派遣记录数（同一事件退单后再派遣，计为两次）',
  signed: '已签收：派遣中其后（截至统计时点）被签收的次数（其间未被退单或改派）',
  signedOnTime: '按时签收：已签收中，签收时间不晚于签收时限（派遣时间起算该类别的签收时限个工作小时，按工作日历计）的次数',
  signOverdue: '签收超时未签：派遣后未签收、且在退单/改派或统计时点之前已超过签收时限的次数',
  signOnTimeRate: '签收及时率 = 按时签收 ÷ (已签收 + 签收超时未签)；在时限内退单、改派或尚未到时限的派遣不计入',
  returned: '退单：派遣后未签收即被退回（退单）的次数',
  returnRate: '退单率 = 退单 ÷ 派遣',
  revisited: '回访：统计期内完成回访（或评价）且记录了满意度的事件数（同一事件多次回访计一次）',
  satisfied: '满意：回访中满意度为 4 或 5（满意、非常满意）的事件数',
  satisfactionRate: '满意率 = 满意 ÷ 回访',
  rates: '比率为 0~1 的小数；分母为 0 时为 null',
} as const;

export interface KpiResult {
  region: string;
  from: string;
  to: string;
  count: number;
  due: number;
  suspended: number;
  closed: number;
  closedOnTime: number;
  reworked: number;
  extended: number;
  overdueOpen: number;
  solvedInGrid: number;
  solvedInCommunity: number;
  closeRate: number | null;
  onTimeRate: number | null;
  reworkRate: number | null;
  extensionRate: number | null;
  avgHoursToClose: number | null;
  solvedInGridShare: number | null;
  solvedInCommunityShare: number | null;
  dispatches: number;
  signed: number;
  signedOnTime: number;
  signOverdue: number;
  returned: number;
  revisited: number;
  satisfied: number;
  signOnTimeRate: number | null;
  returnRate: number | null;
  satisfactionRate: number | null;
}

interface KpiRow {
  count: number;
  due: number;
  suspended: number;
  closed: number;
  closed_on_time: number;
  reworked: number;
  extended: number;
  overdue_open: number;
  solved_in_grid: number;
  solved_in_community: number;
  avg_hours: number | null;
}

const ratio = (numerator: number, denominator: number) => (denominator > 0 ? numerator / denominator : null);

/** `now`: the time the outcomes of the period's dispatches are known up to (the server clock). */
export async function regionKpis(db: DbHandle, region: string, from: Date, to: Date, now: Date = new Date()): Promise<KpiResult> {
  const lo = sql`${from.toISOString()}::timestamptz`;
  const hi = sql`${to.toISOString()}::timestamptz`;
  const [r] = await db.rows<KpiRow>(sql`
    WITH scoped AS (
      SELECT i.* FROM incidents i WHERE ${regionSql(region)}
    ), due AS (
      SELECT * FROM scoped
      WHERE (deadline_at >= ${lo} AND deadline_at < ${hi}) OR (closed_at >= ${lo} AND closed_at < ${hi})
    ), base AS (
      SELECT *, (closed_at IS NOT NULL AND closed_at < ${hi}) AS is_closed FROM due WHERE NOT suspended
    )
    SELECT
      (SELECT count(*) FROM scoped WHERE reported_at >= ${lo} AND reported_at < ${hi})::int AS count,
      (SELECT count(*) FROM due)::int AS due,
      (SELECT count(*) FROM due WHERE suspended)::int AS suspended,
      count(*) FILTER (WHERE is_closed)::int AS closed,
      count(*) FILTER (WHERE is_closed AND closed_at <= deadline_at)::int AS closed_on_time,
      count(*) FILTER (WHERE rework_count > 0)::int AS reworked,
      count(*) FILTER (WHERE extended)::int AS extended,
      count(*) FILTER (WHERE NOT is_closed AND deadline_at < ${hi})::int AS overdue_open,
      count(*) FILTER (WHERE is_closed AND escalation = 'grid')::int AS solved_in_grid,
      count(*) FILTER (WHERE is_closed AND escalation IN ('grid', 'community'))::int AS solved_in_community,
      avg(extract(epoch FROM closed_at - reported_at) / 3600) FILTER (WHERE is_closed) AS avg_hours
    FROM base`);
  const signing = await signingKpis(db, region, from, to, now);
  const revisits = await revisitKpis(db, region, from, to);
  const n = (v: number | null | undefined) => Number(v ?? 0);
  const base = n(r?.due) - n(r?.suspended);
  const closed = n(r?.closed);
  return {
    region,
    from: from.toISOString(),
    to: to.toISOString(),
    count: n(r?.count),
    due: n(r?.due),
    suspended: n(r?.suspended),
    closed,
    closedOnTime: n(r?.closed_on_time),
    reworked: n(r?.reworked),
    extended: n(r?.extended),
    overdueOpen: n(r?.overdue_open),
    solvedInGrid: n(r?.solved_in_grid),
    solvedInCommunity: n(r?.solved_in_community),
    closeRate: ratio(closed, base),
    onTimeRate: ratio(n(r?.closed_on_time), base),
    reworkRate: ratio(n(r?.reworked), base),
    extensionRate: ratio(n(r?.extended), base),
    avgHoursToClose: r?.avg_hours === null || r?.avg_hours === undefined ? null : Number(r.avg_hours),
    solvedInGridShare: ratio(n(r?.solved_in_grid), closed),
    solvedInCommunityShare: ratio(n(r?.solved_in_community), closed),
    ...signing,
    signOnTimeRate: ratio(signing.signedOnTime, signing.signed + signing.signOverdue),
    returnRate: ratio(signing.returned, signing.dispatches),
    ...revisits,
    satisfactionRate: ratio(revisits.satisfied, revisits.revisited),
  };
}

/** 派遣 → 签收/退单 of the period, each dispatch judged against its 签收时限 on the working calendar. */
async function signingKpis(db: DbHandle, region: string, from: Date, to: Date, now: Date) {
  // Each dispatch with the next 签收/退单/派遣 row of its incident (outcomes come after the
  // dispatch, so rows from `from` on suffice): one pass over the (action, at) index.
  // Working time runs no faster than the wall clock, so the 签收时限 is never before
  // dispatch + sign_hours wall hours: whatever ended by then is judged in SQL (signed on
  // time / not overdue), and only the rest is sent here to be judged on the calendar.
  const nowAt = sql`${now.toISOString()}::timestamptz`;
  const rows = await db.rows<{
    kind: 'totals' | 'row';
    at: Date | string | null;
    sign_hours: number | null;
    outcome: string | null;
    outcome_at: Date | string | null;
    dispatches: number;
    returned: number;
    quick_signed: number;
  }>(sql`
    WITH loop AS (
      SELECT t.action, t.at, c.sign_hours,
             lead(t.action) OVER w AS outcome, lead(t.at) OVER w AS outcome_at
      FROM incident_transitions t
      JOIN incidents i ON i.id = t.incident_id
      JOIN incident_categories c ON c.code = i.category_code
      WHERE t.action IN ('dispatch', 'sign', 'return') AND t.at >= ${from.toISOString()}::timestamptz AND ${regionSql(region)}
      WINDOW w AS (PARTITION BY t.incident_id ORDER BY t.at, t.id)
    ), d AS MATERIALIZED (
      SELECT at, sign_hours, outcome, outcome_at,
             coalesce(outcome = 'sign' AND outcome_at <= at + make_interval(hours => sign_hours), false) AS quick_signed,
             (outcome IS DISTINCT FROM 'sign' AND least(coalesce(outcome_at, ${nowAt}), ${nowAt}) <= at + make_interval(hours => sign_hours)) AS quick_unsigned
      FROM loop WHERE action = 'dispatch' AND at < ${to.toISOString()}::timestamptz
    )
    SELECT 'totals' AS kind, NULL::timestamptz AS at, NULL::int AS sign_hours, NULL::text AS outcome, NULL::timestamptz AS outcome_at,
           count(*)::int AS dispatches, count(*) FILTER (WHERE outcome = 'return')::int AS returned, count(*) FILTER (WHERE quick_signed)::int AS quick_signed
    FROM d
    UNION ALL
    SELECT 'row', at, sign_hours, outcome, outcome_at, 0, 0, 0 FROM d WHERE NOT quick_signed AND NOT quick_unsigned`);
  const totals = rows.find((r) => r.kind === 'totals');
  const cal = await loadWorkCalendar(db);
  let signed = Number(totals?.quick_signed ?? 0);
  let signedOnTime = signed;
  let signOverdue = 0;
  for (const r of rows) {
    if (r.kind !== 'row') continue;
    const due = signDeadlineFor(new Date(r.at as Date | string), { signHours: Number(r.sign_hours) }, cal).getTime();
    const outcomeAt = r.outcome_at === null ? null : new Date(r.outcome_at).getTime();
    if (r.outcome === 'sign') {
      signed++;
      if ((outcomeAt as number) <= due) signedOnTime++;
    } else if (Math.min(outcomeAt ?? now.getTime(), now.getTime()) > due) {
      // Unsigned: overdue when its 时限 passed before it was returned/re-dispatched (or before now).
      signOverdue++;
    }
  }
  return { dispatches: Number(totals?.dispatches ?? 0), signed, signedOnTime, signOverdue, returned: Number(totals?.returned ?? 0) };
}

/** 回访 of the period: incidents revisited (or evaluated) with their satisfaction. */
async function revisitKpis(db: DbHandle, region: string, from: Date, to: Date) {
  const [r] = await db.rows<{ revisited: number; satisfied: number }>(sql`
    SELECT count(*)::int AS revisited, count(*) FILTER (WHERE i.satisfaction >= 4)::int AS satisfied
    FROM incidents i
    WHERE ${regionSql(region)} AND i.satisfaction IS NOT NULL AND EXISTS (
      SELECT 1 FROM incident_transitions t
      WHERE t.incident_id = i.id AND (t.action = 'revisit' OR (t.action = 'stage' AND t.to_stage = 'evaluate'))
        AND t.at >= ${from.toISOString()}::timestamptz AND t.at < ${to.toISOString()}::timestamptz)`);
  return { revisited: Number(r?.revisited ?? 0), satisfied: Number(r?.satisfied ?? 0) };
}

/** The child regions ranked under a region: streets of a district, communities of a street, grids of a community. */
export async function childRegionCodes(db: DbHandle, region: string): Promise<string[]> {
  if (region.length === 12) {
    const rows = await db.rows<{ code: string }>(sql`SELECT code FROM grids WHERE community_code = ${region} ORDER BY code`);
    return rows.map((r) => r.code);
  }
  const rows = await db.rows<{ code: string }>(sql`SELECT code FROM regions WHERE parent_code = ${region} ORDER BY code`);
  return rows.map((r) => r.code);
}

export interface KpiReport {
  kpis: KpiResult;
  /** The child regions' KPIs when asked for (`children`), else null. */
  children: KpiResult[] | null;
  definitions: typeof KPI_DEFINITIONS;
}

/** GET /api/incidents/kpis: a region's KPIs over [from, to), optionally with its children's; 404 for an unknown region or grid. */
export async function kpiReport(db: DbHandle, region: string, from: Date, to: Date, withChildren: boolean, now: Date = new Date()): Promise<KpiReport> {
  const exists = await db.rows(sql`SELECT 1 FROM regions WHERE code = ${region} UNION ALL SELECT 1 FROM grids WHERE code = ${region} LIMIT 1`);
  if (exists.length === 0) throw new NotFoundError(`区域编码 ${region} 不存在`);
  const kpis = await regionKpis(db, region, from, to, now);
  const children = withChildren ? await Promise.all((await childRegionCodes(db, region)).map((code) => regionKpis(db, code, from, to, now))) : null;
  return { kpis, children, definitions: KPI_DEFINITIONS };
}
