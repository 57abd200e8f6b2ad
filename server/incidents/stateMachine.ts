/**
 * The closed loop as a state machine: which stage may follow which. Pure, so the
 * rules are testable without a database (the UI learns the next stages from each
 * answer's `allowedNext`; stages and labels themselves are kernel/stages.ts).
 *
 *   信息收集 → 立案 → 派遣 → 处置 → 反馈 → 核实结案 → 评价
 *                               ↑        │
 *                               └─返工───┘   (反馈 → 处置 counts as rework)
 */
import { ESCALATION_LEVELS, INCIDENT_STAGES, STAGE_LABELS, type EscalationLevel, type IncidentStage } from '../../kernel/stages';

export const NEXT_STAGES: Record<IncidentStage, readonly IncidentStage[]> = {
  collect: ['register'],
  register: ['dispatch'],
  dispatch: ['handle'],
  handle: ['feedback'],
  feedback: ['close', 'handle'],
  close: ['evaluate'],
  evaluate: [],
};

export function allowedNext(stage: IncidentStage): readonly IncidentStage[] {
  return NEXT_STAGES[stage];
}

export function isLegalTransition(from: IncidentStage, to: IncidentStage): boolean {
  return NEXT_STAGES[from].includes(to);
}

/** 反馈 → 处置: the verifier sent the work back. */
export function isRework(from: IncidentStage, to: IncidentStage): boolean {
  return from === 'feedback' && to === 'handle';
}

/** Stages after which the incident no longer runs against its deadline. */
export function isClosedStage(stage: IncidentStage): boolean {
  return stage === 'close' || stage === 'evaluate';
}

export function isStage(value: string): value is IncidentStage {
  return (INCIDENT_STAGES as readonly string[]).includes(value);
}

/** "立案（register）、派遣（dispatch）" for problem details. */
export function describeStages(stages: readonly IncidentStage[]): string {
  return stages.length === 0 ? '无（流程已结束）' : stages.map((s) => `${STAGE_LABELS[s]}（${s}）`).join('、');
}

/** grid < community < street < department: escalation only goes up (吹哨报到). */
export const ESCALATION_ORDER = Object.keys(ESCALATION_LEVELS) as EscalationLevel[];

export function isEscalationUp(from: EscalationLevel, to: EscalationLevel): boolean {
  return ESCALATION_ORDER.indexOf(to) > ESCALATION_ORDER.indexOf(from);
}

/**
 * Overdue (超期): still open past its deadline, or closed after it. `now` is
 * passed in so that the flag is reproducible (tests, the fixed sample "now").
 */
export function isOverdue(incident: { deadlineAt: Date | null; closedAt: Date | null; suspended: boolean }, now: Date): boolean {
  if (!incident.deadlineAt || incident.suspended) return false;
  const end = incident.closedAt ?? now;
  return end.getTime() > incident.deadlineAt.getTime();
}
