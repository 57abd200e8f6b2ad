/**
 * Which communities a region code covers, for the party-service tables that carry a
 * 12-digit community code: a 6-digit city/district, a 9-digit street, a 12-digit
 * community — all by prefix (the city's 4-digit prefix, as the screen's scope does).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { levelOf } from '../screen/scope';
import { PartyServiceProblem } from './errors';

export const REGION_PATTERN = /^(\d{6}|\d{9}|\d{12})$/;

/** The LIKE prefix of the communities of `code`. */
export function communityPrefix(code: string): string {
  return levelOf(code) === 'city' ? code.slice(0, 4) : code;
}

/** `column LIKE prefix%` for a community-code column. */
export const inRegion = (column: SQL, code: string): SQL => sql`${column} LIKE ${`${communityPrefix(code)}%`}`;

/** 404 unless the region exists; 422 unless it is a community when one is needed. */
export async function requireRegion(db: DbHandle, code: string, field: string, communityOnly = false): Promise<{ code: string; name: string; level: string }> {
  const [r] = await db.rows<{ code: string; name: string; level: string }>(sql`SELECT code, name, level::text AS level FROM regions WHERE code = ${code}`);
  if (!r) throw new PartyServiceProblem(404, field, `区域 ${code} 不存在`);
  if (communityOnly && r.level !== 'community') throw new PartyServiceProblem(422, field, `${code} 不是社区编码（应为 12 位社区代码）`);
  return r;
}
