/**
 * Sample incidents over twelve months: where people live (weighted by households),
 * more in summer, each with a plausible walk through the closed loop.
 */
import type { EscalationLevel, IncidentSource, IncidentStage } from '../kernel/stages';
import type { Position } from './lattice';
import { departmentByCode, SAMPLE_CATEGORY_DEPARTMENTS } from './departments';
import { personName } from './names';
import type { Random } from './random';

export interface IncidentCategory {
  code: string;
  major: string;
  minor: string;
  /** The handling deadline on the working clock (kernel/workCalendar.ts). */
  deadlineAmount: number;
  deadlineUnit: 'hours' | 'days';
  /** 签收时限: working hours to sign a dispatched case for. */
  signHours: number;
}

/**
 * The sample's history predates the working calendar: its deadlines were drawn as wall
 * hours (a working day = 24 h), and stay so — historical cases keep the deadline they had.
 */
export const sampleWallHours = (c: IncidentCategory) => (c.deadlineUnit === 'days' ? c.deadlineAmount * 24 : c.deadlineAmount);

export const INCIDENT_CATEGORIES: IncidentCategory[] = [
  { code: 'SR01', major: '市容环境', minor: '乱堆乱放', deadlineAmount: 2, deadlineUnit: 'days', signHours: 2 },
  { code: 'SR02', major: '市容环境', minor: '占道经营', deadlineAmount: 1, deadlineUnit: 'days', signHours: 2 },
  { code: 'SS01', major: '公共设施', minor: '路灯损坏', deadlineAmount: 3, deadlineUnit: 'days', signHours: 2 },
  { code: 'SS02', major: '公共设施', minor: '井盖缺失', deadlineAmount: 1, deadlineUnit: 'days', signHours: 1 },
  { code: 'AQ01', major: '安全隐患', minor: '消防通道堵塞', deadlineAmount: 1, deadlineUnit: 'days', signHours: 1 },
  { code: 'AQ02', major: '安全隐患', minor: '电动车违规充电', deadlineAmount: 1, deadlineUnit: 'days', signHours: 2 },
  { code: 'MD01', major: '矛盾纠纷', minor: '邻里纠纷', deadlineAmount: 3, deadlineUnit: 'days', signHours: 2 },
  { code: 'MD02', major: '矛盾纠纷', minor: '物业纠纷', deadlineAmount: 5, deadlineUnit: 'days', signHours: 2 },
  { code: 'MS01', major: '民生服务', minor: '助老助残（为民红绳）', deadlineAmount: 2, deadlineUnit: 'days', signHours: 2 },
  { code: 'MS02', major: '民生服务', minor: '就业社保咨询', deadlineAmount: 3, deadlineUnit: 'days', signHours: 2 },
  { code: 'HJ01', major: '生态环境', minor: '噪音扰民', deadlineAmount: 2, deadlineUnit: 'days', signHours: 2 },
  { code: 'HJ02', major: '生态环境', minor: '污水外溢', deadlineAmount: 1, deadlineUnit: 'days', signHours: 2 },
];

/** One history row (incident_transitions) of the loop; `action` follows the shared contract. */
export interface SampleTransition {
  from: IncidentStage | null;
  to: IncidentStage;
  action: LoopAction;
  actor: string;
  /** The sample account that took the step (data/sampleAccounts.ts); null for the anonymous history. */
  actorUsername: string | null;
  at: Date;
  note: string | null;
  /** The department the step sends the case to or was done by (dispatch, sign, handle, return …). */
  departmentCode: string | null;
}

export type LoopAction = 'report' | 'register' | 'dispatch' | 'redispatch' | 'sign' | 'return' | 'return_approved' | 'urge' | 'handle' | 'verify' | 'rework' | 'close' | 'revisit';

export interface SampleIncident {
  categoryCode: string;
  source: IncidentSource;
  reporter: string;
  description: string;
  position: Position;
  gridIndex: number;
  stage: IncidentStage;
  escalation: EscalationLevel;
  reportedAt: Date;
  deadlineAt: Date;
  closedAt: Date | null;
  reworkCount: number;
  extended: boolean;
  satisfaction: number | null;
  /** Department it is (or was last) dispatched to; null when dispatched to the grid's own grid worker or not yet. */
  departmentCode: string | null;
  /** Dispatched to a grid worker (assigneeUsername) instead of a department. */
  toGridWorker: boolean;
  /** The sample account that reported it / it is dispatched to, when one did (the desk cases). */
  reporterUsername: string | null;
  assigneeUsername: string | null;
  urgeCount: number;
  transitions: SampleTransition[];
}

/**
 * The "now" of generated data when none is given: tests, benches and fingerprints pin it so
 * their fixed date windows keep their meaning. A first start passes the load time instead
 * (data/ensureSample.ts), so the sample's year ends on the day it is loaded.
 */
export const PINNED_SAMPLE_NOW = new Date('2026-11-20T16:00:00+08:00');
const HOUR = 3_600_000;

export interface IncidentOptions {
  random: Random;
  count: number;
  /** Households per grid, to place incidents where people live. */
  households: number[];
  pointInGrid: (gridIndex: number) => Position;
  /** The end of the sample's year: nothing happens after it. */
  now?: Date;
}

export function generateIncidents({ random, count, households, pointInGrid, now = PINNED_SAMPLE_NOW }: IncidentOptions): SampleIncident[] {
  const start = now.getTime() - 365 * 24 * HOUR;
  const cumulative: number[] = [];
  households.reduce((sum, h, i) => (cumulative[i] = sum + h), 0);
  const total = cumulative[cumulative.length - 1] ?? 0;
  const pickGrid = () => {
    const r = random.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) > r) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const incidents: SampleIncident[] = [];
  for (let n = 0; n < count; n++) {
    // More reports in the warm, wet months (rejection sampling on a seasonal curve peaking in mid-July).
    let t = 0;
    do t = start + random.next() * 365 * 24 * HOUR;
    while (random.next() > 0.75 + 0.25 * Math.sin(((dayOfYear(t) - 105) / 365) * 2 * Math.PI));
    const category = random.pick(INCIDENT_CATEGORIES);
    const source: IncidentSource = (['grid', 'hongsheng', 'hotline'] as const)[random.weighted([60, 15, 25])] as IncidentSource;
    const gridIndex = pickGrid();
    const reportedAt = new Date(t);
    const extended = random.next() < 0.04;
    const deadlineAt = new Date(t + sampleWallHours(category) * HOUR * (extended ? 1.5 : 1));
    const escalation: EscalationLevel = (['grid', 'community', 'street', 'department'] as const)[random.weighted(category.major === '矛盾纠纷' ? [50, 30, 15, 5] : [72, 18, 8, 2])] as EscalationLevel;
    const reworkCount = random.next() < 0.06 ? 1 : 0;
    const reporter = source === 'grid' ? `网格员${personName(random)}` : personName(random);
    const walk = walkTheLoop(random, { reportedAt, deadlineAt, deadlineHours: sampleWallHours(category), reworkCount, categoryCode: category.code, reporter: source === 'hotline' ? '12345热线' : reporter, now });
    const transitions = walk.transitions;
    const last = transitions[transitions.length - 1] as SampleTransition;
    const closed = transitions.find((tr) => tr.action === 'verify');
    incidents.push({
      categoryCode: category.code,
      source,
      reporter,
      description: `${category.minor}：${source === 'hotline' ? '市民来电反映' : source === 'hongsheng' ? '群众通过为民红绳提出诉求' : '网格员巡查发现'}`,
      position: pointInGrid(gridIndex),
      gridIndex,
      stage: last.to,
      escalation,
      reportedAt,
      deadlineAt,
      closedAt: closed ? closed.at : null,
      reworkCount: transitions.filter((tr) => tr.action === 'rework').length,
      extended,
      satisfaction: walk.satisfaction,
      departmentCode: walk.departmentCode,
      toGridWorker: false,
      reporterUsername: null,
      assigneeUsername: null,
      urgeCount: transitions.filter((tr) => tr.action === 'urge').length,
      transitions,
    });
  }
  return incidents.sort((a, b) => a.reportedAt.getTime() - b.reportedAt.getTime());
}

/** Day of the year (0-based) in China time. */
const dayOfYear = (t: number) => {
  const local = new Date(t + 8 * HOUR);
  return (local.getTime() - Date.UTC(local.getUTCFullYear(), 0, 1)) / (24 * HOUR);
};

interface Walk {
  reportedAt: Date;
  deadlineAt: Date;
  deadlineHours: number;
  reworkCount: number;
  categoryCode: string;
  /** Who reported: a grid worker, a resident or the hotline. */
  reporter: string;
  now: Date;
}

/**
 * The history of one case up to the sample's "now", in the contract's actions:
 * report → register → dispatch (to a default department of the category) → sign → handle →
 * verify (another grid worker; closes the case) → revisit (the resident's satisfaction) →
 * close (the loop ends). Some cases are sent back (退单, approved) and dispatched to the
 * other default department, some fail verification
 * (rework), some stall past their deadline and get urged (督办) — those still open are the
 * overdue cases of the workbench.
 */
function walkTheLoop(random: Random, walk: Walk): { transitions: SampleTransition[]; departmentCode: string | null; satisfaction: number | null } {
  const { deadlineHours, now } = walk;
  const defaults = SAMPLE_CATEGORY_DEPARTMENTS[walk.categoryCode] ?? [];
  let departmentCode: string | null = defaults[random.weighted(defaults.map((_, i) => (i === 0 ? 3 : 1)))] ?? null;
  const returned = defaults.length > 1 && random.next() < 0.04;
  /** 5 % of cases stall at signing or handling for one to four deadlines. */
  const stall = random.next() < 0.05 ? (random.next() < 0.3 ? 'sign' : 'handle') : null;
  const stallHours = deadlineHours * random.range(1, 4);
  const handler = () => (departmentCode ? departmentByCode(departmentCode).name : `网格员${personName(random)}`);
  const verifier = `网格员${personName(random)}`;
  const satisfaction = [5, 4, 3, 2, 1][random.weighted([55, 30, 10, 3, 2])] as number;

  const out: SampleTransition[] = [];
  let at = walk.reportedAt.getTime();
  let stage: IncidentStage | null = null;
  /** Appends a step `hours` after the previous one; false once it would be after "now". */
  const step = (hours: number, action: LoopAction, to: IncidentStage, actor: string, note: string | null = null): boolean => {
    const next = at + hours * HOUR;
    if (next > now.getTime()) return false;
    at = next;
    out.push({
      from: stage,
      to,
      action,
      actor,
      actorUsername: null,
      at: new Date(at),
      note,
      departmentCode: ['dispatch', 'redispatch', 'sign', 'return', 'return_approved', 'handle'].includes(action) ? departmentCode : null,
    });
    stage = to;
    return true;
  };
  /**
   * A stall of `hours`: once the deadline passes during it the case is urged (督办, if that
   * is before "now"); returns the hours from then on to the end of the stall.
   */
  const stallFor = (hours: number): number => {
    const end = at + hours * HOUR;
    const urgeAt = walk.deadlineAt.getTime() + random.range(0.5, 8) * HOUR;
    if (urgeAt > at && urgeAt < end) step((urgeAt - at) / HOUR, 'urge', stage as IncidentStage, '街道综治中心', '督办：已超期，请尽快处置');
    return Math.max(0, (end - at) / HOUR);
  };

  const done = (() => {
    if (!step(0, 'report', 'collect', walk.reporter, '上报')) return false;
    if (!step(random.range(0.2, 4), 'register', 'register', '社区网格工作站', '立案')) return false;
    if (!step(random.range(0.2, 6), 'dispatch', 'dispatch', '街道综治中心', `派遣至${departmentByCode(departmentCode as string).name}`)) return false;
    if (returned) {
      // 退单 → the dispatcher approves (back to 立案) → dispatched to the other default department.
      if (!step(random.range(0.2, 2), 'return', 'dispatch', handler(), '退单：不属于本单位职责')) return false;
      if (!step(random.range(0.2, 3), 'return_approved', 'register', '街道综治中心', '同意退单')) return false;
      departmentCode = defaults.find((d) => d !== departmentCode) ?? departmentCode;
      if (!step(random.range(0.1, 1), 'dispatch', 'dispatch', '街道综治中心', `派遣至${departmentByCode(departmentCode as string).name}`)) return false;
    }
    const signHours = random.range(0.1, 2.5);
    if (!step(stall === 'sign' ? stallFor(signHours + stallHours) : signHours, 'sign', 'handle', handler(), '签收')) return false;
    for (let round = 0; round <= walk.reworkCount; round++) {
      const handleHours = deadlineHours * Math.exp(random.normal(-0.9, 0.6));
      if (!step(stall === 'handle' && round === 0 ? stallFor(handleHours + stallHours) : handleHours, 'handle', 'feedback', handler(), '处置完毕，已反馈')) return false;
      if (round < walk.reworkCount) {
        if (!step(random.range(0.5, 10), 'rework', 'handle', verifier, '核实不通过，返工')) return false;
      }
    }
    // As core's action table: 核实通过 → 核实结案 (closed), 回访 keeps the stage, 结案 → 评价 ends the loop.
    if (!step(random.range(0.5, 10), 'verify', 'close', verifier, '现场核实通过')) return false;
    if (!step(random.range(2, 72), 'revisit', 'close', '街道综治中心', `回访：满意度 ${satisfaction} 分`)) return false;
    if (!step(random.range(0.5, 20), 'close', 'evaluate', '街道综治中心', '结案')) return false;
    return true;
  })();
  if (!done && out.length === 0) out.push({ from: null, to: 'collect', action: 'report', actor: walk.reporter, actorUsername: null, at: walk.reportedAt, note: '上报', departmentCode: null });
  const dispatched = out.some((tr) => tr.action === 'dispatch');
  return { transitions: out, departmentCode: dispatched && stage !== 'register' ? departmentCode : null, satisfaction: out.some((tr) => tr.action === 'revisit') ? satisfaction : null };
}
