/**
 * A PostGIS database holding a scale-mode sample, reused between runs while the
 * requested size and the generator stay the same.
 */
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { openDatabase, type DbHandle } from '../../db/client';
import { loadDataset } from '../../data/load';
import { generateSample } from '../../data/sample';

export const DEFAULT_SERVER_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export async function benchDatabase(grids: number, incidents: number, serverUrl = process.env.DATABASE_URL ?? DEFAULT_SERVER_URL): Promise<DbHandle> {
  // Keyed by size: a different incident count is a different database (kept between runs).
  const name = incidents === 10_000 ? `dangjian_bench_${grids}` : `dangjian_bench_${grids}_${incidents}`;
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  if (!exists) await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const handle = await openDatabase({ databaseUrl: withDatabase(serverUrl, name), poolSize: 16 });
  const [row] = await handle.rows<{ value: { options?: { grids: number; incidents: number } } }>(sql`SELECT value FROM meta WHERE key = 'dataset'`);
  if (row?.value.options?.grids !== grids || row.value.options.incidents !== incidents) {
    const t0 = Date.now();
    process.stdout.write(`preparing ${name}: generating ${grids} grids… `);
    const data = generateSample({ grids, incidents, seed: 450902 });
    process.stdout.write(`loading… `);
    await loadDataset(handle, data);
    console.log(`${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  return handle;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
