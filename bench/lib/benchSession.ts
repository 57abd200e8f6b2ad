/**
 * Why: HTTP benches go through the production access path — a real session cookie, read and
 * checked on every request — not the tests' stand-in user, which skips the session lookup and
 * so hid its cost. One bench account per database (a leader: reads everything), one session.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { createSession, SESSION_COOKIE } from '../../server/auth/sessions';
import { createUser } from '../../server/auth/users';

const USERNAME = 'bench-leader';

/** Request headers carrying a fresh session of the bench account. */
export async function benchSessionHeaders(db: DbHandle): Promise<Record<string, string>> {
  const [row] = await db.rows<{ id: number }>(sql`SELECT id FROM users WHERE username = ${USERNAME}`);
  const id = row?.id ?? (await createUser(db, { username: USERNAME, displayName: '基准测试', role: 'leader', password: 'bench-password-2026' }));
  return { cookie: `${SESSION_COOKIE}=${await createSession(db, Number(id), null)}` };
}
