/**
 * The workbench's inbox (issue 14 point 5): per role the tabs of work waiting for the
 * signed-in user — 待签收, 待派遣, 待处置, 待核实, 待回访, 我上报的, 督办, 超期 — each a
 * condition on top of the read rule (readableBy, the SQL twin of mayReadIncident),
 * listed by remaining time (the 签收 clock in 待签收, the handling deadline elsewhere),
 * with the shared filters, and counted per tab. Every condition has an index of
 * migration 0010 behind it (place/stage/deadline, department, assignee, reporter,
 * urged, pending) so that the lists stay fast at a million incidents.
 *
 * 待派遣 also holds the requests (退单/延期/缓办) waiting for the dispatcher's decision;
 * 待签收 of a department also holds the 吹哨 summons it has not reported in to.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { INBOX_TAB_LABELS, INBOX_TABS, type InboxTab, ROLE_TABS } from '../../kernel/inboxTabs';
import type { SessionUser } from '../../kernel/roles';
import { STAGE_LABELS, type IncidentSource, type IncidentStage } from '../../kernel/stages';
import { readableBy } from './incidentAccess';
import { type CountdownStatus, countdownStatus } from '../../kernel/caseClocks';
import { loadWorkCalendar } from '../calendar/calendar';
import { filterSql, type IncidentFilter } from './filters';

export { INBOX_TAB_LABELS, INBOX_TABS, ROLE_TABS, type InboxTab };

const OPEN = sql`i.stage NOT IN ('close', 'evaluate')`;

/** Dispatched to the user: their department (not to one grid worker), or themselves. */
function assignedTo(user: SessionUser): SQL {
  if (user.role === 'dept_staff') return user.departmentId === null ? sql`false` : sql`(i.department_id = ${user.departmentId} AND i.assignee_user_id IS NULL)`;
  if (user.role === 'grid_worker') return sql`i.assignee_user_id = ${user.id}`;
  return user.role === 'admin' ? sql`true` : sql`false`;
}

/** The tab's condition for `user`, beside the read rule; `now` for 超期. */
export function tabSql(tab: InboxTab, user: SessionUser, now: Date): SQL {
  switch (tab) {
    case 'to_sign': {
      const summoned =
        user.role === 'dept_staff' && user.departmentId !== null
          ? sql` OR (${OPEN} AND i.id = ANY (ARRAY(SELECT s.incident_id::bigint FROM incident_summons s WHERE s.department_id = ${user.departmentId} AND s.reported_at IS NULL)))`
          : sql``;
      return sql`((i.stage = 'dispatch' AND ${assignedTo(user)})${summoned})`;
    }
    case 'to_dispatch':
      return user.role === 'dispatcher' || user.role === 'admin' ? sql`(i.stage IN ('collect', 'register') OR i.pending_request IS NOT NULL)` : sql`false`;
    case 'to_handle':
      return sql`(i.stage = 'handle' AND ${assignedTo(user)})`;
    case 'to_verify':
      if (user.role === 'grid_worker') {
        const grids = user.gridCodes.length > 0 ? sql`i.grid_code IN ${[...user.gridCodes]}` : sql`false`;
        return sql`(i.stage = 'feedback' AND ${grids} AND i.handler_user_id IS DISTINCT FROM ${user.id} AND i.reporter_user_id IS DISTINCT FROM ${user.id})`;
      }
      return user.role === 'dispatcher' || user.role === 'admin' ? sql`i.stage = 'feedback'` : sql`false`;
    case 'to_revisit':
      return user.role === 'dispatcher' || user.role === 'admin' ? sql`i.stage = 'close'` : sql`false`;
    case 'mine':
      return sql`i.reporter_user_id = ${user.id}`;
    case 'supervised':
      return sql`(i.urge_count > 0 AND ${OPEN})`;
    case 'overdue':
      return sql`(${OPEN} AND NOT i.suspended AND i.deadline_at < ${now.toISOString()}::timestamptz)`;
  }
}

export interface InboxFilter extends Omit<IncidentFilter, 'from' | 'to' | 'bbox'> {
  from?: Date | undefined;
  to?: Date | undefined;
  department?: number | undefined;
}

export interface InboxItem {
  id: number;
  category: { code: string; label: string; major: string; minor: string };
  description: string | null;
  stage: IncidentStage;
  stageLabel: string;
  source: IncidentSource;
  gridCode: string | null;
  communityCode: string | null;
  streetCode: string | null;
  lon: number;
  lat: number;
  reportedAt: string;
  deadlineAt: string | null;
  signDeadlineAt: string | null;
  /** The clock that matters in this tab (签收 in 待签收, the handling deadline elsewhere). */
  deadline: CountdownStatus & { at: string | null };
  department: { id: number; name: string } | null;
  assignee: { id: number; name: string } | null;
  urgeCount: number;
  pendingRequest: string | null;
  suspended: boolean;
  summons: { departmentId: number; name: string; deadlineAt: string; reportedAt: string | null }[];
}

interface ItemRow {
  id: number;
  category_code: string;
  major: string;
  minor: string;
  description: string | null;
  stage: IncidentStage;
  source: IncidentSource;
  grid_code: string | null;
  community_code: string | null;
  street_code: string | null;
  lon: number;
  lat: number;
  reported_at: Date | string;
  deadline_at: Date | string | null;
  sign_deadline_at: Date | string | null;
  dispatched_at: Date | string | null;
  department_id: number | null;
  department_name: string | null;
  assignee_user_id: number | null;
  assignee_name: string | null;
  urge_count: number;
  pending_request: string | null;
  suspended: boolean;
  summons: { departmentId: number; name: string; deadlineAt: string; reportedAt: string | null }[] | string | null;
}

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

/**
 * Tabs whose condition already implies the read rule for `user` — work dispatched to the
 * user or their department (待签收, 待处置; 吹哨 summons are in the rule), a grid worker's
 * own grids (待核实) and own reports (我上报的). For them the rule adds nothing but cost
 * (a grid worker's 我上报的 would OR every step they ever took); inbox.test.ts holds each
 * such tab against the rule on the fixture.
 */
export function tabImpliesReadable(tab: InboxTab, user: SessionUser): boolean {
  if (tab === 'to_sign' || tab === 'to_handle') return true;
  return user.role === 'grid_worker' && (tab === 'to_verify' || tab === 'mine');
}

function where(user: SessionUser, tab: InboxTab, f: InboxFilter, now: Date, rule: 'needed' | 'always' = 'needed'): SQL {
  const read = rule === 'needed' && tabImpliesReadable(tab, user) ? [] : [readableBy(user)];
  const parts = [...read, tabSql(tab, user, now), filterSql(f)];
  if (f.department !== undefined) parts.push(sql`i.department_id = ${f.department}`);
  return sql.join(parts, sql` AND `);
}

/** The order of a tab: by the clock that matters; 我上报的 (mostly closed cases) newest first. */
const orderSql = (tab: InboxTab) =>
  tab === 'mine' ? sql`i.reported_at DESC, i.id DESC` : tab === 'to_sign' ? sql`coalesce(i.sign_deadline_at, i.deadline_at) ASC NULLS LAST, i.id` : sql`i.deadline_at ASC NULLS LAST, i.id`;

export async function inbox(db: DbHandle, user: SessionUser, tab: InboxTab, f: InboxFilter, page: number, pageSize: number, now = new Date()) {
  const cond = where(user, tab, f, now);
  const [cal, rows, [total]] = await Promise.all([
    loadWorkCalendar(db),
    db.rows<ItemRow>(sql`
      SELECT i.id, i.category_code, c.major, c.minor, i.description, i.stage, i.source, i.grid_code, i.community_code, i.street_code,
        ST_X(i.geom) AS lon, ST_Y(i.geom) AS lat, i.reported_at, i.deadline_at, i.sign_deadline_at, i.dispatched_at,
        i.department_id, d.name AS department_name, i.assignee_user_id, u.display_name AS assignee_name, i.urge_count, i.pending_request, i.suspended,
        (SELECT coalesce(json_agg(json_build_object('departmentId', s.department_id, 'name', sd.name, 'deadlineAt', s.deadline_at, 'reportedAt', s.reported_at) ORDER BY s.id), '[]'::json)
           FROM incident_summons s JOIN departments sd ON sd.id = s.department_id WHERE s.incident_id = i.id) AS summons
      FROM (SELECT i.* FROM incidents i WHERE ${cond} ORDER BY ${orderSql(tab)} LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}) i
      JOIN incident_categories c ON c.code = i.category_code
      LEFT JOIN departments d ON d.id = i.department_id
      LEFT JOIN users u ON u.id = i.assignee_user_id
      ORDER BY ${orderSql(tab)}`),
    db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM incidents i WHERE ${cond}`),
  ]);
  const items: InboxItem[] = rows.map((r) => {
    const signClock = tab === 'to_sign' && r.stage === 'dispatch' && r.sign_deadline_at !== null;
    const dueAt = signClock ? new Date(r.sign_deadline_at as Date | string) : r.deadline_at === null ? null : new Date(r.deadline_at);
    const startedAt = new Date(signClock ? (r.dispatched_at as Date | string) : r.reported_at);
    const summons = typeof r.summons === 'string' ? (JSON.parse(r.summons) as InboxItem['summons']) : (r.summons ?? []);
    return {
      id: Number(r.id),
      category: { code: r.category_code, label: `${r.major}/${r.minor}`, major: r.major, minor: r.minor },
      description: r.description,
      stage: r.stage,
      stageLabel: STAGE_LABELS[r.stage],
      source: r.source,
      gridCode: r.grid_code,
      communityCode: r.community_code,
      streetCode: r.street_code,
      lon: Number(r.lon),
      lat: Number(r.lat),
      reportedAt: new Date(r.reported_at).toISOString(),
      deadlineAt: iso(r.deadline_at),
      signDeadlineAt: iso(r.sign_deadline_at),
      deadline: { ...(r.suspended ? { remainingMs: null, level: 'ok' as const } : countdownStatus(dueAt, startedAt, now, cal)), at: dueAt?.toISOString() ?? null },
      department: r.department_id === null ? null : { id: Number(r.department_id), name: r.department_name ?? '' },
      assignee: r.assignee_user_id === null ? null : { id: Number(r.assignee_user_id), name: r.assignee_name ?? '' },
      urgeCount: Number(r.urge_count),
      pendingRequest: r.pending_request,
      suspended: r.suspended,
      summons: summons.map((s) => ({ departmentId: Number(s.departmentId), name: s.name, deadlineAt: new Date(s.deadlineAt).toISOString(), reportedAt: s.reportedAt ? new Date(s.reportedAt).toISOString() : null })),
    };
  });
  return { tab, items, total: Number(total?.n ?? 0), page, pageSize };
}

/** Counts of the user's tabs (only those of their role). */
export async function inboxCounts(db: DbHandle, user: SessionUser, now = new Date(), rule: 'needed' | 'always' = 'needed'): Promise<{ tabs: InboxTab[]; counts: Partial<Record<InboxTab, number>> }> {
  const tabs = [...ROLE_TABS[user.role]];
  const counted = await Promise.all(tabs.map((tab) => db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM incidents i WHERE ${where(user, tab, {}, now, rule)}`)));
  const counts: Partial<Record<InboxTab, number>> = Object.fromEntries(tabs.map((tab, k) => [tab, Number(counted[k]?.[0]?.n ?? 0)]));
  return { tabs, counts };
}
