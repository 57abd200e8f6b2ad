/**
 * The writes of the closed loop (POST /api/incidents/:id/actions, bulk dispatch): one
 * transaction per action — lock the incident, check the reader rule, the stage the
 * client saw (409), the action table (kernel/loopActions.ts: 403 not yours, 422 not
 * now), the fields (422 naming the field), then update the incident and insert the
 * history row(s) of incident_transitions with the contract's action names, signed by
 * the session's account at the server's clock. Nothing is written when anything fails.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { ACTION_TABLE, checkAction, type LoopAction, type LoopCase, REQUEST_LABELS, type RequestKind, stageAfter } from '../../kernel/loopActions';
import type { SessionUser } from '../../kernel/roles';
import { STAGE_LABELS, type IncidentStage } from '../../kernel/stages';
import { DomainError, ForbiddenError, NotFoundError } from '../http/domainError';
import { readableBy } from './incidentAccess';
import { actorName } from './incidentWriter';
import { execRows, loadCase, type Tx } from './loopCase';
import { extendedDeadline, resumeDeadline } from './deadlines';
import { loadWorkCalendar, signDeadline, summonsDeadline } from './loopDeadlines';
import { allowedNext } from './stateMachine';
import { StageConflict } from './loopErrors';
import { checkUnchanged } from './caseChanged';

export interface ActionInput {
  action: LoopAction;
  expectedStage: IncidentStage;
  note?: string | undefined;
  departmentId?: number | undefined;
  assigneeUserId?: number | undefined;
  departmentIds?: number[] | undefined;
  hours?: number | undefined;
  satisfaction?: number | undefined;
  /** The last history row the client saw (offline queues): anything written since is a 409 (caseChanged.ts). */
  expectedTransitionId?: number | undefined;
}

/** A refused action, with the field at fault (403 not yours, 422 rule broken). */
export class ActionRefused extends DomainError {
  constructor(status: 403 | 422, action: LoopAction, stage: IncidentStage, field: string, reason: string) {
    super(status, status === 403 ? '无权执行此操作' : '不允许的操作', `「${ACTION_TABLE[action].label}」被拒绝：${reason}（当前阶段「${STAGE_LABELS[stage]}」）`, {
      action,
      currentStage: stage,
      allowedNext: [...allowedNext(stage)],
      errors: [{ field, reason }],
    });
  }
}

interface Step {
  from: IncidentStage;
  to: IncidentStage;
  action: string;
  note?: string | null;
  departmentId?: number | null;
  assigneeUserId?: number | null;
  payload?: Record<string, unknown> | null;
}

/** Inserts one history row signed by `user` at `at`; answers its id. */
async function step(tx: Tx, id: number, user: SessionUser, at: Date, s: Step): Promise<number> {
  const [row] = await execRows<{ id: number }>(
    tx,
    sql`INSERT INTO incident_transitions (incident_id, from_stage, to_stage, actor, actor_username, actor_user_id, at, note, action, department_id, assignee_user_id, payload)
      VALUES (${id}, ${s.from}, ${s.to}, ${actorName(user)}, ${user.username}, ${user.id}, ${at.toISOString()}::timestamptz, ${s.note ?? null}, ${s.action},
        ${s.departmentId ?? null}, ${s.assigneeUserId ?? null}, ${s.payload ? JSON.stringify(s.payload) : null}::jsonb)
      RETURNING id`,
  );
  return Number(row?.id);
}

const update = (tx: Tx, id: number, set: SQL) => tx.execute(sql`UPDATE incidents SET ${set} WHERE id = ${id}`);
const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

interface Target {
  departmentId: number | null;
  assigneeUserId: number | null;
}

/** 派遣/改派 name exactly one active department or one grid worker, never the reporter. */
async function checkTarget(tx: Tx, c: LoopCase, input: ActionInput, refuse: (field: string, reason: string) => never): Promise<Target> {
  const { departmentId, assigneeUserId } = input;
  if ((departmentId === undefined) === (assigneeUserId === undefined)) refuse('departmentId', '请选择一个责任单位或一名网格员（二选一）');
  if (departmentId !== undefined) {
    const [dept] = await execRows<{ active: boolean }>(tx, sql`SELECT active FROM departments WHERE id = ${departmentId}`);
    if (!dept) refuse('departmentId', `责任单位 ${departmentId} 不存在`);
    if (!dept?.active) refuse('departmentId', '该责任单位已停用');
    return { departmentId, assigneeUserId: null };
  }
  const [worker] = await execRows<{ role: string }>(tx, sql`SELECT role FROM users WHERE id = ${assigneeUserId as number}`);
  if (!worker) refuse('assigneeUserId', `用户 ${assigneeUserId} 不存在`);
  if (worker?.role !== 'grid_worker') refuse('assigneeUserId', '只能派遣给网格员');
  if (assigneeUserId === c.reporterUserId) refuse('assigneeUserId', '报办分离：不能派遣给上报人本人');
  return { departmentId: null, assigneeUserId: assigneeUserId as number };
}

async function openRequest(tx: Tx, id: number, user: SessionUser, at: Date, kind: RequestKind, reason: string, hours: number | null) {
  await tx.execute(sql`INSERT INTO incident_requests (incident_id, kind, reason, hours, requested_by, requested_by_user_id, requested_at)
    VALUES (${id}, ${kind}, ${reason}, ${hours}, ${user.username}, ${user.id}, ${ts(at)})`);
  await update(tx, id, sql`pending_request = ${kind}`);
}

/** Closes the open request of `kind`; answers what it asked for. */
async function decideRequest(tx: Tx, id: number, user: SessionUser, at: Date, kind: RequestKind, decision: 'approved' | 'refused' | 'superseded', note: string | null) {
  const [req] = await execRows<{ id: number; hours: number | null; reason: string }>(
    tx,
    sql`UPDATE incident_requests SET decided_by = ${user.username}, decided_at = ${ts(at)}, decision = ${decision}, decision_note = ${note}
      WHERE incident_id = ${id} AND kind = ${kind} AND decision IS NULL RETURNING id, hours, reason`,
  );
  await update(tx, id, sql`pending_request = NULL`);
  return { requestId: req ? Number(req.id) : null, hours: req?.hours === null || req?.hours === undefined ? null : Number(req.hours), reason: req?.reason ?? null };
}

/** Runs one action inside `tx`; answers the id of its (last) history row. */
export async function actInTx(tx: Tx, id: number, input: ActionInput, user: SessionUser, at: Date): Promise<number> {
  const c = await loadCase(tx, id, true);
  if (!c) throw new NotFoundError(`事件 ${id} 不存在`);
  const [readable] = await execRows<{ ok: boolean }>(tx, sql`SELECT ${readableBy(user)} AS ok FROM incidents i WHERE i.id = ${id}`);
  if (!readable?.ok) throw new ForbiddenError(`您无权处理事件 ${id}`, { errors: [{ field: 'id', reason: '事件不在您的网格、辖区或单位的范围内' }] });
  if (input.expectedTransitionId !== undefined) await checkUnchanged(tx, id, c, input.expectedTransitionId, input.action, user);
  if (c.stage !== input.expectedStage) throw new StageConflict(c.stage, allowedNext(c.stage));
  const { action } = input;
  const refuse = (field: string, reason: string, status: 403 | 422 = 422): never => {
    throw new ActionRefused(status, action, c.stage, field, reason);
  };
  const check = checkAction(user, c, action);
  if (!check.ok) refuse(check.field, check.reason, check.status);
  for (const f of ACTION_TABLE[action].fields) {
    if (f.required && input[f.name] === undefined) refuse(f.name, `请填写${f.label}`);
  }
  const from = c.stage;
  const to = stageAfter(action, from);
  const note = input.note ?? null;
  const base = { from, to, action, note };

  switch (action) {
    case 'register':
      await update(tx, id, sql`stage = 'register'`);
      return step(tx, id, user, at, base);
    case 'dispatch':
    case 'redispatch': {
      const target = await checkTarget(tx, c, input, refuse);
      if (action === 'redispatch' && target.departmentId === c.departmentId && target.assigneeUserId === c.assigneeUserId) refuse('departmentId', '与当前派遣对象相同');
      if (from === 'collect') await step(tx, id, user, at, { from, to: 'register', action: 'register', note: '立案并派遣' });
      let superseded: number | null = null;
      if (c.pendingRequest === 'return') superseded = (await decideRequest(tx, id, user, at, 'return', 'superseded', note)).requestId;
      else if (c.pendingRequest) refuse('action', `有待审批的${REQUEST_LABELS[c.pendingRequest]}申请，请先审批`);
      const signBy = await signDeadline(tx, id, at, await loadWorkCalendar(tx));
      await update(
        tx,
        id,
        sql`stage = 'dispatch', department_id = ${target.departmentId}, assignee_user_id = ${target.assigneeUserId}, dispatched_at = ${ts(at)},
          sign_deadline_at = ${ts(signBy)}, signed_at = NULL, handler_user_id = NULL`,
      );
      const payload = { signDeadlineAt: signBy.toISOString(), ...(superseded ? { supersededReturn: superseded } : {}) };
      return step(tx, id, user, at, { ...base, from: from === 'collect' ? 'register' : from, ...target, payload });
    }
    case 'sign':
      await update(tx, id, sql`stage = 'handle', signed_at = ${ts(at)}`);
      return step(tx, id, user, at, { ...base, departmentId: c.departmentId });
    case 'return':
      await openRequest(tx, id, user, at, 'return', note as string, null);
      return step(tx, id, user, at, { ...base, departmentId: c.departmentId });
    case 'extension_request':
      await openRequest(tx, id, user, at, 'extension', note as string, input.hours as number);
      return step(tx, id, user, at, { ...base, payload: { hours: input.hours } });
    case 'suspension_request':
      await openRequest(tx, id, user, at, 'suspension', note as string, null);
      return step(tx, id, user, at, base);
    case 'return_approved': {
      const req = await decideRequest(tx, id, user, at, 'return', 'approved', note);
      await update(tx, id, sql`stage = 'register', department_id = NULL, assignee_user_id = NULL, dispatched_at = NULL, sign_deadline_at = NULL, signed_at = NULL`);
      return step(tx, id, user, at, { ...base, departmentId: c.departmentId, assigneeUserId: c.assigneeUserId, payload: { requestId: req.requestId, reason: req.reason } });
    }
    case 'return_refused':
    case 'suspension_refused':
    case 'extension_refused': {
      const kind = action.replace('_refused', '') as RequestKind;
      const req = await decideRequest(tx, id, user, at, kind, 'refused', note);
      return step(tx, id, user, at, { ...base, payload: { requestId: req.requestId } });
    }
    case 'extension_approved': {
      const req = await decideRequest(tx, id, user, at, 'extension', 'approved', note);
      const hours = req.hours ?? 0;
      // 延期 in working hours from the current deadline (server/incidents/deadlines.ts).
      const [cur] = await execRows<{ due: Date | string }>(tx, sql`SELECT coalesce(deadline_at, reported_at) AS due FROM incidents WHERE id = ${id}`);
      const due = await extendedDeadline(tx, new Date(cur!.due), hours);
      await update(tx, id, sql`extended = true, deadline_extended_at = ${ts(at)}, deadline_at = ${ts(due)}`);
      return step(tx, id, user, at, { ...base, payload: { requestId: req.requestId, hours } });
    }
    case 'suspension_approved': {
      const req = await decideRequest(tx, id, user, at, 'suspension', 'approved', note);
      await update(tx, id, sql`suspended = true`);
      return step(tx, id, user, at, { ...base, payload: { requestId: req.requestId } });
    }
    case 'resumption':
      // The clock paused while 缓办: the deadline moves by the working time spent on hold.
      await resumeDeadline(tx, id, at);
      await update(tx, id, sql`suspended = false`);
      return step(tx, id, user, at, base);
    case 'urge':
      await update(tx, id, sql`urge_count = urge_count + 1, last_urged_at = ${ts(at)}`);
      return step(tx, id, user, at, { ...base, departmentId: c.departmentId, assigneeUserId: c.assigneeUserId });
    case 'handle':
      await update(tx, id, sql`stage = 'feedback', handler_user_id = ${user.id}`);
      return step(tx, id, user, at, { ...base, departmentId: c.departmentId });
    case 'whistle': {
      const ids = [...new Set(input.departmentIds ?? [])];
      if (ids.length === 0) refuse('departmentIds', '请至少选择一个报到单位');
      const known = await execRows<{ id: number; active: boolean }>(
        tx,
        sql`SELECT id, active FROM departments WHERE id IN (${sql.join(
          ids.map((d) => sql`${d}`),
          sql`, `,
        )})`,
      );
      for (const d of ids) {
        const k = known.find((r) => Number(r.id) === d);
        if (!k) refuse('departmentIds', `责任单位 ${d} 不存在`);
        if (!k?.active) refuse('departmentIds', `责任单位 ${d} 已停用`);
      }
      const already = await execRows<{ department_id: number }>(tx, sql`SELECT department_id FROM incident_summons WHERE incident_id = ${id}`);
      const again = ids.filter((d) => already.some((a) => Number(a.department_id) === d));
      if (again.length > 0) refuse('departmentIds', `单位 ${again.join('、')} 已被吹哨`);
      const deadline = summonsDeadline(at, await loadWorkCalendar(tx), input.hours);
      for (const d of ids) {
        await tx.execute(sql`INSERT INTO incident_summons (incident_id, department_id, deadline_at, summoned_at, summoned_by) VALUES (${id}, ${d}, ${ts(deadline)}, ${ts(at)}, ${user.username})`);
      }
      await update(tx, id, sql`escalation = 'department'`);
      return step(tx, id, user, at, { ...base, payload: { departmentIds: ids, deadlineAt: deadline.toISOString() } });
    }
    case 'report_in': {
      const dept = user.departmentId as number;
      await tx.execute(sql`UPDATE incident_summons SET reported_at = ${ts(at)}, reported_by = ${user.username}, note = ${note} WHERE incident_id = ${id} AND department_id = ${dept} AND reported_at IS NULL`);
      return step(tx, id, user, at, { ...base, departmentId: dept });
    }
    case 'verify':
      await update(tx, id, sql`stage = 'close', verifier_user_id = ${user.id}, closed_at = ${ts(at)}`);
      return step(tx, id, user, at, base);
    case 'rework':
      await update(tx, id, sql`stage = 'handle', rework_count = rework_count + 1`);
      return step(tx, id, user, at, base);
    case 'revisit':
      await update(tx, id, sql`satisfaction = ${input.satisfaction as number}`);
      return step(tx, id, user, at, { ...base, payload: { satisfaction: input.satisfaction, by: 'dispatcher' } });
    case 'close':
      await update(tx, id, sql`stage = 'evaluate'`);
      return step(tx, id, user, at, base);
  }
}

/** One action in its own transaction; answers the id of its history row. */
export function act(db: DbHandle, id: number, input: ActionInput, user: SessionUser): Promise<number> {
  return db.db.transaction((tx) => actInTx(tx, id, input, user, new Date()));
}

/**
 * 批量派遣: every incident dispatched in one transaction, each in its own savepoint so
 * that every refusal is named (errors[].field = ids.N); any refusal writes nothing.
 */
export async function bulkDispatch(
  db: DbHandle,
  body: { ids: number[]; departmentId?: number | undefined; assigneeUserId?: number | undefined; expectedStage: IncidentStage; note?: string | undefined },
  user: SessionUser,
): Promise<{ dispatched: { id: number; transitionId: number }[] }> {
  const ids = [...new Set(body.ids)];
  const at = new Date();
  return db.db.transaction(async (tx) => {
    const dispatched: { id: number; transitionId: number }[] = [];
    const errors: { field: string; reason: string }[] = [];
    for (const [k, id] of ids.entries()) {
      try {
        const transitionId = await tx.transaction((sp) =>
          actInTx(sp as unknown as Tx, id, { action: 'dispatch', expectedStage: body.expectedStage, departmentId: body.departmentId, assigneeUserId: body.assigneeUserId, note: body.note }, user, at),
        );
        dispatched.push({ id, transitionId });
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        errors.push({ field: `ids.${k}`, reason: `事件 ${id}：${e.extra.errors?.[0]?.reason ?? e.message}` });
      }
    }
    if (errors.length > 0) throw new DomainError(422, '批量派遣被拒绝', `${errors.length} 个事件不能派遣，本次未派遣任何事件`, { errors });
    return { dispatched };
  });
}

/**
 * 就地解决: a grid worker's small matter reported and closed at once (the report's own
 * transaction, right after its `report` row): stage 核实结案 with a `close` row saying
 * so; the reporter is handler and verifier here, by design of the on-spot rule.
 */
export async function closeOnSpot(tx: Tx, id: number, user: SessionUser, note: string): Promise<number> {
  const at = new Date();
  await update(tx, id, sql`stage = 'close', closed_at = greatest(reported_at, ${ts(at)}), handler_user_id = ${user.id}, verifier_user_id = ${user.id}`);
  return step(tx, id, user, at, { from: 'collect', to: 'close', action: 'close', note: `就地解决：${note}`, payload: { onSpot: true } });
}
