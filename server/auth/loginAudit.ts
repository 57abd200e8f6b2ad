/**
 * Failed and refused sign-ins in the audit log, with the username that was tried and
 * the client address (the request's own audit row cannot know the name: nobody is
 * signed in). Admins find them under 对象 auth; a failed write never blocks the answer.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';

export async function auditFailedLogin(db: DbHandle, attempt: { username: string; address: string; status: 401 | 429; reason: string }): Promise<void> {
  const username = attempt.username.slice(0, 50);
  try {
    await db.rows(sql`
      INSERT INTO audit_log (actor, action, entity, entity_id, ip, detail)
      VALUES ('(登录尝试)', 'LOGIN_FAILED', 'auth', ${username}, ${attempt.address},
              ${JSON.stringify({ status: attempt.status, username, reason: attempt.reason })}::jsonb)`);
  } catch (e) {
    console.error('audit log write failed:', (e as Error).message);
  }
}
