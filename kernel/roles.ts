/**
 * Roles and what a signed-in user carries around. The first four read, plan, analyse
 * and administer; the last three work the closed loop (the incident workbench):
 * 网格员 on their grids, 受理员/指挥员 in a command centre of a community or street,
 * 处置人员 of a 责任单位 department.
 */
export const ROLES = ['leader', 'planner', 'analyst', 'admin', 'grid_worker', 'dispatcher', 'dept_staff'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  leader: '领导（只读、大屏）',
  planner: '网格规划员（辖区内编辑）',
  analyst: '分析员（只读、导出）',
  admin: '管理员',
  grid_worker: '网格员（所属网格上报、处置、核实）',
  dispatcher: '受理员/指挥员（指挥中心受理、派遣、结案）',
  dept_staff: '处置人员（责任单位）',
};

/** Roles that work incidents along the loop (the workbench's people). */
export const LOOP_ROLES = ['grid_worker', 'dispatcher', 'dept_staff'] as const satisfies readonly Role[];

export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  /**
   * Street (9 digits) or community (12 digits): where a planner may edit, or the
   * command centre a dispatcher works for; null otherwise (an admin: everywhere).
   */
  jurisdictionCode: string | null;
  /** The grids (15-digit codes) a grid worker is bound to; empty for other roles. */
  gridCodes: readonly string[];
  /** The department (责任单位) a 处置人员 works for; null for other roles. */
  departmentId: number | null;
}

/** A user with no bindings, for building principals (tests, CLI, the stand-in admin). */
export const UNBOUND = { jurisdictionCode: null, gridCodes: [] as readonly string[], departmentId: null } as const;

/** A planner may touch a region only inside their jurisdiction; admins everywhere. */
export function withinJurisdiction(user: SessionUser, regionCode: string): boolean {
  if (user.role === 'admin') return true;
  if (user.role !== 'planner' || !user.jurisdictionCode) return false;
  return regionCode.startsWith(user.jurisdictionCode);
}

/**
 * The area a user answers for, where the personal-data rule says "jurisdiction": a
 * planner's or dispatcher's street/community, a grid worker's own grids; admins
 * everywhere, other roles nowhere. `regionCode` is a grid, community or street code.
 */
export function withinOwnArea(user: SessionUser, regionCode: string): boolean {
  if (user.role === 'admin') return true;
  if (user.role === 'planner' || user.role === 'dispatcher') return !!user.jurisdictionCode && regionCode.startsWith(user.jurisdictionCode);
  if (user.role === 'grid_worker') return user.gridCodes.some((grid) => regionCode.startsWith(grid));
  return false;
}
