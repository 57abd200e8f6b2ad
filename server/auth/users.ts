/**
 * User accounts: creation with validation, changes, deletion, the first admin and the
 * sample's demo users. Usernames are unique regardless of case (a unique index on
 * lower(username) guarantees it even for concurrent creations).
 */
import { sql } from 'drizzle-orm';
import { executeRows, type DbHandle, type Executor } from '../../db/client';
import { DomainError, NotFoundError } from '../http/domainError';
import { hashPassword, passwordProblem } from './passwords';
import { sessionsChanged } from './sessionGeneration';
import { revokeUserSessions } from './sessions';
import { ROLES, type Role } from '../../kernel/roles';
import { SESSION_USER_COLUMNS, toSessionUser, type SessionUserRow } from './sessionUser';
import { linkSampleAccounts } from '../../data/linkSampleAccounts';
import { loadFieldSample } from '../../data/fieldSample';
import { SAMPLE_ACCOUNTS, type SampleAccount } from '../../data/sampleAccounts';

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  jurisdictionCode?: string | null;
  /** grid_worker: the grids (15-digit codes) they work. */
  gridCodes?: readonly string[];
  /** dept_staff: their department (责任单位). */
  departmentId?: number | null;
  password: string;
}

/** Invalid account data: a 400 naming the field. */
export class UserProblem extends DomainError {
  constructor(
    readonly field: string,
    readonly reason: string,
    status: 400 | 409 = 400,
    title = '请求参数无效',
  ) {
    super(status, title, `${field}：${reason}`, { errors: [{ field, reason }] });
  }
}

/** The username, in any case, belongs to somebody already: 409. */
export class UsernameTaken extends UserProblem {
  constructor(wanted: string, existing: string) {
    super('username', wanted === existing ? `用户名 ${wanted} 已存在` : `用户名 ${wanted} 与已有的 ${existing} 相同（用户名不区分大小写）`, 409, '用户名已存在');
  }
}

export interface UserAccount {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  jurisdictionCode: string | null;
  gridCodes: string[];
  departmentId: number | null;
  createdAt: string;
  /** Sessions signed in and neither expired nor revoked. */
  activeSessions: number;
  lastSeenAt: string | null;
}

export async function validateUser(db: DbHandle, user: Omit<NewUser, 'password'>): Promise<void> {
  if (!/^[A-Za-z0-9_.-]{2,50}$/.test(user.username)) throw new UserProblem('username', '用户名为 2–50 位字母、数字、下划线、点或连字符');
  if (!ROLES.includes(user.role)) throw new UserProblem('role', `角色应为 ${ROLES.join('、')}`);
  if (user.role === 'planner' || user.role === 'dispatcher') {
    const who = user.role === 'planner' ? '规划员' : '受理员/指挥员';
    if (!user.jurisdictionCode || !/^\d{9}(\d{3})?$/.test(user.jurisdictionCode)) throw new UserProblem('jurisdictionCode', `${who}须指定辖区：9 位街道代码或 12 位社区代码`);
    const [region] = await db.rows<{ code: string }>(sql`SELECT code FROM regions WHERE code = ${user.jurisdictionCode} AND level IN ('street', 'community')`);
    if (!region) throw new UserProblem('jurisdictionCode', `辖区 ${user.jurisdictionCode} 不存在`);
  }
  if (user.role === 'grid_worker') {
    const codes = [...new Set(user.gridCodes ?? [])];
    if (codes.length === 0) throw new UserProblem('gridCodes', '网格员须绑定至少一个网格（15 位网格编码）');
    if (codes.length > 50) throw new UserProblem('gridCodes', '一名网格员最多绑定 50 个网格');
    const bad = codes.find((c) => !/^\d{15}$/.test(c));
    if (bad !== undefined) throw new UserProblem('gridCodes', `网格编码 ${bad} 应为 15 位数字`);
    const found = await db.rows<{ code: string }>(
      sql`SELECT code FROM grids WHERE code IN (${sql.join(
        codes.map((c) => sql`${c}`),
        sql`, `,
      )})`,
    );
    const missing = codes.filter((c) => !found.some((f) => f.code === c));
    if (missing.length > 0) throw new UserProblem('gridCodes', `网格 ${missing.join('、')} 不存在`);
  }
  if (user.role === 'dept_staff') {
    if (user.departmentId === null || user.departmentId === undefined) throw new UserProblem('departmentId', '处置人员须指定所属责任单位');
    const [dept] = await db.rows(sql`SELECT 1 FROM departments WHERE id = ${user.departmentId}`);
    if (!dept) throw new UserProblem('departmentId', `责任单位 ${user.departmentId} 不存在`);
  }
}

/** Only the binding of the account's role is kept: a planner has no grids, a grid worker no department. */
const bindings = (user: Omit<NewUser, 'password' | 'username' | 'displayName'>) => ({
  jurisdictionCode: user.role === 'planner' || user.role === 'dispatcher' ? (user.jurisdictionCode ?? null) : null,
  gridCodes: user.role === 'grid_worker' ? [...new Set(user.gridCodes ?? [])] : [],
  departmentId: user.role === 'dept_staff' ? (user.departmentId ?? null) : null,
});

/** Replaces a user's grid bindings (inside the caller's transaction). */
async function setUserGrids(tx: Executor, userId: number, gridCodes: readonly string[]): Promise<void> {
  await executeRows(tx, sql`DELETE FROM user_grids WHERE user_id = ${userId}`);
  if (gridCodes.length === 0) return;
  await executeRows(
    tx,
    sql`INSERT INTO user_grids (user_id, grid_id) SELECT ${userId}, id FROM grids WHERE code IN (${sql.join(
      gridCodes.map((c) => sql`${c}`),
      sql`, `,
    )})`,
  );
}

const sameName = async (db: DbHandle, username: string) => (await db.rows<{ username: string }>(sql`SELECT username FROM users WHERE lower(username) = lower(${username})`))[0]?.username;

const isUniqueViolation = (e: unknown) => {
  for (let x = e as { code?: string; cause?: unknown } | undefined, depth = 0; x && depth < 4; x = x.cause as typeof x, depth++) if (x.code === '23505') return true;
  return false;
};

export async function createUser(db: DbHandle, user: NewUser): Promise<number> {
  await validateUser(db, user);
  const weak = passwordProblem(user.password);
  if (weak) throw new UserProblem('password', weak);
  const existing = await sameName(db, user.username);
  if (existing) throw new UsernameTaken(user.username, existing);
  const hash = await hashPassword(user.password);
  const bound = bindings(user);
  try {
    return await db.db.transaction(async (tx) => {
      const [row] = await executeRows<{ id: number }>(
        tx,
        sql`
        INSERT INTO users (username, display_name, role, jurisdiction_code, department_id, password_hash)
        VALUES (${user.username}, ${user.displayName}, ${user.role}, ${bound.jurisdictionCode}, ${bound.departmentId}, ${hash})
        RETURNING id`,
      );
      await setUserGrids(tx, row!.id, bound.gridCodes);
      return row!.id;
    });
  } catch (e) {
    // Created by someone else between the check and the insert.
    if (isUniqueViolation(e)) throw new UsernameTaken(user.username, (await sameName(db, user.username)) ?? user.username);
    throw e;
  }
}

export async function listUsers(db: DbHandle): Promise<UserAccount[]> {
  const rows = await db.rows<SessionUserRow & { created_at: Date | string; active: number; last_seen: Date | string | null }>(sql`
    SELECT ${SESSION_USER_COLUMNS}, u.created_at,
           count(s.id)::int AS active, max(s.last_seen_at) AS last_seen
    FROM users u LEFT JOIN sessions s ON s.user_id = u.id AND s.revoked_at IS NULL AND s.expires_at > now()
    GROUP BY u.id ORDER BY u.id`);
  return rows.map((r) => ({
    ...toSessionUser(r),
    gridCodes: [...toSessionUser(r).gridCodes],
    createdAt: new Date(r.created_at).toISOString(),
    activeSessions: r.active,
    lastSeenAt: r.last_seen === null ? null : new Date(r.last_seen).toISOString(),
  }));
}

export interface UserChange {
  displayName?: string;
  role?: Role;
  jurisdictionCode?: string | null;
  gridCodes?: readonly string[];
  departmentId?: number | null;
  password?: string;
}

/**
 * Role and jurisdiction changes apply to the user's next request (sessions read the
 * user live); a new password also ends every session of the user, in the same transaction.
 */
export async function updateUser(db: DbHandle, id: number, change: UserChange): Promise<{ id: number; revokedSessions: number }> {
  const [row] = await db.rows<SessionUserRow>(sql`SELECT ${SESSION_USER_COLUMNS} FROM users u WHERE u.id = ${id}`);
  if (!row) throw new NotFoundError(`用户 ${id} 不存在`);
  const current = toSessionUser(row);
  const next = {
    username: current.username,
    displayName: change.displayName ?? current.displayName,
    role: change.role ?? current.role,
    jurisdictionCode: change.jurisdictionCode === undefined ? current.jurisdictionCode : change.jurisdictionCode,
    gridCodes: change.gridCodes ?? current.gridCodes,
    departmentId: change.departmentId === undefined ? current.departmentId : change.departmentId,
  };
  await validateUser(db, next);
  if (change.password !== undefined) {
    const weak = passwordProblem(change.password);
    if (weak) throw new UserProblem('password', weak);
  }
  const hash = change.password !== undefined ? await hashPassword(change.password) : null;
  const bound = bindings(next);
  const result = await db.db.transaction(async (tx) => {
    await executeRows(
      tx,
      sql`
      UPDATE users SET display_name = ${next.displayName}, role = ${next.role},
             jurisdiction_code = ${bound.jurisdictionCode}, department_id = ${bound.departmentId},
             password_hash = coalesce(${hash}, password_hash)
      WHERE id = ${id}`,
    );
    await setUserGrids(tx, id, bound.gridCodes);
    return { id, revokedSessions: hash === null ? 0 : await revokeUserSessions(tx, id) };
  });
  // After the commit: a tile request's memo read during the transaction saw the old role and bindings.
  sessionsChanged();
  return result;
}

/** Deleting an account ends its sessions with it (ON DELETE CASCADE). */
export async function deleteUser(db: DbHandle, id: number, actorId: number | undefined): Promise<{ id: number }> {
  if (actorId === id) throw new DomainError(409, '不能删除自己', '请由其他管理员删除此账号');
  const rows = await db.rows(sql`DELETE FROM users WHERE id = ${id} RETURNING id`);
  if (rows.length === 0) throw new NotFoundError(`用户 ${id} 不存在`);
  sessionsChanged();
  return { id };
}

/** An admin's 强制下线: every session of the user ends now. */
export async function signOutEverywhere(db: DbHandle, id: number): Promise<{ id: number; revoked: number }> {
  const [user] = await db.rows(sql`SELECT 1 FROM users WHERE id = ${id}`);
  if (!user) throw new NotFoundError(`用户 ${id} 不存在`);
  return { id, revoked: await revokeUserSessions(db.db, id) };
}

/** First start: ADMIN_USERNAME / ADMIN_PASSWORD create the first admin when there is none. */
export async function ensureFirstAdmin(db: DbHandle, env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = () => {}): Promise<void> {
  const [admin] = await db.rows(sql`SELECT 1 FROM users WHERE role = 'admin' LIMIT 1`);
  if (admin || !env.ADMIN_USERNAME || !env.ADMIN_PASSWORD) return;
  await createUser(db, { username: env.ADMIN_USERNAME, displayName: '系统管理员', role: 'admin', password: env.ADMIN_PASSWORD });
  log(`已创建管理员账号 ${env.ADMIN_USERNAME}`);
}

/** Demo accounts for the sample data only (data/sampleAccounts.ts, listed in README); never created for real data. */
export const SAMPLE_PASSWORD = 'dangjian-demo-2026';
export const SAMPLE_USERS: readonly SampleAccount[] = SAMPLE_ACCOUNTS;

/** Creates the missing demo accounts (a 处置人员's department found by its sample code) and links the sample's cases to them. */
export async function ensureSampleUsers(db: DbHandle): Promise<void> {
  for (const { departmentCode, ...user } of SAMPLE_USERS) {
    if (await sameName(db, user.username)) continue;
    let departmentId: number | null = null;
    if (departmentCode !== undefined) {
      const [dept] = await db.rows<{ id: number }>(sql`SELECT id FROM departments WHERE code = ${departmentCode}`);
      if (!dept) continue; // the sample's departments were removed by an admin: no account to bind
      departmentId = dept.id;
    }
    await createUser(db, { ...user, departmentId, password: SAMPLE_PASSWORD });
  }
  // Their cases in the sample (data/desk.ts) refer to them by username: now by id too.
  await linkSampleAccounts(db);
  // Patrols and visits of the grid workers (data/fieldSample.ts), once.
  await loadFieldSample(db);
}
