/**
 * The workbench's tabs (收件箱): which queue each one is and which roles see it.
 * The server's counts answer for the signed-in user's tabs, so once they arrive the
 * tabs shown are exactly the keys it answered; this table gives their order and
 * Chinese names, and the tabs shown while the counts are still loading.
 */
import type { Role } from '../../../../kernel/roles';

export const TABS = ['to_sign', 'to_dispatch', 'to_handle', 'to_verify', 'to_revisit', 'mine', 'supervised', 'overdue'] as const;
export type Tab = (typeof TABS)[number];

export const TAB_LABELS: Record<Tab, string> = {
  to_sign: '待签收',
  to_dispatch: '待派遣',
  to_handle: '待处置',
  to_verify: '待核实',
  to_revisit: '待回访',
  mine: '我上报的',
  supervised: '督办',
  overdue: '超期',
};

/** What each role works, before the server's counts say it exactly. */
const ROLE_TABS: Partial<Record<Role, readonly Tab[]>> = {
  grid_worker: ['to_sign', 'to_handle', 'to_verify', 'mine', 'overdue'],
  dispatcher: ['to_dispatch', 'to_revisit', 'supervised', 'overdue'],
  dept_staff: ['to_sign', 'to_handle', 'supervised', 'overdue'],
};

export function tabsFor(role: Role, counts: Partial<Record<string, number>> | undefined): Tab[] {
  if (counts) return TABS.filter((t) => t in counts);
  return [...(ROLE_TABS[role] ?? TABS)];
}
