/**
 * Why a write along the closed loop was refused, as problem details: the incident
 * moved on since the client looked (409), or the request breaks a rule of the loop
 * (422). Both tell the client the current stage and where it may go from there.
 */
import { STAGE_LABELS, type IncidentStage } from '../../kernel/stages';
import { DomainError } from '../http/domainError';
import { describeStages } from './stateMachine';

/** Extension members of both problems (for a client that wants to offer the next steps). */
export interface LoopProblemMembers {
  currentStage: IncidentStage;
  allowedNext: IncidentStage[];
}

/** The incident is no longer in the stage the client saw (someone else moved it). */
export class StageConflict extends DomainError {
  constructor(currentStage: IncidentStage, allowed: readonly IncidentStage[]) {
    super(409, '事件状态已变化', `事件当前处于「${STAGE_LABELS[currentStage]}」，与提交的 expectedStage 不符；请刷新后重试。可转到：${describeStages(allowed)}`, {
      currentStage,
      allowedNext: [...allowed],
      errors: [{ field: 'expectedStage', reason: `当前阶段为 ${currentStage}` }],
    });
  }
}

/** The request breaks a rule of the loop; `field` is the part of the request at fault. */
export class LoopRuleBroken extends DomainError {
  constructor(currentStage: IncidentStage, allowed: readonly IncidentStage[], field: string, reason: string) {
    super(422, '不允许的操作', `${reason}。当前阶段「${STAGE_LABELS[currentStage]}」可转到：${describeStages(allowed)}`, {
      currentStage,
      allowedNext: [...allowed],
      errors: [{ field, reason }],
    });
  }
}
