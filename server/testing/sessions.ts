/**
 * Signed-in sessions for stand-in principals in tests: the user is written to the
 * users table (without a password, so nobody can sign in as it) and given a real
 * server-side session, exactly what a sign-in would create.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import type { SessionUser } from '../../kernel/roles';
import { createSession } from '../auth/sessions';

/** A Bearer/cookie token for `user` (matched by username; role, name and jurisdiction updated). */
export async function sessionFor(db: DbHandle, user: SessionUser): Promise<string> {
  const [row] = await db.rows<{ id: number }>(sql`
    INSERT INTO users (username, display_name, role, jurisdiction_code)
    VALUES (${user.username}, ${user.displayName}, ${user.role}, ${user.jurisdictionCode})
    ON CONFLICT ((lower(username))) DO UPDATE
      SET display_name = EXCLUDED.display_name, role = EXCLUDED.role, jurisdiction_code = EXCLUDED.jurisdiction_code
    RETURNING id`);
  return createSession(db, row!.id, null);
}
