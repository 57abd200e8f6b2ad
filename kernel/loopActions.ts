/**
 * Who may do what along the closed loop (issue 14 point 2): the one table of actions,
 * pure so that the server enforces it (POST /api/incidents/:id/actions refuses any
 * action not allowed here) and answers the same list as `allowedActions` of the detail
 * (the UI shows only those buttons).
 *
 * The actions sit on the stages of kernel/stages.ts:
 *
 *   上报 report ─► 信息收集 collect ─立案 register─► 立案 register ─派遣 dispatch─► 派遣 dispatch
 *   派遣 ─签收 sign─► 处置 handle ─处置反馈 handle─► 反馈 feedback
 *   反馈 ─核实通过 verify─► 核实结案 close        反馈 ─核实不通过 rework─► 处置 (返工)
 *   核实结案 ─回访 revisit (满意度, dispatcher or the resident's link)─► 核实结案
 *   核实结案 ─结案 close (after 回访)─► 评价 evaluate (the loop is over)
 *   (派遣 directly from 信息收集 writes 立案 and 派遣 together; 改派 redispatch goes back to
 *   派遣 from 派遣 or 处置 and must be signed again; an approved 退单 goes back to 立案.)
 *   就地解决 (a grid worker's small matter) is a report that closes at once: server-side,
 *   POST /api/incidents with `onSpot`, writing report + close rows.
 *
 * Side actions keep the stage: 退单/延期/缓办 requests of the handler and the dispatcher's
 * approval or refusal, 催办/督办, 吹哨 (summon departments) and each department's 报到,
 * 恢复 (resume after 缓办).
 *
 * Who: a dispatcher (受理员/指挥员) in their jurisdiction, an admin everywhere (the
 * command centre's rights); the assignee — the grid worker it is dispatched to, or
 * any 处置人员 of the department it is dispatched to; a verifier — a grid worker of the
 * incident's grid or a dispatcher; a summoned department's staff for 报到. 报办分离:
 * the reporter never handles nor verifies, the handler never verifies.
 * Refusals: 403 when the actor is not one who may (role, jurisdiction, not yours,
 * separation of duties), 422 when the incident's state does not allow it now.
 */
import type { Role, SessionUser } from './roles';
import type { IncidentStage } from './stages';

export const LOOP_ACTIONS = [
  'register',
  'dispatch',
  'redispatch',
  'sign',
  'return',
  'return_approved',
  'return_refused',
  'urge',
  'handle',
  'extension_request',
  'extension_approved',
  'extension_refused',
  'suspension_request',
  'suspension_approved',
  'suspension_refused',
  'resumption',
  'whistle',
  'report_in',
  'verify',
  'rework',
  'close',
  'revisit',
] as const;
export type LoopAction = (typeof LOOP_ACTIONS)[number];

export type RequestKind = 'return' | 'extension' | 'suspension';

/** What the table needs to know about an incident. */
export interface LoopCase {
  stage: IncidentStage;
  gridCode: string | null;
  communityCode: string | null;
  streetCode: string | null;
  reporterUserId: number | null;
  /** Dispatched to this department now (null: not dispatched, or to a grid worker). */
  departmentId: number | null;
  /** Dispatched to this grid worker now. */
  assigneeUserId: number | null;
  /** Who gave the 处置反馈. */
  handlerUserId: number | null;
  pendingRequest: RequestKind | null;
  suspended: boolean;
  extended: boolean;
  satisfaction: number | null;
  /** Departments summoned (吹哨) that have not yet reported in (报到). */
  unreportedSummons: readonly number[];
}

/** One input an action asks for (the UI draws it; the server validates it). */
export interface ActionField {
  name: 'note' | 'departmentId' | 'assigneeUserId' | 'departmentIds' | 'hours' | 'satisfaction';
  label: string;
  kind: 'text' | 'department' | 'user' | 'departments' | 'hours' | 'satisfaction';
  required: boolean;
}

/** Who is asking, relative to the case. */
type Actor = 'dispatcher' | 'assignee' | 'verifier' | 'summoned';

interface ActionRule {
  label: string;
  /** Stages the action is taken from. */
  from: readonly IncidentStage[];
  /** The stage after it (undefined: unchanged). */
  to?: IncidentStage;
  actor: Actor;
  /** State condition beyond the stage (422 when it fails): the reason, or null. */
  when?: (c: LoopCase) => string | null;
  /** Extra rule on the actor (403 when it fails): the reason, or null. */
  who?: (user: SessionUser, c: LoopCase) => string | null;
  fields: readonly ActionField[];
}

const OPEN: readonly IncidentStage[] = ['collect', 'register', 'dispatch', 'handle', 'feedback'];
const ASSIGNED: readonly IncidentStage[] = ['dispatch', 'handle'];

const note = (label: string, required: boolean): ActionField => ({ name: 'note', label, kind: 'text', required });
const target: readonly ActionField[] = [
  { name: 'departmentId', label: '责任单位', kind: 'department', required: false },
  { name: 'assigneeUserId', label: '网格员', kind: 'user', required: false },
];

const noPending = (c: LoopCase) => (c.pendingRequest ? `有待审批的${REQUEST_LABELS[c.pendingRequest]}申请` : null);
const pending = (kind: RequestKind) => (c: LoopCase) => (c.pendingRequest === kind ? null : `没有待审批的${REQUEST_LABELS[kind]}申请`);
const notReporter = (user: SessionUser, c: LoopCase) => (c.reporterUserId === user.id ? '报办分离：上报人不能处置或核实自己上报的事件' : null);
const verifierRule = (user: SessionUser, c: LoopCase) => (c.handlerUserId === user.id ? '核实须由处置人以外的人进行' : notReporter(user, c));

export const REQUEST_LABELS: Record<RequestKind, string> = { return: '退单', extension: '延期', suspension: '缓办' };

export const ACTION_TABLE: Readonly<Record<LoopAction, ActionRule>> = {
  register: { label: '立案', from: ['collect'], to: 'register', actor: 'dispatcher', fields: [note('受理意见', false)] },
  dispatch: { label: '派遣', from: ['collect', 'register'], to: 'dispatch', actor: 'dispatcher', fields: [...target, note('派遣意见', false)] },
  redispatch: { label: '改派', from: ASSIGNED, to: 'dispatch', actor: 'dispatcher', fields: [...target, note('改派理由', true)] },
  sign: { label: '签收', from: ['dispatch'], to: 'handle', actor: 'assignee', when: noPending, who: notReporter, fields: [note('签收备注', false)] },
  return: { label: '退单', from: ASSIGNED, actor: 'assignee', when: noPending, fields: [note('退单理由', true)] },
  return_approved: { label: '同意退单', from: ASSIGNED, to: 'register', actor: 'dispatcher', when: pending('return'), fields: [note('审批意见', false)] },
  return_refused: { label: '驳回退单', from: ASSIGNED, actor: 'dispatcher', when: pending('return'), fields: [note('驳回理由', true)] },
  urge: { label: '督办', from: ['dispatch', 'handle', 'feedback'], actor: 'dispatcher', fields: [note('督办意见', false)] },
  handle: {
    label: '处置反馈',
    from: ['handle'],
    to: 'feedback',
    actor: 'assignee',
    when: (c) => noPending(c) ?? (c.suspended ? '事件缓办中，恢复后才能反馈' : null),
    who: notReporter,
    fields: [note('处置情况', true)],
  },
  extension_request: {
    label: '申请延期',
    from: ASSIGNED,
    actor: 'assignee',
    when: (c) => noPending(c) ?? (c.extended ? '每个事件只能延期一次' : null),
    fields: [{ name: 'hours', label: '延期时长（小时）', kind: 'hours', required: true }, note('延期理由', true)],
  },
  extension_approved: { label: '同意延期', from: ASSIGNED, actor: 'dispatcher', when: pending('extension'), fields: [note('审批意见', false)] },
  extension_refused: { label: '驳回延期', from: ASSIGNED, actor: 'dispatcher', when: pending('extension'), fields: [note('驳回理由', true)] },
  suspension_request: {
    label: '申请缓办',
    from: ASSIGNED,
    actor: 'assignee',
    when: (c) => noPending(c) ?? (c.suspended ? '事件已在缓办中' : null),
    fields: [note('缓办理由', true)],
  },
  suspension_approved: { label: '同意缓办', from: ASSIGNED, actor: 'dispatcher', when: pending('suspension'), fields: [note('审批意见', false)] },
  suspension_refused: { label: '驳回缓办', from: ASSIGNED, actor: 'dispatcher', when: pending('suspension'), fields: [note('驳回理由', true)] },
  resumption: { label: '恢复办理', from: OPEN, actor: 'dispatcher', when: (c) => (c.suspended ? null : '事件未在缓办中'), fields: [note('恢复说明', false)] },
  whistle: {
    label: '吹哨',
    from: ['register', 'dispatch', 'handle'],
    actor: 'dispatcher',
    fields: [{ name: 'departmentIds', label: '报到单位', kind: 'departments', required: true }, { name: 'hours', label: '报到时限（小时）', kind: 'hours', required: false }, note('吹哨事由', true)],
  },
  report_in: { label: '报到', from: OPEN, actor: 'summoned', fields: [note('报到说明', false)] },
  verify: { label: '核实通过', from: ['feedback'], to: 'close', actor: 'verifier', who: verifierRule, fields: [note('核实意见', false)] },
  rework: { label: '核实不通过（返工）', from: ['feedback'], to: 'handle', actor: 'verifier', who: verifierRule, fields: [note('返工理由', true)] },
  revisit: {
    label: '回访',
    from: ['close'],
    actor: 'dispatcher',
    when: (c) => (c.satisfaction === null ? null : '已回访'),
    fields: [{ name: 'satisfaction', label: '满意度（1~5）', kind: 'satisfaction', required: true }, note('回访记录', false)],
  },
  close: { label: '结案', from: ['close'], to: 'evaluate', actor: 'dispatcher', when: (c) => (c.satisfaction === null ? '请先回访' : null), fields: [note('结案意见', false)] },
};

export const ACTION_LABELS = Object.fromEntries(LOOP_ACTIONS.map((a) => [a, ACTION_TABLE[a].label])) as Record<LoopAction, string>;

const placeOf = (c: LoopCase) => c.gridCode ?? c.communityCode ?? c.streetCode;

/** The command centre's rights: a dispatcher inside their jurisdiction, an admin anywhere. */
function asDispatcher(user: SessionUser, c: LoopCase): string | null {
  if (user.role === 'admin') return null;
  if (user.role !== 'dispatcher') return '只有受理员/指挥员可以执行此操作';
  const place = placeOf(c);
  return user.jurisdictionCode && place?.startsWith(user.jurisdictionCode) ? null : '事件不在您的指挥中心辖区内';
}

function asAssignee(user: SessionUser, c: LoopCase): string | null {
  if (user.role === 'dept_staff') return user.departmentId !== null && c.assigneeUserId === null && c.departmentId === user.departmentId ? null : '事件未派遣给您所在的单位';
  if (user.role === 'grid_worker') return c.assigneeUserId === user.id ? null : '事件未派遣给您';
  return '只有被派遣的处置人员或网格员可以执行此操作';
}

function asVerifier(user: SessionUser, c: LoopCase): string | null {
  if (user.role === 'grid_worker') return c.gridCode !== null && user.gridCodes.includes(c.gridCode) ? null : '只有事件所在网格的网格员可以核实';
  if (user.role === 'dispatcher' || user.role === 'admin') return asDispatcher(user, c);
  return '只有网格员或受理员可以核实';
}

function asSummoned(user: SessionUser, c: LoopCase): string | null {
  if (user.role !== 'dept_staff') return '只有被吹哨的单位可以报到';
  return user.departmentId !== null && c.unreportedSummons.includes(user.departmentId) ? null : '您的单位未被吹哨或已报到';
}

const ACTOR_CHECK: Record<Actor, (user: SessionUser, c: LoopCase) => string | null> = {
  dispatcher: asDispatcher,
  assignee: asAssignee,
  verifier: asVerifier,
  summoned: asSummoned,
};

/** The roles an action is ever open to (for the matrix tests and documentation). */
export const ACTION_ROLES: Readonly<Record<Actor, readonly Role[]>> = {
  dispatcher: ['dispatcher', 'admin'],
  assignee: ['dept_staff', 'grid_worker'],
  verifier: ['grid_worker', 'dispatcher', 'admin'],
  summoned: ['dept_staff'],
};

export type ActionCheck = { ok: true } | { ok: false; status: 403 | 422; field: string; reason: string };

/**
 * Whether `user` may take `action` on the case now. The order of the checks decides
 * the status: who (403) first, then the stage and state (422).
 */
export function checkAction(user: SessionUser, c: LoopCase, action: LoopAction): ActionCheck {
  const rule = ACTION_TABLE[action];
  const who = ACTOR_CHECK[rule.actor](user, c) ?? rule.who?.(user, c) ?? null;
  if (who) return { ok: false, status: 403, field: 'action', reason: who };
  if (!rule.from.includes(c.stage)) return { ok: false, status: 422, field: 'action', reason: `当前阶段不能${rule.label}` };
  const when = rule.when?.(c) ?? null;
  if (when) return { ok: false, status: 422, field: 'action', reason: when };
  return { ok: true };
}

export interface AllowedAction {
  action: LoopAction;
  label: string;
  fields: ActionField[];
}

/** Every action `user` may take on the case now, in table order (the UI's buttons). */
export function allowedActions(user: SessionUser, c: LoopCase): AllowedAction[] {
  return LOOP_ACTIONS.filter((a) => checkAction(user, c, a).ok).map((a) => ({ action: a, label: ACTION_TABLE[a].label, fields: [...ACTION_TABLE[a].fields] }));
}

/** The stage after the action (unchanged for side actions). */
export function stageAfter(action: LoopAction, from: IncidentStage): IncidentStage {
  return ACTION_TABLE[action].to ?? from;
}
