/**
 * One incident as its detail page shows it: the loop state, what was reported
 * (category, source, reporter, description, position), where it belongs (grid,
 * community, street), who has it now (department or grid worker, 签收 clock, 督办
 * count, open request, 吹哨 summons), its whole history oldest first — `transitions`
 * (the older shape) and `timeline` (with ids, departments, payloads and whether each
 * step met its deadline) — and, for the signed-in reader, `allowedActions` from the
 * one action table (kernel/loopActions.ts), the same function the writes obey.
 * The reporter's name follows the personal-data rule (PERSONAL_DATA_POLICY).
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { ACTION_LABELS, type AllowedAction, allowedActions } from '../../kernel/loopActions';
import type { SessionUser } from '../../kernel/roles';
import type { IncidentStage } from '../../kernel/stages';
import { mayReadPeople } from '../auth/personalData';
import { NotFoundError } from '../http/domainError';
import { assertMayReadIncident } from './incidentAccess';
import { incidentState, incidentView, type IncidentView } from './incidentState';
import { loadCase } from './loopCase';
import { type CountdownStatus, countdownStatus } from '../../kernel/caseClocks';
import { loadWorkCalendar } from '../calendar/calendar';

export interface TransitionRecord {
  from: IncidentStage | null;
  to: IncidentStage;
  action: string;
  /** Display name of the writer. */
  actor: string;
  /** The writer's account; null for the generated sample history. */
  actorUsername: string | null;
  at: string;
  note: string | null;
  /** From an admin's import of historical cases: `at` is the file's time, not the server's clock. */
  imported: boolean;
}

/** Names of the history's actions, the loop's and the older ones. */
export const HISTORY_LABELS: Record<string, string> = {
  ...ACTION_LABELS,
  report: '上报',
  stage: '流转',
  escalation: '升级处置层级',
  extension: '延期',
  suspension: '缓办',
};

export interface TimelineEntry extends TransitionRecord {
  id: number;
  actionLabel: string;
  actorUserId: number | null;
  department: { id: number; name: string } | null;
  assignee: { id: number; name: string } | null;
  payload: Record<string, unknown> | null;
  /** The deadline this step answered (签收, 报到, 结案), and whether it was met. */
  deadlineAt: string | null;
  onTime: boolean | null;
}

interface HistoryRow {
  id: number;
  from_stage: IncidentStage | null;
  to_stage: IncidentStage;
  action: string;
  actor: string;
  actor_username: string | null;
  actor_user_id: number | null;
  at: Date | string;
  note: string | null;
  imported: boolean;
  department_id: number | null;
  department_name: string | null;
  assignee_user_id: number | null;
  assignee_name: string | null;
  payload: Record<string, unknown> | string | null;
  summons_deadline: Date | string | null;
}

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());
const num = (v: number | null) => (v === null ? null : Number(v));

async function historyRows(db: DbHandle, id: number): Promise<HistoryRow[]> {
  return db.rows<HistoryRow>(sql`
    SELECT t.id, t.from_stage, t.to_stage, t.action, t.actor, t.actor_username, t.actor_user_id, t.at, t.note, t.imported,
      t.department_id, d.name AS department_name, t.assignee_user_id, u.display_name AS assignee_name, t.payload,
      (SELECT s.deadline_at FROM incident_summons s WHERE s.incident_id = t.incident_id AND s.department_id = t.department_id AND t.action = 'report_in') AS summons_deadline
    FROM incident_transitions t
    LEFT JOIN departments d ON d.id = t.department_id
    LEFT JOIN users u ON u.id = t.assignee_user_id
    WHERE t.incident_id = ${id} ORDER BY t.at, t.id`);
}

const toRecord = (r: HistoryRow): TransitionRecord => ({
  from: r.from_stage,
  to: r.to_stage,
  action: r.action,
  actor: r.actor,
  actorUsername: r.actor_username,
  at: new Date(r.at).toISOString(),
  note: r.note,
  imported: r.imported,
});

export async function incidentHistory(db: DbHandle, id: number): Promise<TransitionRecord[]> {
  return (await historyRows(db, id)).map(toRecord);
}

function toTimeline(rows: HistoryRow[], deadlineAt: Date | null): TimelineEntry[] {
  let signDeadline: string | null = null;
  return rows.map((r) => {
    const payload = typeof r.payload === 'string' ? (JSON.parse(r.payload) as Record<string, unknown>) : r.payload;
    if (r.action === 'dispatch' || r.action === 'redispatch') signDeadline = typeof payload?.signDeadlineAt === 'string' ? payload.signDeadlineAt : null;
    const due = r.action === 'sign' ? signDeadline : r.action === 'report_in' ? iso(r.summons_deadline) : r.action === 'verify' || (r.action === 'close' && payload?.onSpot === true) ? iso(deadlineAt) : null;
    const at = new Date(r.at).toISOString();
    return {
      ...toRecord(r),
      id: Number(r.id),
      actionLabel: HISTORY_LABELS[r.action] ?? r.action,
      actorUserId: num(r.actor_user_id),
      department: r.department_id === null ? null : { id: Number(r.department_id), name: r.department_name ?? `单位 ${r.department_id}` },
      assignee: r.assignee_user_id === null ? null : { id: Number(r.assignee_user_id), name: r.assignee_name ?? `用户 ${r.assignee_user_id}` },
      payload,
      deadlineAt: due,
      onTime: due === null ? null : at <= due,
    };
  });
}

export interface Summons {
  department: { id: number; name: string };
  deadlineAt: string;
  summonedAt: string;
  reportedAt: string | null;
  reportedBy: string | null;
  status: CountdownStatus & { met: boolean | null };
}

export interface LoopRequest {
  id: number;
  kind: string;
  reason: string;
  hours: number | null;
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decision: string | null;
  decisionNote: string | null;
}

export interface IncidentDetail extends IncidentView {
  category: { code: string; major: string; minor: string };
  source: string;
  reporter: string | null;
  reporterUserId: number | null;
  description: string | null;
  gridCode: string | null;
  communityCode: string | null;
  streetCode: string | null;
  /** Names of the grid, community and street (null where the code is unknown or gone). */
  placeNames: { grid: string | null; community: string | null; street: string | null };
  position: [number, number];
  department: { id: number; name: string } | null;
  assignee: { id: number; name: string } | null;
  dispatchedAt: string | null;
  signDeadlineAt: string | null;
  signedAt: string | null;
  handlerUserId: number | null;
  verifierUserId: number | null;
  urgeCount: number;
  lastUrgedAt: string | null;
  pendingRequest: LoopRequest | null;
  requests: LoopRequest[];
  summons: Summons[];
  deadlineStatus: CountdownStatus;
  transitions: TransitionRecord[];
  timeline: TimelineEntry[];
  allowedActions: AllowedAction[];
}

interface DetailRow {
  category_code: string;
  major: string;
  minor: string;
  source: string;
  reporter: string | null;
  reporter_user_id: number | null;
  description: string | null;
  grid_code: string | null;
  community_code: string | null;
  street_code: string | null;
  place_code: string | null;
  grid_name: string | null;
  community_name: string | null;
  street_name: string | null;
  lon: number;
  lat: number;
  department_id: number | null;
  department_name: string | null;
  assignee_user_id: number | null;
  assignee_name: string | null;
  dispatched_at: Date | string | null;
  sign_deadline_at: Date | string | null;
  signed_at: Date | string | null;
  handler_user_id: number | null;
  verifier_user_id: number | null;
  urge_count: number;
  last_urged_at: Date | string | null;
  pending_request: string | null;
}

interface RequestRow {
  id: number;
  kind: string;
  reason: string;
  hours: number | null;
  requested_by: string;
  requested_at: Date | string;
  decided_by: string | null;
  decided_at: Date | string | null;
  decision: string | null;
  decision_note: string | null;
}

const toRequest = (r: RequestRow): LoopRequest => ({
  id: Number(r.id),
  kind: r.kind,
  reason: r.reason,
  hours: num(r.hours),
  requestedBy: r.requested_by,
  requestedAt: new Date(r.requested_at).toISOString(),
  decidedBy: r.decided_by,
  decidedAt: iso(r.decided_at),
  decision: r.decision,
  decisionNote: r.decision_note,
});

/**
 * The detail for `reader` (403 when they may not read it). Without a reader (server
 * tools) nothing is checked and `allowedActions` is empty.
 */
export async function incidentDetail(db: DbHandle, id: number, reader: SessionUser | null = null, now = new Date()): Promise<IncidentDetail> {
  if (reader) await assertMayReadIncident(db, reader, id);
  const state = await incidentState(db, id);
  if (!state) throw new NotFoundError(`事件 ${id} 不存在`);
  const cal = await loadWorkCalendar(db);
  const [d] = await db.rows<DetailRow>(sql`
    SELECT i.category_code, c.major, c.minor, i.source, i.reporter, i.reporter_user_id, i.description, i.grid_code, i.community_code, i.street_code, i.place_code,
      g.name AS grid_name, rc.name AS community_name, rs.name AS street_name,
      ST_X(i.geom) AS lon, ST_Y(i.geom) AS lat, i.department_id, dep.name AS department_name, i.assignee_user_id, u.display_name AS assignee_name,
      i.dispatched_at, i.sign_deadline_at, i.signed_at, i.handler_user_id, i.verifier_user_id, i.urge_count, i.last_urged_at, i.pending_request
    FROM incidents i JOIN incident_categories c ON c.code = i.category_code
    LEFT JOIN departments dep ON dep.id = i.department_id LEFT JOIN users u ON u.id = i.assignee_user_id
    LEFT JOIN grids g ON g.code = i.grid_code LEFT JOIN regions rc ON rc.code = i.community_code LEFT JOIN regions rs ON rs.code = i.street_code
    WHERE i.id = ${id}`);
  if (!d) throw new NotFoundError(`事件 ${id} 不存在`);
  const [history, requestRows, summonsRows, loopCase] = await Promise.all([
    historyRows(db, id),
    db.rows<RequestRow>(sql`SELECT id, kind, reason, hours, requested_by, requested_at, decided_by, decided_at, decision, decision_note FROM incident_requests WHERE incident_id = ${id} ORDER BY id`),
    db.rows<{ department_id: number; name: string; deadline_at: Date | string; summoned_at: Date | string; reported_at: Date | string | null; reported_by: string | null }>(
      sql`SELECT s.department_id, d.name, s.deadline_at, s.summoned_at, s.reported_at, s.reported_by FROM incident_summons s JOIN departments d ON d.id = s.department_id WHERE s.incident_id = ${id} ORDER BY s.id`,
    ),
    loadCase(db.db, id, false),
  ]);
  const requests = requestRows.map(toRequest);
  const view = incidentView(state, now);
  const showNames = reader === null || (d.place_code !== null && mayReadPeople(reader, d.place_code));
  return {
    ...view,
    category: { code: d.category_code, major: d.major, minor: d.minor },
    source: d.source,
    reporter: showNames ? d.reporter : null,
    reporterUserId: num(d.reporter_user_id),
    description: d.description,
    gridCode: d.grid_code,
    communityCode: d.community_code,
    streetCode: d.street_code,
    placeNames: { grid: d.grid_name, community: d.community_name, street: d.street_name },
    position: [Number(d.lon), Number(d.lat)],
    department: d.department_id === null ? null : { id: Number(d.department_id), name: d.department_name ?? '' },
    assignee: d.assignee_user_id === null ? null : { id: Number(d.assignee_user_id), name: d.assignee_name ?? '' },
    dispatchedAt: iso(d.dispatched_at),
    signDeadlineAt: iso(d.sign_deadline_at),
    signedAt: iso(d.signed_at),
    handlerUserId: num(d.handler_user_id),
    verifierUserId: num(d.verifier_user_id),
    urgeCount: Number(d.urge_count),
    lastUrgedAt: iso(d.last_urged_at),
    pendingRequest: d.pending_request ? (requests.find((r) => r.kind === d.pending_request && r.decision === null) ?? null) : null,
    requests,
    summons: summonsRows.map((s) => {
      const deadline = new Date(s.deadline_at);
      const reported = s.reported_at === null ? null : new Date(s.reported_at);
      return {
        department: { id: Number(s.department_id), name: s.name },
        deadlineAt: deadline.toISOString(),
        summonedAt: new Date(s.summoned_at).toISOString(),
        reportedAt: reported?.toISOString() ?? null,
        reportedBy: s.reported_by,
        status: { ...countdownStatus(reported ? null : deadline, new Date(s.summoned_at), now, cal), met: reported ? reported <= deadline : null },
      };
    }),
    deadlineStatus: view.closedAt || state.suspended ? { remainingMs: null, level: 'ok' } : countdownStatus(state.deadlineAt, state.reportedAt, now, cal),
    transitions: history.map(toRecord),
    timeline: toTimeline(history, state.deadlineAt),
    allowedActions: reader && loopCase ? allowedActions(reader, loopCase) : [],
  };
}
