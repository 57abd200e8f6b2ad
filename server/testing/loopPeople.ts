/**
 * People and places of the closed loop for tests: departments, one account of every
 * role bound to real grids of the sample (two grid workers on the same grid, one on
 * a neighbouring grid of the community, one in another street; dispatchers of both
 * streets; staff of three departments), written to the database so their ids are the
 * ones the loop records. Tests only.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import type { Role, SessionUser } from '../../kernel/roles';
import { postJsonAs } from './requestAs';

export interface LoopPeople {
  grid: string;
  neighbourGrid: string;
  farGrid: string;
  street: string;
  farStreet: string;
  departments: { cg: number; zj: number; sj: number };
  users: Record<'dispatcher' | 'farDispatcher' | 'gw1' | 'gw2' | 'gwNeighbour' | 'gwFar' | 'staffCg' | 'staffZj' | 'staffSj' | 'leader' | 'analyst' | 'planner' | 'admin', SessionUser>;
}

async function user(db: DbHandle, tag: string, username: string, role: Role, binding: { jurisdictionCode?: string; gridCodes?: string[]; departmentId?: number } = {}): Promise<SessionUser> {
  const name = `${tag}-${username}`;
  const [row] = await db.rows<{ id: number }>(sql`
    INSERT INTO users (username, display_name, role, jurisdiction_code, department_id)
    VALUES (${name}, ${`测试${username}`}, ${role}, ${binding.jurisdictionCode ?? null}, ${binding.departmentId ?? null}) RETURNING id`);
  const id = Number(row!.id);
  for (const code of binding.gridCodes ?? []) await db.db.execute(sql`INSERT INTO user_grids (user_id, grid_id) SELECT ${id}, id FROM grids WHERE code = ${code}`);
  return { id, username: name, displayName: `测试${username}`, role, jurisdictionCode: binding.jurisdictionCode ?? null, gridCodes: binding.gridCodes ?? [], departmentId: binding.departmentId ?? null };
}

/** `tag` keeps usernames and department codes apart between suites sharing a database. */
export async function loopPeople(db: DbHandle, tag: string): Promise<LoopPeople> {
  const [a] = await db.rows<{ code: string; community_code: string; street_code: string }>(sql`
    SELECT g.code, g.community_code, g.street_code FROM grids g
    WHERE (SELECT count(*) FROM grids h WHERE h.community_code = g.community_code) >= 2 ORDER BY g.code LIMIT 1`);
  const [b] = await db.rows<{ code: string }>(sql`SELECT code FROM grids WHERE community_code = ${a!.community_code} AND code <> ${a!.code} ORDER BY code LIMIT 1`);
  const [far] = await db.rows<{ code: string; street_code: string }>(sql`SELECT code, street_code FROM grids WHERE street_code <> ${a!.street_code} ORDER BY code LIMIT 1`);
  const dept = async (code: string, name: string) => Number((await db.rows<{ id: number }>(sql`INSERT INTO departments (code, name, level) VALUES (${`${tag}-${code}`}, ${name}, 'street') RETURNING id`))[0]!.id);
  const departments = { cg: await dept('cg', '城管'), zj: await dept('zj', '住建'), sj: await dept('sj', '市场监管') };
  const street = a!.street_code;
  const farStreet = far!.street_code;
  return {
    grid: a!.code,
    neighbourGrid: b!.code,
    farGrid: far!.code,
    street,
    farStreet,
    departments,
    users: {
      dispatcher: await user(db, tag, 'dispatcher', 'dispatcher', { jurisdictionCode: street }),
      farDispatcher: await user(db, tag, 'far-dispatcher', 'dispatcher', { jurisdictionCode: farStreet }),
      gw1: await user(db, tag, 'gw1', 'grid_worker', { gridCodes: [a!.code] }),
      gw2: await user(db, tag, 'gw2', 'grid_worker', { gridCodes: [a!.code] }),
      gwNeighbour: await user(db, tag, 'gw-neighbour', 'grid_worker', { gridCodes: [b!.code] }),
      gwFar: await user(db, tag, 'gw-far', 'grid_worker', { gridCodes: [far!.code] }),
      staffCg: await user(db, tag, 'staff-cg', 'dept_staff', { departmentId: departments.cg }),
      staffZj: await user(db, tag, 'staff-zj', 'dept_staff', { departmentId: departments.zj }),
      staffSj: await user(db, tag, 'staff-sj', 'dept_staff', { departmentId: departments.sj }),
      leader: await user(db, tag, 'leader', 'leader'),
      analyst: await user(db, tag, 'analyst', 'analyst'),
      planner: await user(db, tag, 'planner', 'planner', { jurisdictionCode: street }),
      admin: await user(db, tag, 'admin', 'admin'),
    },
  };
}

/** A report by `reporter` in `grid` through POST /api/incidents; answers its id. */
export async function reportAs(db: DbHandle, reporter: SessionUser, grid: string, description = '测试事件'): Promise<number> {
  const res = await postJsonAs(db, reporter, '/api/incidents', { gridCode: grid, category: 'SR01', source: 'grid', description });
  if (res.status !== 201) throw new Error(`report failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: number }).id;
}

/** POST an action; answers status and body. */
export async function actAs(db: DbHandle, u: SessionUser, id: number, body: Record<string, unknown>) {
  const res = await postJsonAs(db, u, `/api/incidents/${id}/actions`, body);
  // biome-ignore lint/suspicious/noExplicitAny: tests read answers and problems field by field
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}
