/**
 * A users row as the SessionUser every request carries: one column list and one
 * mapping for sign-in and for each request's session lookup, so a binding added to
 * accounts (a grid worker's grids, a department) reaches both the same way.
 */
import { sql } from 'drizzle-orm';
import type { Role, SessionUser } from '../../kernel/roles';

/** Columns of `users u` (the alias is required) plus the grid worker's grid codes. */
export const SESSION_USER_COLUMNS = sql`u.id, u.username, u.display_name, u.role, u.jurisdiction_code, u.department_id,
  coalesce((SELECT array_agg(g.code ORDER BY g.code) FROM user_grids ug JOIN grids g ON g.id = ug.grid_id WHERE ug.user_id = u.id), '{}') AS grid_codes`;

export interface SessionUserRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  jurisdiction_code: string | null;
  department_id: number | null;
  grid_codes: string[] | string | null;
}

/** node-postgres parses varchar[] only for known types; a '{a,b}' literal is read by hand. */
const textArray = (value: string[] | string | null): string[] => {
  if (Array.isArray(value)) return value;
  if (!value || value === '{}') return [];
  return value.replace(/^\{|\}$/g, '').split(',');
};

export function toSessionUser(row: SessionUserRow): SessionUser {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    jurisdictionCode: row.jurisdiction_code,
    gridCodes: textArray(row.grid_codes),
    departmentId: row.department_id === null ? null : Number(row.department_id),
  };
}
