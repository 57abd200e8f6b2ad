/**
 * The workbench's inbox tabs (收件箱): their order, Chinese names and which tabs each
 * role works. One table for the server (which counts and lists them) and the web
 * (which shows them, and the role's tabs while the counts are still loading).
 */
import type { Role } from './roles';

export const INBOX_TABS = ['to_sign', 'to_dispatch', 'to_handle', 'to_verify', 'to_revisit', 'mine', 'supervised', 'overdue'] as const;
export type InboxTab = (typeof INBOX_TABS)[number];

export const INBOX_TAB_LABELS: Record<InboxTab, string> = {
  to_sign: '待签收',
  to_dispatch: '待派遣',
  to_handle: '待处置',
  to_verify: '待核实',
  to_revisit: '待回访',
  mine: '我上报的',
  supervised: '督办',
  overdue: '超期',
};

/** The tabs each role works with (the first is the default). */
export const ROLE_TABS: Readonly<Record<Role, readonly InboxTab[]>> = {
  grid_worker: ['to_sign', 'to_handle', 'to_verify', 'mine', 'supervised', 'overdue'],
  dispatcher: ['to_dispatch', 'to_verify', 'to_revisit', 'mine', 'supervised', 'overdue'],
  dept_staff: ['to_sign', 'to_handle', 'supervised', 'overdue'],
  admin: INBOX_TABS,
  planner: ['mine', 'supervised', 'overdue'],
  leader: ['supervised', 'overdue'],
  analyst: ['supervised', 'overdue'],
};
