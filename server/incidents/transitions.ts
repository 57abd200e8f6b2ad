/**
 * Writes along the closed loop: stage transitions (with optimistic concurrency on
 * the expected current stage), 延期 extension, 吹哨报到 escalation and 缓办.
 * Each write and its history row (incident_transitions) commit together.
 * Outcomes are values, not exceptions, so the route maps them to 404/409/422.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { allowedNext, isClosedStage, isEscalationUp, isLegalTransition, isRework } from './stateMachine';
import type { EscalationLevel, IncidentStage } from '../../kernel/stages';

export type WriteOutcome<T> =
  | { ok: true; value: T }
  | { ok: false; kind: 'not-found' }
  /** The incident is no longer in the stage the client saw (someone else moved it). */
  | { ok: false; kind: 'conflict'; currentStage: IncidentStage; allowed: readonly IncidentStage[] }
  /** The request breaks a rule of the loop. */
  | { ok: false; kind: 'illegal'; currentStage: IncidentStage; allowed: readonly IncidentStage[]; reason: string; field: string };

export interface IncidentState {
  id: number;
  stage: IncidentStage;
  escalation: EscalationLevel;
  reportedAt: Date;
  deadlineAt: Date | null;
  closedAt: Date | null;
  reworkCount: number;
  extended: boolean;
  deadlineExtendedAt: Date | null;
  suspended: boolean;
  satisfaction: number | null;
}

interface StateRow {
  id: number;
  stage: IncidentStage;
  escalation: EscalationLevel;
  reported_at: Date | string;
  deadline_at: Date | string | null;
  closed_at: Date | string | null;
  rework_count: number;
  extended: boolean;
  deadline_extended_at: Date | string | null;
  suspended: boolean;
  satisfaction: number | null;
}

const STATE_COLUMNS = sql`id, stage, escalation, reported_at, deadline_at, closed_at, rework_count, extended, deadline_extended_at, suspended, satisfaction`;
const date = (v: Date | string | null) => (v === null ? null : new Date(v));

function toState(r: StateRow): IncidentState {
  return {
    id: Number(r.id),
    stage: r.stage,
    escalation: r.escalation,
    reportedAt: new Date(r.reported_at),
    deadlineAt: date(r.deadline_at),
    closedAt: date(r.closed_at),
    reworkCount: Number(r.rework_count),
    extended: r.extended,
    deadlineExtendedAt: date(r.deadline_extended_at),
    suspended: r.suspended,
    satisfaction: r.satisfaction === null ? null : Number(r.satisfaction),
  };
}

type Tx = Parameters<Parameters<DbHandle['db']['transaction']>[0]>[0];
const txRows = async <T>(tx: Tx, query: ReturnType<typeof sql>) => ((await tx.execute(query)) as unknown as { rows: T[] }).rows;

export async function incidentState(db: DbHandle, id: number): Promise<IncidentState | null> {
  const [row] = await db.rows<StateRow>(sql`SELECT ${STATE_COLUMNS} FROM incidents WHERE id = ${id}`);
  return row ? toState(row) : null;
}

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

export async function transition(db: DbHandle, id: number, req: TransitionRequest): Promise<WriteOutcome<IncidentState>> {
  return db.db.transaction(async (tx) => {
    const [row] = await txRows<StateRow>(tx, sql`SELECT ${STATE_COLUMNS} FROM incidents WHERE id = ${id} FOR UPDATE`);
    if (!row) return { ok: false, kind: 'not-found' } as const;
    const current = toState(row);
    if (current.stage !== req.expectedStage) return { ok: false, kind: 'conflict', currentStage: current.stage, allowed: allowedNext(current.stage) } as const;
    const illegal = (field: string, reason: string) => ({ ok: false, kind: 'illegal', currentStage: current.stage, allowed: allowedNext(current.stage), field, reason }) as const;
    if (!isLegalTransition(current.stage, req.to)) return illegal('to', `不能从「${current.stage}」直接转到「${req.to}」`);
    if (req.to === 'evaluate' && req.satisfaction === undefined) return illegal('satisfaction', '评价时须填写满意度（1~5）');
    if (req.to !== 'evaluate' && req.satisfaction !== undefined) return illegal('satisfaction', '只有评价环节可以填写满意度');
    if (req.escalation && !isEscalationUp(current.escalation, req.escalation)) return illegal('escalation', `处置层级只能上升（当前为 ${current.escalation}）`);
    const at = req.at ?? new Date();
    if (at.getTime() < current.reportedAt.getTime()) return illegal('at', '流转时间不能早于上报时间');
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
    if (!updated) return { ok: false, kind: 'conflict', currentStage: current.stage, allowed: allowedNext(current.stage) } as const;
    await tx.execute(sql`
      INSERT INTO incident_transitions (incident_id, from_stage, to_stage, actor, at, note, action)
      VALUES (${id}, ${current.stage}, ${req.to}, ${req.actor}, ${at.toISOString()}::timestamptz, ${req.note ?? null}, ${rework ? 'rework' : 'stage'})`);
    if (req.escalation) {
      await tx.execute(sql`
        INSERT INTO incident_transitions (incident_id, from_stage, to_stage, actor, at, note, action)
        VALUES (${id}, ${req.to}, ${req.to}, ${req.actor}, ${at.toISOString()}::timestamptz, ${`处置层级 ${current.escalation} → ${req.escalation}`}, 'escalation')`);
    }
    return { ok: true, value: toState(updated) } as const;
  });
}

type Illegal = (field: string, reason: string) => WriteOutcome<IncidentState>;

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
  act: (tx: Tx, current: IncidentState, illegal: Illegal) => Promise<{ updated: StateRow; note: string; action: string } | WriteOutcome<IncidentState>>,
): Promise<WriteOutcome<IncidentState>> {
  return db.db.transaction(async (tx) => {
    const [row] = await txRows<StateRow>(tx, sql`SELECT ${STATE_COLUMNS} FROM incidents WHERE id = ${id} FOR UPDATE`);
    if (!row) return { ok: false, kind: 'not-found' } as const;
    const current = toState(row);
    if (current.stage !== req.expectedStage) return { ok: false, kind: 'conflict', currentStage: current.stage, allowed: allowedNext(current.stage) } as const;
    const illegal: Illegal = (field, reason) => ({ ok: false, kind: 'illegal', currentStage: current.stage, allowed: allowedNext(current.stage), field, reason }) as const;
    if (isClosedStage(current.stage)) return illegal('expectedStage', closedReason);
    const done = await act(tx, current, illegal);
    if ('ok' in done) return done;
    const at = req.at ?? new Date();
    await tx.execute(sql`
      INSERT INTO incident_transitions (incident_id, from_stage, to_stage, actor, at, note, action)
      VALUES (${id}, ${current.stage}, ${current.stage}, ${req.actor}, ${at.toISOString()}::timestamptz, ${done.note}, ${done.action})`);
    return { ok: true, value: toState(done.updated) } as const;
  });
}

/** 延期: once per incident, while it is still open; moves the deadline by `hours`. */
export function extendDeadline(
  db: DbHandle,
  id: number,
  req: { hours: number; actor: string; reason: string; expectedStage: IncidentStage; at?: Date },
): Promise<WriteOutcome<IncidentState>> {
  return actOnOpenIncident(db, id, req, '事件已结案，不能延期', async (tx, current, illegal) => {
    if (current.extended) return illegal('hours', '每个事件只能延期一次');
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
): Promise<WriteOutcome<IncidentState>> {
  return actOnOpenIncident(db, id, req, '事件已结案，不能再上报升级', async (tx, current, illegal) => {
    if (!isEscalationUp(current.escalation, req.level)) return illegal('level', `处置层级只能上升（当前为 ${current.escalation}）`);
    const [updated] = await txRows<StateRow>(tx, sql`UPDATE incidents SET escalation = ${req.level}::escalation_level WHERE id = ${id} RETURNING ${STATE_COLUMNS}`);
    return { updated: updated as StateRow, note: `处置层级 ${current.escalation} → ${req.level}${req.reason ? `：${req.reason}` : ''}`, action: 'escalation' };
  });
}

/** 缓办 on/off. A suspended incident leaves the KPI denominators until it resumes. */
export function setSuspended(
  db: DbHandle,
  id: number,
  req: { suspended: boolean; actor: string; reason: string; expectedStage: IncidentStage; at?: Date },
): Promise<WriteOutcome<IncidentState>> {
  return actOnOpenIncident(db, id, req, '事件已结案，不能缓办', async (tx, current, illegal) => {
    if (current.suspended === req.suspended) return illegal('suspended', req.suspended ? '事件已在缓办中' : '事件未在缓办中');
    const [updated] = await txRows<StateRow>(tx, sql`UPDATE incidents SET suspended = ${req.suspended} WHERE id = ${id} RETURNING ${STATE_COLUMNS}`);
    return { updated: updated as StateRow, note: req.reason, action: req.suspended ? 'suspension' : 'resumption' };
  });
}

export interface TransitionRecord {
  from: IncidentStage | null;
  to: IncidentStage;
  action: string;
  actor: string;
  at: string;
  note: string | null;
}

export async function incidentHistory(db: DbHandle, id: number): Promise<TransitionRecord[]> {
  const rows = await db.rows<{ from_stage: IncidentStage | null; to_stage: IncidentStage; action: string; actor: string; at: Date | string; note: string | null }>(
    sql`SELECT from_stage, to_stage, action, actor, at, note FROM incident_transitions WHERE incident_id = ${id} ORDER BY at, id`,
  );
  return rows.map((r) => ({ from: r.from_stage, to: r.to_stage, action: r.action, actor: r.actor, at: new Date(r.at).toISOString(), note: r.note }));
}
