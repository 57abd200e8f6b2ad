/** Why: figures, scorecards and briefings default to the city — the root of the region tree. */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { NotFoundError } from '../http/domainError';

export async function rootRegionCode(db: DbHandle): Promise<string> {
  const [root] = await db.rows<{ code: string }>(sql`SELECT code FROM regions WHERE parent_code IS NULL ORDER BY code LIMIT 1`);
  if (!root) throw new NotFoundError('数据库中没有区划数据');
  return root.code;
}
