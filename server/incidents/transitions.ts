/**
 * Writes along the closed loop: stage transitions (with optimistic concurrency on
 * the expected current stage), 延期 extension, 吹哨报到 escalation and 缓办.
 * Each write and its history row (incident_transitions) commit together; a refused
 * write throws (NotFoundError, StageConflict 409, LoopRuleBroken 422) before it
 * changes anything, and app.onError answers with the problem.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import type { EscalationLevel, IncidentStage } from '../../kernel/stages';
import { NotFoundError } from '../http/domainError';
import { incidentView, STATE_COLUMNS, toState, type IncidentState, type IncidentView, type StateRow } from './incidentState';
import { LoopRuleBroken, StageConflict } from './loopErrors';
import { allowedNext, isClosedStage, isEscalationUp, isLegalTransition, isRework } from './stateMachine';

type Tx = Parameters<Parameters<DbHandle['db']['transaction']>[0]>[0];
const txRows = async <T>(tx: Tx, query: ReturnType<typeof sql>) => ((await tx.execute(query)) as unknown as { rows: T[] }).rows;

export interface TransitionRequest {
  to: IncidentStage;
  expectedStage: IncidentStage;
  actor: string;
  note?: string;
  at?: Date;
  /** Raise the handling level while dispatching/handling (吹哨报到). */
  escalation?: EscalationLevel;
  /** 1–5, required when moving to 评价. */
  satisfaction?: number;
}

/** Locks the incident and checks the stage the client saw; throws when it is gone or has moved on. */
async function lockAtStage(tx: Tx, id: number, expectedStage: IncidentStage): Promise<IncidentState> {
  const [row] = await txRows<StateRow>(tx, sql`SELECT ${STATE_COLUMNS} FROM incidents WHERE id = ${id} FOR UPDATE`);
  if (!row) throw new NotFoundError(`事件 ${id} 不存在`);
  const current = toState(row);
  if (current.stage !== expectedStage) throw new StageConflict(current.stage, allowedNext(current.stage));
  return current;
}

const refuse = (current: IncidentState, field: string, reason: string): never => {
  throw new LoopRuleBroken(current.stage, allowedNext(current.stage), field, reason);
};

export async function transition(db: DbHandle, id: number, req: TransitionRequest): Promise<IncidentView> {
  return db.db.transaction(async (tx) => {
    const current = await lockAtStage(tx, id, req.expectedStage);
    if (!isLegalTransition(current.stage, req.to)) refuse(current, 'to', `不能从「${current.stage}」直接转到「${req.to}」`);
    if (req.to === 'evaluate' && req.satisfaction === undefined) refuse(current, 'satisfaction', '评价时须填写满意度（1~5）');
    if (req.to !== 'evaluate' && req.satisfaction !== undefined) refuse(current, 'satisfaction', '只有评价环节可以填写满意度');
    if (req.escalation && !isEscalationUp(current.escalation, req.escalation)) refuse(current, 'escalation', `处置层级只能上升（当前为 ${current.escalation}）`);
    const at = req.at ?? new Date();
    if (at.getTime() < current.reportedAt.getTime()) refuse(current, 'at', '流转时间不能早于上报时间');
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
    await tx.execute(sql`
      INSERT INTO incident_transitions (incident_id, from_stage, to_stage, actor, at, note, action)
      VALUES (${id}, ${current.stage}, ${req.to}, ${req.actor}, ${at.toISOString()}::timestamptz, ${req.note ?? null}, ${rework ? 'rework' : 'stage'})`);
    if (req.escalation) {
      await tx.execute(sql`
        INSERT INTO incident_transitions (incident_id, from_stage, to_stage, actor, at, note, action)
        VALUES (${id}, ${req.to}, ${req.to}, ${req.actor}, ${at.toISOString()}::timestamptz, ${`处置层级 ${current.escalation} → ${req.escalation}`}, 'escalation')`);
    }
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
  req: { actor: string; expectedStage: IncidentStage; at?: Date },
  closedReason: string,
  act: (tx: Tx, current: IncidentState) => Promise<{ updated: StateRow; note: string; action: string }>,
): Promise<IncidentView> {
  return db.db.transaction(async (tx) => {
    const current = await lockAtStage(tx, id, req.expectedStage);
    if (isClosedStage(current.stage)) refuse(current, 'expectedStage', closedReason);
    const done = await act(tx, current);
    const at = req.at ?? new Date();
    await tx.execute(sql`
      INSERT INTO incident_transitions (incident_id, from_stage, to_stage, actor, at, note, action)
      VALUES (${id}, ${current.stage}, ${current.stage}, ${req.actor}, ${at.toISOString()}::timestamptz, ${done.note}, ${done.action})`);
    return incidentView(toState(done.updated));
  });
}

/** 延期: once per incident, while it is still open; moves the deadline by `hours`. */
export function extendDeadline(
  db: DbHandle,
  id: number,
  req: { hours: number; actor: string; reason: string; expectedStage: IncidentStage; at?: Date },
): Promise<IncidentView> {
  return actOnOpenIncident(db, id, req, '事件已结案，不能延期', async (tx, current) => {
    if (current.extended) refuse(current, 'hours', '每个事件只能延期一次');
    const at = req.at ?? new Date();
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
export function escalate(
  db: DbHandle,
  id: number,
  req: { level: EscalationLevel; actor: string; reason?: string; expectedStage: IncidentStage; at?: Date },
): Promise<IncidentView> {
  return actOnOpenIncident(db, id, req, '事件已结案，不能再上报升级', async (tx, current) => {
    if (!isEscalationUp(current.escalation, req.level)) refuse(current, 'level', `处置层级只能上升（当前为 ${current.escalation}）`);
    const [updated] = await txRows<StateRow>(tx, sql`UPDATE incidents SET escalation = ${req.level}::escalation_level WHERE id = ${id} RETURNING ${STATE_COLUMNS}`);
    return { updated: updated as StateRow, note: `处置层级 ${current.escalation} → ${req.level}${req.reason ? `：${req.reason}` : ''}`, action: 'escalation' };
  });
}

/** 缓办 on/off. A suspended incident leaves the KPI denominators until it resumes. */
export function setSuspended(
  db: DbHandle,
  id: number,
  req: { suspended: boolean; actor: string; reason: string; expectedStage: IncidentStage; at?: Date },
): Promise<IncidentView> {
  return actOnOpenIncident(db, id, req, '事件已结案，不能缓办', async (tx, current) => {
    if (current.suspended === req.suspended) refuse(current, 'suspended', req.suspended ? '事件已在缓办中' : '事件未在缓办中');
    const [updated] = await txRows<StateRow>(tx, sql`UPDATE incidents SET suspended = ${req.suspended} WHERE id = ${id} RETURNING ${STATE_COLUMNS}`);
    return { updated: updated as StateRow, note: req.reason, action: req.suspended ? 'suspension' : 'resumption' };
  });
}
