import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import type { AppEnv } from '../appEnv';

export const healthRoute = new Hono<AppEnv>().get('/', async (c) => {
  const [row] = await c.var.db.rows<{ postgis: string; grids: number; sample: boolean | null; demo_users: boolean }>(sql`
    SELECT postgis_lib_version() AS postgis, (SELECT count(*)::int FROM grids) AS grids,
           (SELECT (value->>'sample')::boolean FROM meta WHERE key = 'dataset') AS sample,
           EXISTS (SELECT 1 FROM users WHERE username = 'admin' AND display_name LIKE '%示例%') AS demo_users`);
  return c.json({
    status: 'ok' as const,
    engine: c.var.db.kind,
    postgis: row?.postgis ?? null,
    grids: row?.grids ?? 0,
    capabilities: c.var.db.capabilities,
    // Lets the sign-in page point to the README's demo accounts; only ever true for sample data.
    sampleAccounts: Boolean(row?.sample && row.demo_users),
  });
});
