/** Roles and what a signed-in user carries around. */
export const ROLES = ['leader', 'planner', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  leader: '领导（只读、大屏）',
  planner: '网格规划员（辖区内编辑）',
  analyst: '分析员（只读、导出）',
  admin: '管理员',
};

export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  /** Street (9 digits) or community (12 digits) a planner may edit; null = everywhere (admin). */
  jurisdictionCode: string | null;
}

/** A planner may touch a region only inside their jurisdiction; admins everywhere. */
export function withinJurisdiction(user: SessionUser, regionCode: string): boolean {
  if (user.role === 'admin') return true;
  if (user.role !== 'planner' || !user.jurisdictionCode) return false;
  return regionCode.startsWith(user.jurisdictionCode);
}
