import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import type { AppEnv } from '../appEnv';

export const healthRoute = new Hono<AppEnv>().get('/', async (c) => {
  const [row] = await c.var.db.rows<{ postgis: string; grids: number }>(sql`SELECT postgis_lib_version() AS postgis, (SELECT count(*)::int FROM grids) AS grids`);
  return c.json({ status: 'ok' as const, engine: c.var.db.kind, postgis: row?.postgis ?? null, grids: row?.grids ?? 0, capabilities: c.var.db.capabilities });
});
