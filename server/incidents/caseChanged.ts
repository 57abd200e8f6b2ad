/**
 * An action queued on a phone while offline carries the last history row its user saw
 * (`expectedTransitionId`, the detail's `timeline.at(-1).id`). If anyone wrote to the case
 * since — reassigned it, signed it, closed it — the action is refused with a 409 that
 * says in Chinese what changed ("该案件已改派给 张三，您的处置反馈未提交"), instead of
 * being applied to a case its user did not see. Names follow the personal-data rule.
 */
import { sql } from 'drizzle-orm';
import { ACTION_TABLE, type LoopAction, type LoopCase } from '../../kernel/loopActions';
import type { SessionUser } from '../../kernel/roles';
import type { IncidentStage } from '../../kernel/stages';
import { mayReadPeople } from '../auth/personalData';
import { DomainError } from '../http/domainError';
import { execRows, type Executor } from './loopCase';

interface Later {
  id: number;
  action: string;
  actor: string;
  at: Date | string;
  assignee: string | null;
  department: string | null;
}

export class CaseChanged extends DomainError {
  constructor(detail: string, currentStage: IncidentStage, latestTransitionId: number, changes: { transitionId: number; action: string; at: string }[]) {
    super(409, '案件已变化', detail, { currentStage, latestTransitionId, changes, errors: [{ field: 'expectedTransitionId', reason: `案件最新的处理记录为 ${latestTransitionId}` }] });
  }
}

function describe(t: Later, names: boolean): string {
  const who = names ? t.actor : '他人';
  const target = names ? (t.assignee ?? t.department) : t.department;
  switch (t.action) {
    case 'dispatch':
      return target ? `已派遣给 ${target}` : '已派遣';
    case 'redispatch':
      return target ? `已改派给 ${target}` : '已改派';
    case 'sign':
      return `已由 ${who} 签收`;
    case 'handle':
      return `已由 ${who} 提交处置反馈`;
    case 'verify':
      return `已由 ${who} 核实结案`;
    case 'rework':
      return '核实未通过，已返工';
    case 'close':
      return '已结案';
    case 'return_approved':
      return '退单已获批准，退回立案';
    default:
      return `${who} 已执行「${ACTION_TABLE[t.action as LoopAction]?.label ?? t.action}」`;
  }
}

/** Throws CaseChanged when history rows were written after `expectedTransitionId`. */
export async function checkUnchanged(tx: Executor, id: number, c: LoopCase, expectedTransitionId: number, action: LoopAction, user: SessionUser): Promise<void> {
  const later = await execRows<Later>(
    tx,
    sql`SELECT t.id, t.action, t.actor, t.at, u.display_name AS assignee, d.name AS department
      FROM incident_transitions t LEFT JOIN users u ON u.id = t.assignee_user_id LEFT JOIN departments d ON d.id = t.department_id
      WHERE t.incident_id = ${id} AND t.id > ${expectedTransitionId} ORDER BY t.id`,
  );
  if (later.length === 0) return;
  const names = mayReadPeople(user, c.gridCode ?? c.communityCode ?? c.streetCode ?? '');
  const said = [...new Set(later.map((t) => describe(t, names)))].slice(-3);
  const last = later.at(-1) as Later;
  throw new CaseChanged(
    `该案件${said.join('，')}，您的${ACTION_TABLE[action].label}未提交`,
    c.stage,
    Number(last.id),
    later.map((t) => ({ transitionId: Number(t.id), action: t.action, at: new Date(t.at).toISOString() })),
  );
}
