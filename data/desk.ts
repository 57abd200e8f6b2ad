/**
 * The sample accounts' desk: a handful of open cases in 五里桥社区 reported in the last days
 * before the sample's "now", stopped at every step of the loop, so that each demo account
 * (data/sampleAccounts.ts) finds work in each of its workbench tabs on the day the sample is
 * loaded — waiting to be registered, dispatched, signed (one late), handled (one overdue and
 * urged), verified by the other grid worker, revisited, closed, and a 退单 to decide.
 * Steps follow core's action table (kernel/loopActions.ts).
 */
import type { IncidentSource, IncidentStage } from '../kernel/stages';
import { departmentByCode } from './departments';
import { INCIDENT_CATEGORIES, sampleWallHours, type LoopAction, type SampleIncident, type SampleTransition } from './incidents';
import type { Position } from './lattice';
import { DESK_GRIDS, sampleAccount } from './sampleAccounts';

const HOUR = 3_600_000;

type Step = [action: LoopAction, hoursAfterReport: number, actor: string, departmentCode?: string];

interface DeskCase {
  category: string;
  grid: keyof typeof DESK_GRIDS;
  source: IncidentSource;
  /** A sample account's username or a resident's name. */
  reporter: string;
  hoursAgo: number;
  description: string;
  steps: Step[];
  /** dispatched to this grid worker (username) rather than a department */
  assignee?: string;
  satisfaction?: number;
}

/** What each action moves the case to (from = the stage before; non-stage actions keep it). */
const TO: Record<LoopAction, IncidentStage | null> = {
  report: 'collect',
  register: 'register',
  dispatch: 'dispatch',
  redispatch: 'dispatch',
  sign: 'handle',
  return: null,
  return_approved: 'register',
  urge: null,
  handle: 'feedback',
  verify: 'close',
  rework: 'handle',
  close: 'evaluate',
  revisit: null,
};

const CG = 'YZ-CG';
const ZJ = 'YZ-ZJ';
const WY = 'MS-WY';

export const DESK_CASES: DeskCase[] = [
  { category: 'SR01', grid: 'g1', source: 'grid', reporter: 'wangge1', hoursAgo: 1, description: '乱堆乱放：五里桥社区3栋楼道堆放杂物', steps: [] },
  { category: 'HJ01', grid: 'g3', source: 'hotline', reporter: '12345热线', hoursAgo: 3, description: '噪音扰民：市民来电反映夜间施工噪音', steps: [] },
  { category: 'SS01', grid: 'g2', source: 'grid', reporter: 'wangge2', hoursAgo: 5, description: '路灯损坏：五里桥路口两盏路灯不亮', steps: [['register', 0.5, 'zhihui']] },
  {
    category: 'SR02',
    grid: 'g1',
    source: 'grid',
    reporter: 'wangge1',
    hoursAgo: 2,
    description: '占道经营：早市摊贩占用人行道',
    steps: [
      ['register', 0.3, 'zhihui'],
      ['dispatch', 0.6, 'zhihui', CG],
    ],
  },
  {
    category: 'SS02',
    grid: 'g2',
    source: 'hongsheng',
    reporter: '黄秀兰',
    hoursAgo: 7,
    description: '井盖缺失：小区南门雨水井盖缺失，群众通过为民红绳提出诉求',
    steps: [
      ['register', 0.2, 'wuliqiao'],
      ['dispatch', 0.5, 'zhihui', ZJ],
      ['urge', 3, 'zhihui'],
    ],
  },
  {
    category: 'MS01',
    grid: 'g3',
    source: 'hongsheng',
    reporter: '莫桂英',
    hoursAgo: 4,
    description: '助老助残：独居老人需要代购药品',
    steps: [
      ['register', 0.3, 'wuliqiao'],
      ['dispatch', 0.5, 'wuliqiao'],
    ],
    assignee: 'wangge2',
  },
  {
    category: 'AQ02',
    grid: 'g3',
    source: 'grid',
    reporter: 'wangge2',
    hoursAgo: 9,
    description: '电动车违规充电：楼道飞线充电',
    steps: [
      ['register', 0.3, 'zhihui'],
      ['dispatch', 0.8, 'zhihui', CG],
      ['return', 2, 'chengguan', CG],
    ],
  },
  {
    category: 'SR01',
    grid: 'g3',
    source: 'grid',
    reporter: 'wangge2',
    hoursAgo: 20,
    description: '乱堆乱放：建筑垃圾堆放在绿化带',
    steps: [
      ['register', 0.5, 'zhihui'],
      ['dispatch', 1, 'zhihui', CG],
      ['sign', 1.5, 'chengguan', CG],
    ],
  },
  {
    category: 'MD02',
    grid: 'g2',
    source: 'hotline',
    reporter: '12345热线',
    hoursAgo: 150,
    description: '物业纠纷：业主反映电梯长期故障无人维修',
    steps: [
      ['register', 1, 'zhihui'],
      ['dispatch', 2, 'zhihui', ZJ],
      ['sign', 3, 'zhujian', ZJ],
      ['urge', 125, 'zhihui'],
      ['urge', 140, 'zhihui'],
    ],
  },
  {
    category: 'SR01',
    grid: 'g1',
    source: 'grid',
    reporter: 'wangge1',
    hoursAgo: 70,
    description: '乱堆乱放：废旧家具堆放在消防通道旁',
    steps: [
      ['register', 0.5, 'zhihui'],
      ['dispatch', 1, 'zhihui', WY],
      ['sign', 2, 'wuye', WY],
      ['urge', 52, 'zhihui'],
    ],
  },
  {
    category: 'SS01',
    grid: 'g2',
    source: 'grid',
    reporter: 'wangge1',
    hoursAgo: 30,
    description: '路灯损坏：巷道路灯损坏，夜间出行不便',
    steps: [
      ['register', 0.5, 'zhihui'],
      ['dispatch', 1, 'zhihui', ZJ],
      ['sign', 2, 'zhujian', ZJ],
      ['handle', 26, 'zhujian', ZJ],
    ],
  },
  {
    category: 'SR02',
    grid: 'g2',
    source: 'hotline',
    reporter: '12345热线',
    hoursAgo: 26,
    description: '占道经营：市民来电反映烧烤摊占道',
    steps: [
      ['register', 0.5, 'zhihui'],
      ['dispatch', 1, 'zhihui', CG],
      ['sign', 1.5, 'chengguan', CG],
      ['handle', 20, 'chengguan', CG],
    ],
  },
  {
    category: 'AQ01',
    grid: 'g2',
    source: 'grid',
    reporter: 'wangge2',
    hoursAgo: 40,
    description: '消防通道堵塞：私家车长期占用消防通道',
    steps: [
      ['register', 0.5, 'zhihui'],
      ['dispatch', 1, 'zhihui', WY],
      ['sign', 1.5, 'wuye', WY],
      ['handle', 18, 'wuye', WY],
      ['verify', 22, 'wangge1'],
    ],
  },
  {
    category: 'SR01',
    grid: 'g2',
    source: 'grid',
    reporter: 'wangge1',
    hoursAgo: 60,
    description: '乱堆乱放：小区门口堆放装修垃圾',
    steps: [
      ['register', 0.5, 'zhihui'],
      ['dispatch', 1, 'zhihui', CG],
      ['sign', 2, 'chengguan', CG],
      ['handle', 20, 'chengguan', CG],
      ['verify', 26, 'wangge2'],
      ['revisit', 30, 'zhihui'],
    ],
    satisfaction: 4,
  },
  {
    category: 'HJ02',
    grid: 'g3',
    source: 'hotline',
    reporter: '12345热线',
    hoursAgo: 50,
    description: '污水外溢：市民来电反映化粪池外溢',
    steps: [
      ['register', 0.5, 'zhihui'],
      ['dispatch', 1, 'zhihui', ZJ],
      ['sign', 1.5, 'zhujian', ZJ],
      ['handle', 12, 'zhujian', ZJ],
      ['rework', 16, 'wangge2'],
      ['handle', 22, 'zhujian', ZJ],
      ['verify', 26, 'wangge2'],
    ],
  },
  {
    category: 'SS02',
    grid: 'g2',
    source: 'grid',
    reporter: 'wangge1',
    hoursAgo: 30,
    description: '井盖缺失：人行道井盖破损',
    steps: [
      ['register', 0.3, 'zhihui'],
      ['dispatch', 0.6, 'zhihui', ZJ],
      ['sign', 1, 'zhujian', ZJ],
      ['handle', 8, 'zhujian', ZJ],
      ['verify', 10, 'wangge2'],
      ['revisit', 16, 'zhihui'],
      ['close', 20, 'zhihui'],
    ],
    satisfaction: 5,
  },
];

const NOTES: Partial<Record<LoopAction, string>> = {
  report: '上报',
  register: '立案',
  sign: '签收',
  return: '退单：不属于本单位职责，建议改派',
  urge: '督办：请尽快处置',
  handle: '处置完毕，已反馈',
  verify: '现场核实通过',
  rework: '核实不通过，返工',
  close: '结案',
};

/** The desk's cases as sample incidents, relative to `now`. */
export function generateDesk(now: Date, gridIndex: (code: string) => number, pointInGrid: (gridIndex: number) => Position): SampleIncident[] {
  return DESK_CASES.map((c) => {
    const category = INCIDENT_CATEGORIES.find((k) => k.code === c.category);
    if (!category) throw new Error(`unknown category ${c.category}`);
    const reportedAt = new Date(now.getTime() - c.hoursAgo * HOUR);
    const person = (who: string) => {
      try {
        const account = sampleAccount(who);
        return { actor: account.displayName, actorUsername: account.username };
      } catch {
        return { actor: who, actorUsername: null };
      }
    };
    const reporter = person(c.reporter);
    let stage: IncidentStage = 'collect';
    let department: string | null = null;
    const transitions: SampleTransition[] = [{ from: null, to: 'collect', action: 'report', ...reporter, at: reportedAt, note: NOTES.report ?? null, departmentCode: null }];
    for (const [action, hours, who, dept] of c.steps) {
      if (action === 'dispatch' || action === 'redispatch') department = dept ?? null;
      const to: IncidentStage = TO[action] ?? stage;
      const note =
        action === 'dispatch' ? `派遣至${department ? departmentByCode(department).name : person(c.assignee ?? '').actor}` : action === 'revisit' ? `回访：满意度 ${c.satisfaction} 分` : (NOTES[action] ?? null);
      transitions.push({ from: stage, to, action, ...person(who), at: new Date(reportedAt.getTime() + hours * HOUR), note, departmentCode: dept ?? null });
      stage = to;
    }
    const closed = transitions.find((t) => t.action === 'verify');
    const gi = gridIndex(DESK_GRIDS[c.grid]);
    return {
      categoryCode: c.category,
      source: c.source,
      reporter: reporter.actor,
      reporterUsername: reporter.actorUsername,
      description: c.description,
      position: pointInGrid(gi),
      gridIndex: gi,
      stage,
      escalation: 'grid',
      reportedAt,
      // Wall hours, not the working clock: the desk's stories (one case overdue and urged, one nearly
      // late) must hold on whatever weekday or holiday the sample is loaded.
      deadlineAt: new Date(reportedAt.getTime() + sampleWallHours(category) * HOUR),
      closedAt: closed ? closed.at : null,
      reworkCount: transitions.filter((t) => t.action === 'rework').length,
      extended: false,
      satisfaction: transitions.some((t) => t.action === 'revisit') ? (c.satisfaction ?? null) : null,
      departmentCode: department,
      toGridWorker: c.assignee !== undefined,
      assigneeUsername: c.assignee ?? null,
      urgeCount: transitions.filter((t) => t.action === 'urge').length,
      transitions,
    };
  });
}
