/**
 * The sample's demo accounts, stated once as data: the server creates them after loading
 * the sample (server/auth/users.ts), the generator gives them cases in every tab of the
 * workbench (data/desk.ts), and the README lists them. Two grid workers share the grid
 * 五里桥社区第2网格 so that one can verify what the other reported or handled.
 */
import type { Role } from '../kernel/roles';

export interface SampleAccount {
  username: string;
  displayName: string;
  role: Role;
  /** planner / dispatcher: street (9) or community (12 digits). */
  jurisdictionCode?: string;
  /** grid_worker: 15-digit grid codes. */
  gridCodes?: string[];
  /** dept_staff: the code of a sample department (data/departments.ts). */
  departmentCode?: string;
}

/** 名山街道 五里桥社区 grids 1–3 (1 and 3, 2 and 3 are neighbours). */
export const DESK_GRIDS = { g1: '450902005001001', g2: '450902005001002', g3: '450902005001003' } as const;

export const SAMPLE_ACCOUNTS: SampleAccount[] = [
  { username: 'admin', displayName: '系统管理员（示例）', role: 'admin' },
  { username: 'leader', displayName: '市委组织部领导（示例）', role: 'leader' },
  { username: 'analyst', displayName: '数据分析员（示例）', role: 'analyst' },
  { username: 'mingshan', displayName: '名山街道网格规划员（示例）', role: 'planner', jurisdictionCode: '450902005' },
  { username: 'chengxi', displayName: '城西街道网格规划员（示例）', role: 'planner', jurisdictionCode: '450902003' },
  { username: 'wangge1', displayName: '网格员李海燕（示例）', role: 'grid_worker', gridCodes: [DESK_GRIDS.g1, DESK_GRIDS.g2] },
  { username: 'wangge2', displayName: '网格员陈志红（示例）', role: 'grid_worker', gridCodes: [DESK_GRIDS.g2, DESK_GRIDS.g3] },
  { username: 'zhihui', displayName: '名山街道综治中心受理员（示例）', role: 'dispatcher', jurisdictionCode: '450902005' },
  { username: 'wuliqiao', displayName: '五里桥社区网格工作站受理员（示例）', role: 'dispatcher', jurisdictionCode: '450902005001' },
  { username: 'chengguan', displayName: '区城管局处置人员（示例）', role: 'dept_staff', departmentCode: 'YZ-CG' },
  { username: 'zhujian', displayName: '区住建局处置人员（示例）', role: 'dept_staff', departmentCode: 'YZ-ZJ' },
  { username: 'wuye', displayName: '金港物业处置人员（示例）', role: 'dept_staff', departmentCode: 'MS-WY' },
];

export const sampleAccount = (username: string): SampleAccount => {
  const found = SAMPLE_ACCOUNTS.find((a) => a.username === username);
  if (!found) throw new Error(`unknown sample account ${username}`);
  return found;
};
