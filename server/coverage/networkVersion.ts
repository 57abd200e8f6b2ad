/**
 * The road network's version (meta key 'network_version'). Cached isochrones
 * carry the version they were computed on; bumping it makes them stale.
 */
import { sql } from 'drizzle-orm';
import type { Database, DbHandle } from '../../db/client';
import { executeRows } from '../../db/client';

/** The current version as a scalar SQL expression (0 before the first bump), for statements built without awaiting. */
export const networkVersionSql = sql`coalesce((SELECT (value #>> '{}')::int FROM meta WHERE key = 'network_version'), 0)`;

export async function currentNetworkVersion(db: DbHandle): Promise<number> {
  const [row] = await db.rows<{ version: number }>(sql`SELECT ${networkVersionSql} AS version`);
  return Number(row?.version ?? 0);
}

/** Call in the same transaction that changes road_nodes/road_edges. Returns the new version. */
export async function bumpNetworkVersion(tx: Database): Promise<number> {
  const [row] = await executeRows<{ version: number }>(
    tx,
    sql`INSERT INTO meta (key, value) VALUES ('network_version', '1'::jsonb)
        ON CONFLICT (key) DO UPDATE SET value = to_jsonb(coalesce((meta.value #>> '{}')::int, 0) + 1)
        RETURNING (value #>> '{}')::int AS version`,
  );
  return row!.version;
}
