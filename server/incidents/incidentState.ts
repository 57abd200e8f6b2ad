/**
 * An incident's place in the closed loop: the columns every loop read and write
 * selects, the row → state mapping, and the state as the API answers it (stage
 * label, overdue flag and the stages it may move to). Reads and writes of the
 * loop share it, so every answer about an incident's state has one shape.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { STAGE_LABELS, type EscalationLevel, type IncidentStage } from '../../kernel/stages';
import { allowedNext, isOverdue } from './stateMachine';

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

export interface StateRow {
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

export const STATE_COLUMNS = sql`id, stage, escalation, reported_at, deadline_at, closed_at, rework_count, extended, deadline_extended_at, suspended, satisfaction`;
const date = (v: Date | string | null) => (v === null ? null : new Date(v));

export function toState(r: StateRow): IncidentState {
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

export async function incidentState(db: DbHandle, id: number): Promise<IncidentState | null> {
  const [row] = await db.rows<StateRow>(sql`SELECT ${STATE_COLUMNS} FROM incidents WHERE id = ${id}`);
  return row ? toState(row) : null;
}

/** The state as the API answers it (times as ISO strings). */
export interface IncidentView {
  id: number;
  stage: IncidentStage;
  stageLabel: string;
  escalation: EscalationLevel;
  reportedAt: string;
  deadlineAt: string | null;
  closedAt: string | null;
  reworkCount: number;
  extended: boolean;
  deadlineExtendedAt: string | null;
  suspended: boolean;
  satisfaction: number | null;
  overdue: boolean;
  allowedNext: IncidentStage[];
}

export function incidentView(s: IncidentState, now = new Date()): IncidentView {
  return {
    id: s.id,
    stage: s.stage,
    stageLabel: STAGE_LABELS[s.stage],
    escalation: s.escalation,
    reportedAt: s.reportedAt.toISOString(),
    deadlineAt: s.deadlineAt?.toISOString() ?? null,
    closedAt: s.closedAt?.toISOString() ?? null,
    reworkCount: s.reworkCount,
    extended: s.extended,
    deadlineExtendedAt: s.deadlineExtendedAt?.toISOString() ?? null,
    suspended: s.suspended,
    satisfaction: s.satisfaction,
    overdue: isOverdue(s, now),
    allowedNext: [...allowedNext(s.stage)],
  };
}
