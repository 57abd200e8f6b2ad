/**
 * npm run user -- create --username wang --name 王某 --role planner --jurisdiction 450902005 --password '…'
 * npm run user -- list
 * Works on DATABASE_URL or the embedded database (stop the server first for embedded).
 */
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../db/client';
import type { Role } from '../../kernel/roles';
import { createUser, UserProblem } from './users';

const [command, ...rest] = process.argv.slice(2);
const { values } = parseArgs({
  args: rest,
  options: { username: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, jurisdiction: { type: 'string' }, password: { type: 'string' } },
});
const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL, embeddedDir: process.env.PGLITE_DIR });
try {
  if (command === 'create') {
    const id = await createUser(db, {
      username: values.username ?? '',
      displayName: values.name ?? values.username ?? '',
      role: (values.role ?? '') as Role,
      jurisdictionCode: values.jurisdiction ?? null,
      password: values.password ?? '',
    });
    console.log(`created user ${values.username} (id ${id})`);
  } else if (command === 'list') {
    for (const u of await db.rows<{ id: number; username: string; role: string; jurisdiction_code: string | null }>(sql`SELECT id, username, role, jurisdiction_code FROM users ORDER BY id`)) {
      console.log(`${u.id}\t${u.username}\t${u.role}\t${u.jurisdiction_code ?? ''}`);
    }
  } else {
    console.error('usage: npm run user -- create --username U --name N --role leader|planner|analyst|admin [--jurisdiction CODE] --password P | list');
    process.exitCode = 2;
  }
} catch (e) {
  if (e instanceof UserProblem) {
    console.error(`${e.field}: ${e.reason}`);
    process.exitCode = 2;
  } else throw e;
} finally {
  await db.close();
}
