/**
 * npm run user -- create --username wang --name 王某 --role planner --jurisdiction 450902005 --password '…'
 * npm run user -- create --username li --name 李某 --role grid_worker --grids 450902005001001,450902005001002 --password '…'
 * npm run user -- create --username zhao --name 赵某 --role dept_staff --department CG-YZ --password '…'   (code or id)
 * npm run user -- create --username qian --name 钱某 --role dispatcher --jurisdiction 450902005 --password '…'
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
  options: {
    username: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string' },
    jurisdiction: { type: 'string' },
    grids: { type: 'string' },
    department: { type: 'string' },
    password: { type: 'string' },
  },
});
const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL, embeddedDir: process.env.PGLITE_DIR });
try {
  if (command === 'create') {
    // --department takes a department code or id.
    let departmentId: number | null = null;
    if (values.department) {
      const [dept] = await db.rows<{ id: number }>(sql`SELECT id FROM departments WHERE code = ${values.department} OR id::text = ${values.department}`);
      if (!dept) throw new UserProblem('departmentId', `责任单位 ${values.department} 不存在`);
      departmentId = Number(dept.id);
    }
    const id = await createUser(db, {
      gridCodes: values.grids
        ? values.grids
            .split(',')
            .map((g) => g.trim())
            .filter(Boolean)
        : [],
      departmentId,
      username: values.username ?? '',
      displayName: values.name ?? values.username ?? '',
      role: (values.role ?? '') as Role,
      jurisdictionCode: values.jurisdiction ?? null,
      password: values.password ?? '',
    });
    console.log(`created user ${values.username} (id ${id})`);
  } else if (command === 'list') {
    for (const u of await db.rows<{ id: number; username: string; role: string; jurisdiction_code: string | null; grids: string | null; department: string | null }>(
      sql`SELECT u.id, u.username, u.role, u.jurisdiction_code,
        (SELECT string_agg(g.code, ',' ORDER BY g.code) FROM user_grids ug JOIN grids g ON g.id = ug.grid_id WHERE ug.user_id = u.id) AS grids,
        (SELECT d.code FROM departments d WHERE d.id = u.department_id) AS department
      FROM users u ORDER BY u.id`,
    )) {
      console.log(`${u.id}\t${u.username}\t${u.role}\t${u.jurisdiction_code ?? u.grids ?? u.department ?? ''}`);
    }
  } else {
    console.error(
      'usage: npm run user -- create --username U --name N --role leader|planner|analyst|admin|grid_worker|dispatcher|dept_staff [--jurisdiction CODE] [--grids CODE,CODE] [--department CODE|ID] --password P | list',
    );
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
