/** The session-signing secret: SESSION_SECRET, or one generated once and kept in the database. */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { newSecret } from './sessionToken';

export async function loadSessionSecret(db: DbHandle, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.SESSION_SECRET && env.SESSION_SECRET.length >= 32) return env.SESSION_SECRET;
  const candidate = JSON.stringify(newSecret());
  await db.rows(sql`INSERT INTO meta (key, value) VALUES ('session_secret', ${candidate}::jsonb) ON CONFLICT (key) DO NOTHING`);
  const [row] = await db.rows<{ value: string }>(sql`SELECT value FROM meta WHERE key = 'session_secret'`);
  return row!.value;
}
