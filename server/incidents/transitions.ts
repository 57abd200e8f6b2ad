/**
 * Writes along the closed loop: stage transitions (with optimistic concurrency on
 * the expected current stage), 延期 extension, 吹哨报到 escalation and 缓办.
 * Each write and its history row (incident_transitions) commit together; a refused
 * write throws (NotFoundError, ForbiddenError 403 outside a planner's jurisdiction,
 * StageConflict 409, LoopRuleBroken 422) before it changes anything, and
 * app.onError answers with the problem. Who and when are never the request's: the
 * history row names the signed-in writer and carries the server's clock.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import type { EscalationLevel, IncidentStage } from '../../kernel/stages';
import { NotFoundError } from '../http/domainError';
import { incidentView, STATE_COLUMNS, toState, type IncidentState, type IncidentView, type StateRow } from './incidentState';
import { actorName, assertMayWriteIncident, type IncidentWriter } from './incidentWriter';
import { LoopRuleBroken, StageConflict } from './loopErrors';
import { allowedNext, isClosedStage, isEscalationUp, isLegalTransition, isRework } from './stateMachine';

type Tx = Parameters<Parameters<DbHandle['db']['transaction']>[0]>[0];
const txRows = async <T>(tx: Tx, query: ReturnType<typeof sql>) => ((await tx.execute(query)) as unknown as { rows: T[] }).rows;

export interface TransitionRequest {
  to: IncidentStage;
  expectedStage: IncidentStage;
  note?: string;
  /** Raise the handling level while dispatching/handling (吹哨报到). */
  escalation?: EscalationLevel;
  /** 1–5, required when moving to 评价. */
  satisfaction?: number;
}

/**
 * Locks the incident, checks that the writer may write it and the stage the client
 * saw; throws when it is gone, outside the writer's jurisdiction or has moved on.
 */
async function lockAtStage(tx: Tx, id: number, expectedStage: IncidentStage, writer: IncidentWriter): Promise<IncidentState> {
  const [row] = await txRows<StateRow & { grid_code: string | null; community_code: string | null; street_code: string | null }>(
    tx,
    sql`SELECT ${STATE_COLUMNS}, grid_code, community_code, street_code FROM incidents WHERE id = ${id} FOR UPDATE`,
  );
  if (!row) throw new NotFoundError(`事件 ${id} 不存在`);
  assertMayWriteIncident(writer, id, { gridCode: row.grid_code, communityCode: row.community_code, streetCode: row.street_code });
  const current = toState(row);
  if (current.stage !== expectedStage) throw new StageConflict(current.stage, allowedNext(current.stage));
  return current;
}

const refuse = (current: IncidentState, field: string, reason: string): never => {
  throw new LoopRuleBroken(current.stage, allowedNext(current.stage), field, reason);
};

/** One history row, signed by the writer at the server's clock (`at`, taken once per write). */
const historyRow = (id: number, from: IncidentStage, to: IncidentStage, writer: IncidentWriter, at: Date, note: string | null, action: string) => sql`
  INSERT INTO incident_transitions (incident_id, from_stage, to_stage, actor, actor_username, actor_user_id, at, note, action)
  VALUES (${id}, ${from}, ${to}, ${actorName(writer)}, ${writer.username}, ${writer.id}, ${at.toISOString()}::timestamptz, ${note}, ${action})`;

export async function transition(db: DbHandle, id: number, req: TransitionRequest, writer: IncidentWriter): Promise<IncidentView> {
  return db.db.transaction(async (tx) => {
    const current = await lockAtStage(tx, id, req.expectedStage, writer);
    if (!isLegalTransition(current.stage, req.to)) refuse(current, 'to', `不能从「${current.stage}」直接转到「${req.to}」`);
    if (req.to === 'evaluate' && req.satisfaction === undefined) refuse(current, 'satisfaction', '评价时须填写满意度（1~5）');
    if (req.to !== 'evaluate' && req.satisfaction !== undefined) refuse(current, 'satisfaction', '只有评价环节可以填写满意度');
    if (req.escalation && !isEscalationUp(current.escalation, req.escalation)) refuse(current, 'escalation', `处置层级只能上升（当前为 ${current.escalation}）`);
    const at = new Date();
    if (at.getTime() < current.reportedAt.getTime()) refuse(current, 'to', '上报时间晚于服务器当前时间，暂不能流转');
    const rework = isRework(current.stage, req.to);
    const [updated] = await txRows<StateRow>(
      tx,
      sql`
      UPDATE incidents SET
        stage = ${req.to},
        closed_at = CASE WHEN ${req.to} = 'close' THEN ${at.toISOString()}::timestamptz ELSE closed_at END,
        rework_count = rework_count + ${rework ? 1 : 0},
        escalation = coalesce(${req.escalation ?? null}::escalation_level, escalation),
        satisfaction = coalesce(${req.satisfaction ?? null}::smallint, satisfaction)
      WHERE id = ${id} AND stage = ${req.expectedStage}
      RETURNING ${STATE_COLUMNS}`,
    );
    if (!updated) throw new StageConflict(current.stage, allowedNext(current.stage));
    await tx.execute(historyRow(id, current.stage, req.to, writer, at, req.note ?? null, rework ? 'rework' : 'stage'));
    if (req.escalation) await tx.execute(historyRow(id, req.to, req.to, writer, at, `处置层级 ${current.escalation} → ${req.escalation}`, 'escalation'));
    return incidentView(toState(updated));
  });
}

/**
 * The common frame of the side actions (延期, 吹哨报到, 缓办): lock the incident, check the
 * stage the client saw, refuse closed incidents, run `act`, and record a history row that
 * keeps the stage and says what happened.
 */
async function actOnOpenIncident(
  db: DbHandle,
  id: number,
  req: { expectedStage: IncidentStage },
  writer: IncidentWriter,
  closedReason: string,
  act: (tx: Tx, current: IncidentState, at: Date) => Promise<{ updated: StateRow; note: string; action: string }>,
): Promise<IncidentView> {
  return db.db.transaction(async (tx) => {
    const current = await lockAtStage(tx, id, req.expectedStage, writer);
    if (isClosedStage(current.stage)) refuse(current, 'expectedStage', closedReason);
    const at = new Date();
    const done = await act(tx, current, at);
    await tx.execute(historyRow(id, current.stage, current.stage, writer, at, done.note, done.action));
    return incidentView(toState(done.updated));
  });
}

/** 延期: once per incident, while it is still open; moves the deadline by `hours`. */
export function extendDeadline(db: DbHandle, id: number, req: { hours: number; reason: string; expectedStage: IncidentStage }, writer: IncidentWriter): Promise<IncidentView> {
  return actOnOpenIncident(db, id, req, writer, '事件已结案，不能延期', async (tx, current, at) => {
    if (current.extended) refuse(current, 'hours', '每个事件只能延期一次');
    const [updated] = await txRows<StateRow>(
      tx,
      sql`
      UPDATE incidents SET extended = true, deadline_extended_at = ${at.toISOString()}::timestamptz,
        deadline_at = coalesce(deadline_at, reported_at) + make_interval(hours => ${req.hours}::int)
      WHERE id = ${id} RETURNING ${STATE_COLUMNS}`,
    );
    return { updated: updated as StateRow, note: `延期 ${req.hours} 小时：${req.reason}`, action: 'extension' };
  });
}

/** 吹哨报到 outside a stage move: raise the handling level of an open incident. */
export function escalate(db: DbHandle, id: number, req: { level: EscalationLevel; reason?: string; expectedStage: IncidentStage }, writer: IncidentWriter): Promise<IncidentView> {
  return actOnOpenIncident(db, id, req, writer, '事件已结案，不能再上报升级', async (tx, current) => {
    if (!isEscalationUp(current.escalation, req.level)) refuse(current, 'level', `处置层级只能上升（当前为 ${current.escalation}）`);
    const [updated] = await txRows<StateRow>(tx, sql`UPDATE incidents SET escalation = ${req.level}::escalation_level WHERE id = ${id} RETURNING ${STATE_COLUMNS}`);
    return { updated: updated as StateRow, note: `处置层级 ${current.escalation} → ${req.level}${req.reason ? `：${req.reason}` : ''}`, action: 'escalation' };
  });
}

/** 缓办 on/off. A suspended incident leaves the KPI denominators until it resumes. */
export function setSuspended(db: DbHandle, id: number, req: { suspended: boolean; reason: string; expectedStage: IncidentStage }, writer: IncidentWriter): Promise<IncidentView> {
  return actOnOpenIncident(db, id, req, writer, '事件已结案，不能缓办', async (tx, current) => {
    if (current.suspended === req.suspended) refuse(current, 'suspended', req.suspended ? '事件已在缓办中' : '事件未在缓办中');
    const [updated] = await txRows<StateRow>(tx, sql`UPDATE incidents SET suspended = ${req.suspended} WHERE id = ${id} RETURNING ${STATE_COLUMNS}`);
    return { updated: updated as StateRow, note: req.reason, action: req.suspended ? 'suspension' : 'resumption' };
  });
}
