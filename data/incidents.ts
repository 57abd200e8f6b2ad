/**
 * Sample incidents over twelve months: where people live (weighted by households),
 * more in summer, each with a plausible walk through the closed loop.
 */
import { INCIDENT_STAGES, type EscalationLevel, type IncidentSource, type IncidentStage } from '../kernel/stages';
import type { Position } from './lattice';
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

export interface SampleTransition {
  from: IncidentStage | null;
  to: IncidentStage;
  actor: string;
  at: Date;
}

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
  transitions: SampleTransition[];
}

/** The sample's "now": fixed so that generated data is identical on every run. */
export const SAMPLE_NOW = new Date('2026-11-20T16:00:00+08:00');
const HOUR = 3_600_000;

export interface IncidentOptions {
  random: Random;
  count: number;
  /** Households per grid, to place incidents where people live. */
  households: number[];
  pointInGrid: (gridIndex: number) => Position;
}

export function generateIncidents({ random, count, households, pointInGrid }: IncidentOptions): SampleIncident[] {
  const start = SAMPLE_NOW.getTime() - 365 * 24 * HOUR;
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
    // More reports in the warm, wet months (rejection sampling on a seasonal curve).
    let t = 0;
    do t = start + random.next() * 365 * 24 * HOUR;
    while (random.next() > 0.75 + 0.25 * Math.sin(((t - start) / (365 * 24 * HOUR)) * 2 * Math.PI));
    const category = random.pick(INCIDENT_CATEGORIES);
    const source: IncidentSource = (['grid', 'hongsheng', 'hotline'] as const)[random.weighted([60, 15, 25])] as IncidentSource;
    const gridIndex = pickGrid();
    const reportedAt = new Date(t);
    const extended = random.next() < 0.04;
    const deadlineAt = new Date(t + sampleWallHours(category) * HOUR * (extended ? 1.5 : 1));
    const escalation: EscalationLevel = (['grid', 'community', 'street', 'department'] as const)[random.weighted(category.major === '矛盾纠纷' ? [50, 30, 15, 5] : [72, 18, 8, 2])] as EscalationLevel;
    const reworkCount = random.next() < 0.06 ? 1 : 0;
    const transitions = walkTheLoop(random, reportedAt, sampleWallHours(category), reworkCount);
    const last = transitions[transitions.length - 1] as SampleTransition;
    const closed = transitions.find((tr) => tr.to === 'close');
    incidents.push({
      categoryCode: category.code,
      source,
      reporter: source === 'grid' ? `网格员${personName(random)}` : personName(random),
      description: `${category.minor}：${source === 'hotline' ? '市民来电反映' : source === 'hongsheng' ? '群众通过为民红绳提出诉求' : '网格员巡查发现'}`,
      position: pointInGrid(gridIndex),
      gridIndex,
      stage: last.to,
      escalation,
      reportedAt,
      deadlineAt,
      closedAt: closed ? closed.at : null,
      reworkCount,
      extended,
      satisfaction: last.to === 'evaluate' ? ([5, 4, 3, 2, 1][random.weighted([55, 30, 10, 3, 2])] as number) : null,
      transitions,
    });
  }
  return incidents.sort((a, b) => a.reportedAt.getTime() - b.reportedAt.getTime());
}

/** Stage timestamps up to the sample's "now"; rework sends feedback back to handling once. */
function walkTheLoop(random: Random, reportedAt: Date, deadlineHours: number, reworkCount: number): SampleTransition[] {
  const actors: Record<IncidentStage, string> = {
    collect: '网格员',
    register: '社区网格工作站',
    dispatch: '街道综治中心',
    handle: '处置责任单位',
    feedback: '处置责任单位',
    close: '社区网格工作站',
    evaluate: '群众',
  };
  const durations: Record<IncidentStage, () => number> = {
    collect: () => 0,
    register: () => random.range(0.2, 4) * HOUR,
    dispatch: () => random.range(0.2, 6) * HOUR,
    handle: () => deadlineHours * HOUR * Math.exp(random.normal(-0.9, 0.6)),
    feedback: () => random.range(0.5, 10) * HOUR,
    close: () => random.range(1, 20) * HOUR,
    evaluate: () => random.range(2, 72) * HOUR,
  };
  const out: SampleTransition[] = [];
  let at = reportedAt.getTime();
  let from: IncidentStage | null = null;
  const path: IncidentStage[] = [...INCIDENT_STAGES];
  if (reworkCount > 0) path.splice(5, 0, 'handle', 'feedback');
  for (const to of path) {
    at += durations[to]();
    if (at > SAMPLE_NOW.getTime()) break;
    out.push({ from, to, actor: actors[to] === '网格员' ? `网格员${personName(random)}` : actors[to], at: new Date(at) });
    from = to;
  }
  if (out.length === 0) out.push({ from: null, to: 'collect', actor: '网格员', at: reportedAt });
  return out;
}
