/** User accounts: creation with validation, the first admin, and the sample's demo users. */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { hashPassword, passwordProblem } from './passwords';
import { ROLES, type Role } from '../../kernel/roles';

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  jurisdictionCode?: string | null;
  password: string;
}

export class UserProblem extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(reason);
  }
}

export async function validateUser(db: DbHandle, user: Omit<NewUser, 'password'>): Promise<void> {
  if (!/^[A-Za-z0-9_.-]{2,50}$/.test(user.username)) throw new UserProblem('username', '用户名为 2–50 位字母、数字、下划线、点或连字符');
  if (!ROLES.includes(user.role)) throw new UserProblem('role', `角色应为 ${ROLES.join('、')}`);
  if (user.role === 'planner') {
    if (!user.jurisdictionCode || !/^\d{9}(\d{3})?$/.test(user.jurisdictionCode)) throw new UserProblem('jurisdictionCode', '规划员须指定辖区：9 位街道代码或 12 位社区代码');
    const [region] = await db.rows<{ code: string }>(sql`SELECT code FROM regions WHERE code = ${user.jurisdictionCode} AND level IN ('street', 'community')`);
    if (!region) throw new UserProblem('jurisdictionCode', `辖区 ${user.jurisdictionCode} 不存在`);
  }
}

export async function createUser(db: DbHandle, user: NewUser): Promise<number> {
  await validateUser(db, user);
  const weak = passwordProblem(user.password);
  if (weak) throw new UserProblem('password', weak);
  const hash = await hashPassword(user.password);
  const [existing] = await db.rows(sql`SELECT 1 FROM users WHERE username = ${user.username}`);
  if (existing) throw new UserProblem('username', `用户名 ${user.username} 已存在`);
  const [row] = await db.rows<{ id: number }>(sql`
    INSERT INTO users (username, display_name, role, jurisdiction_code, password_hash)
    VALUES (${user.username}, ${user.displayName}, ${user.role}, ${user.role === 'planner' ? (user.jurisdictionCode ?? null) : null}, ${hash})
    RETURNING id`);
  return row!.id;
}

/** First start: ADMIN_USERNAME / ADMIN_PASSWORD create the first admin when there is none. */
export async function ensureFirstAdmin(db: DbHandle, env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = () => {}): Promise<void> {
  const [admin] = await db.rows(sql`SELECT 1 FROM users WHERE role = 'admin' LIMIT 1`);
  if (admin || !env.ADMIN_USERNAME || !env.ADMIN_PASSWORD) return;
  await createUser(db, { username: env.ADMIN_USERNAME, displayName: '系统管理员', role: 'admin', password: env.ADMIN_PASSWORD });
  log(`已创建管理员账号 ${env.ADMIN_USERNAME}`);
}

/** Demo accounts for the sample data only (documented in README); never created for real data. */
export const SAMPLE_PASSWORD = 'dangjian-demo-2026';
export const SAMPLE_USERS: Omit<NewUser, 'password'>[] = [
  { username: 'admin', displayName: '系统管理员（示例）', role: 'admin' },
  { username: 'leader', displayName: '市委组织部领导（示例）', role: 'leader' },
  { username: 'analyst', displayName: '数据分析员（示例）', role: 'analyst' },
  { username: 'mingshan', displayName: '名山街道网格规划员（示例）', role: 'planner', jurisdictionCode: '450902005' },
  { username: 'chengxi', displayName: '城西街道网格规划员（示例）', role: 'planner', jurisdictionCode: '450902003' },
];

export async function ensureSampleUsers(db: DbHandle): Promise<void> {
  for (const user of SAMPLE_USERS) {
    const [exists] = await db.rows(sql`SELECT 1 FROM users WHERE username = ${user.username}`);
    if (!exists) await createUser(db, { ...user, password: SAMPLE_PASSWORD });
  }
}
