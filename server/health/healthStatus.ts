/**
 * What GET /api/health reports: the engine and its capabilities, the PostGIS
 * version, how many grids are loaded, and whether the README's demo accounts
 * exist (only ever true for the sample data set), so the sign-in page can point to them.
 */
import { sql } from 'drizzle-orm';
import type { Capabilities, DbHandle, EngineKind } from '../../db/client';

export interface HealthStatus {
  status: 'ok';
  engine: EngineKind;
  postgis: string | null;
  grids: number;
  capabilities: Capabilities;
  sampleAccounts: boolean;
}

export async function healthStatus(db: DbHandle): Promise<HealthStatus> {
  const [row] = await db.rows<{ postgis: string; grids: number; sample: boolean | null; demo_users: boolean }>(sql`
    SELECT postgis_lib_version() AS postgis, (SELECT count(*)::int FROM grids) AS grids,
           (SELECT (value->>'sample')::boolean FROM meta WHERE key = 'dataset') AS sample,
           EXISTS (SELECT 1 FROM users WHERE username = 'admin' AND display_name LIKE '%示例%') AS demo_users`);
  return {
    status: 'ok',
    engine: db.kind,
    postgis: row?.postgis ?? null,
    grids: row?.grids ?? 0,
    capabilities: db.capabilities,
    sampleAccounts: Boolean(row?.sample && row.demo_users),
  };
}
