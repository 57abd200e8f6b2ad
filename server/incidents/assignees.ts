/**
 * Whom an incident can be dispatched (派遣/改派) or whistled (吹哨) to: the active
 * departments — those the category map names for its category first — and the grid
 * workers of its community — those bound to its own grid first. The reporter is not
 * offered (报办分离). Readers only: the same read rule as the detail.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import type { SessionUser } from '../../kernel/roles';
import { NotFoundError } from '../http/domainError';
import { assertMayReadIncident } from './incidentAccess';

export async function assigneesFor(db: DbHandle, id: number, reader: SessionUser) {
  await assertMayReadIncident(db, reader, id);
  const [inc] = await db.rows<{ category_code: string; grid_code: string | null; community_code: string | null; reporter_user_id: number | null }>(
    sql`SELECT category_code, grid_code, community_code, reporter_user_id FROM incidents WHERE id = ${id}`,
  );
  if (!inc) throw new NotFoundError(`事件 ${id} 不存在`);
  const departments = await db.rows<{ id: number; code: string; name: string; level: string; default: boolean }>(sql`
    SELECT d.id, d.code, d.name, d.level::text AS level, (cd.department_id IS NOT NULL) AS "default"
    FROM departments d LEFT JOIN category_departments cd ON cd.department_id = d.id AND cd.category_code = ${inc.category_code}
    WHERE d.active ORDER BY (cd.department_id IS NULL), d.name, d.id`);
  const gridWorkers = await db.rows<{ id: number; username: string; display_name: string; grid_codes: string[] | string; own_grid: boolean }>(sql`
    SELECT u.id, u.username, u.display_name, array_agg(g.code ORDER BY g.code) AS grid_codes, bool_or(g.code = ${inc.grid_code}) AS own_grid
    FROM users u JOIN user_grids ug ON ug.user_id = u.id JOIN grids g ON g.id = ug.grid_id
    WHERE u.role = 'grid_worker' AND g.community_code = ${inc.community_code} AND u.id IS DISTINCT FROM ${inc.reporter_user_id}
    GROUP BY u.id ORDER BY bool_or(g.code = ${inc.grid_code}) DESC, u.display_name, u.id`);
  return {
    departments: departments.map((d) => ({ id: Number(d.id), code: d.code, name: d.name, level: d.level, default: d.default })),
    gridWorkers: gridWorkers.map((u) => ({
      id: Number(u.id),
      username: u.username,
      name: u.display_name,
      gridCodes: Array.isArray(u.grid_codes) ? u.grid_codes : u.grid_codes.replace(/^\{|\}$/g, '').split(','),
      ownGrid: u.own_grid,
    })),
  };
}
