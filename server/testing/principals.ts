/** Stand-in users for tests and benchmarks (never present in a real deployment). */
import type { SessionUser } from '../../kernel/roles';

export const TEST_ADMIN: SessionUser = { id: 0, username: 'test-admin', displayName: '测试管理员', role: 'admin', jurisdictionCode: null, gridCodes: [], departmentId: null };

export const testPlanner = (jurisdictionCode: string): SessionUser => ({
  id: 0,
  username: `planner-${jurisdictionCode}`,
  displayName: `规划员${jurisdictionCode}`,
  role: 'planner',
  jurisdictionCode,
  gridCodes: [],
  departmentId: null,
});

/** Like the sample's `mingshan` (server/auth/users.ts): the planner of 名山街道 (street 450902005). */
export const MINGSHAN_PLANNER: SessionUser = { id: 0, username: 'mingshan', displayName: '名山街道网格规划员（示例）', role: 'planner', jurisdictionCode: '450902005', gridCodes: [], departmentId: null };
