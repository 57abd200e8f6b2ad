/**
 * Server-side sessions. The cookie (or a Bearer header, for scripts) carries a random
 * 256-bit token; the `sessions` table keeps only its SHA-256, the user and the times.
 * Every request costs one primary-key lookup joined with the user, so what the server
 * knows now — signed out, revoked by an admin, password reset, account deleted
 * (ON DELETE CASCADE), role or jurisdiction changed — applies to the very next request.
 * Chosen over a per-user token version because sign-out must end one device's session
 * only, an admin can see and end sessions, and the role has to be read live anyway.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { executeRows, type DbHandle, type Executor } from '../../db/client';
import type { SessionUser } from '../../kernel/roles';
import { sessionsChanged } from './sessionGeneration';
import { SESSION_USER_COLUMNS, toSessionUser, type SessionUserRow } from './sessionUser';

export const SESSION_COOKIE = 'dj_session';
export const SESSION_HOURS = 8;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('base64url');

/** Signs a user in: a new session, valid for SESSION_HOURS. Returns the token for the cookie. */
export async function createSession(db: DbHandle, userId: number, ip: string | null): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.db.transaction(async (tx) => {
    // Housekeeping on the user's own (indexed) rows keeps the table small.
    await executeRows(tx, sql`DELETE FROM sessions WHERE user_id = ${userId} AND (expires_at < now() OR revoked_at IS NOT NULL)`);
    await executeRows(
      tx,
      sql`
      INSERT INTO sessions (id, user_id, expires_at, ip)
      VALUES (${tokenHash(token)}, ${userId}, now() + make_interval(hours => ${SESSION_HOURS}), ${ip})`,
    );
  });
  return token;
}

/** The user behind a live session, as the users table says now; null for anything else. */
export async function readSession(db: DbHandle, token: string): Promise<SessionUser | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const id = tokenHash(token);
  const [row] = await db.rows<SessionUserRow & { stale: boolean }>(sql`
    SELECT ${SESSION_USER_COLUMNS}, s.last_seen_at < now() - interval '1 minute' AS stale
    FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE s.id = ${id} AND s.revoked_at IS NULL AND s.expires_at > now()`);
  if (!row) return null;
  // last_seen is for the admin's overview; written at most once a minute per session.
  if (row.stale) await db.rows(sql`UPDATE sessions SET last_seen_at = now() WHERE id = ${id}`);
  return toSessionUser(row);
}

/** Sign-out: ends this one session. */
export async function revokeSession(db: DbHandle, token: string): Promise<void> {
  if (!TOKEN_PATTERN.test(token)) return;
  await db.rows(sql`UPDATE sessions SET revoked_at = now() WHERE id = ${tokenHash(token)} AND revoked_at IS NULL`);
  sessionsChanged();
}

/** Sign-out everywhere (an admin's 强制下线, a password reset): how many live sessions ended. */
export async function revokeUserSessions(db: Executor, userId: number): Promise<number> {
  const rows = await executeRows<{ id: string }>(
    db,
    sql`
    UPDATE sessions SET revoked_at = now() WHERE user_id = ${userId} AND revoked_at IS NULL AND expires_at > now() RETURNING id`,
  );
  sessionsChanged();
  return rows.length;
}
