/**
 * One database interface over two engines:
 *  - embedded: PGlite + PostGIS (WASM) persisted in a data folder — the zero-setup default;
 *  - postgis:  node-postgres Pool against a real PostgreSQL/PostGIS server (DATABASE_URL).
 * Both run the same drizzle migrations and the same queries. Where the engines differ
 * (ST_AsMVT, pgRouting) callers branch on `capabilities`, never on connection details.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema';

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
export type EngineKind = 'embedded' | 'postgis';

export interface Capabilities {
  /** ST_AsMVT needs PostGIS built with protobuf; the WASM build has none. */
  mvt: boolean;
  pgRouting: boolean;
}

export interface DbHandle {
  kind: EngineKind;
  db: Database;
  capabilities: Capabilities;
  /** Runs a raw SQL statement and returns its rows as plain objects. */
  rows<T = Record<string, unknown>>(query: SQL): Promise<T[]>;
  close(): Promise<void>;
  /** postgres:// URL (server engine), for tools such as pg_dump. */
  url?: string;
  /** The embedded engine's whole data folder as a gzipped tarball (backups). */
  dumpDataDir?(): Promise<Blob>;
}

const here = dirname(fileURLToPath(import.meta.url));
export const migrationsFolder = resolve(here, 'migrations');
export const defaultEmbeddedDir = resolve(here, '../data/db/pglite');

export interface OpenOptions {
  /** postgres:// URL; when absent the embedded engine is used. */
  databaseUrl?: string;
  /** Folder for the embedded engine's files; ':memory:' keeps them in memory. */
  embeddedDir?: string;
  /** Connection pool size for the server engine. */
  poolSize?: number;
}

export async function openDatabase(options: OpenOptions = {}): Promise<DbHandle> {
  const handle = options.databaseUrl ? await openPostgis(options.databaseUrl, options.poolSize ?? 10) : await openEmbedded(options.embeddedDir ?? defaultEmbeddedDir);
  return handle;
}

/** Anything that runs SQL: the database or a transaction inside it. */
export type Executor = Pick<Database, 'execute'>;

/** Rows of a drizzle `execute` result; node-postgres and PGlite both expose `.rows`. */
export async function executeRows<T>(db: Executor, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** Creates an embedded database folder from a backup tarball (see server/maintenance/backup.ts). */
export async function restoreEmbedded(dir: string, tarball: Blob): Promise<void> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { postgis } = await import('@electric-sql/pglite-postgis');
  mkdirSync(dir, { recursive: true });
  const client = new PGlite(dir, { extensions: { postgis }, loadDataDir: tarball });
  await client.waitReady;
  await client.close();
}

async function openEmbedded(dir: string): Promise<DbHandle> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { postgis } = await import('@electric-sql/pglite-postgis');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  if (dir !== ':memory:') mkdirSync(dir, { recursive: true });
  const client = new PGlite(dir === ':memory:' ? undefined : dir, { extensions: { postgis } });
  await client.waitReady;
  const db = drizzle(client, { schema }) as unknown as Database;
  await migrate(db as never, { migrationsFolder });
  return {
    kind: 'embedded',
    db,
    capabilities: { mvt: false, pgRouting: false },
    rows: (query) => executeRows(db, query),
    close: () => client.close(),
    dumpDataDir: async () => (await client.dumpDataDir('gzip')) as Blob,
  };
}

async function openPostgis(url: string, poolSize: number): Promise<DbHandle> {
  const pg = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { migrate } = await import('drizzle-orm/node-postgres/migrator');
  // A bounded connect timeout: while the server is down requests fail fast (503) instead of hanging.
  // JIT off: PostGIS functions carry high cost estimates, so PostgreSQL JIT-compiles small
  // spatial queries and spends ~100 ms compiling what runs in 1 ms.
  const pool = new pg.default.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5000, options: '-c jit=off' });
  // An idle client losing its server (restart) must not crash the process.
  pool.on('error', () => {});
  const db = drizzle(pool, { schema }) as unknown as Database;
  await migrate(db as never, { migrationsFolder });
  const pgRouting = await pool
    .query('CREATE EXTENSION IF NOT EXISTS pgrouting')
    .then(() => true)
    .catch(() => false);
  return {
    kind: 'postgis',
    db,
    capabilities: { mvt: true, pgRouting },
    rows: (query) => executeRows(db, query),
    close: () => pool.end(),
    url,
  };
}

/** `db` with its queries (rows, db.transaction → savepoints) running inside the transaction `tx`. */
export function boundToTransaction(db: DbHandle, tx: Parameters<Parameters<Database['transaction']>[0]>[0]): DbHandle {
  return { ...db, db: tx as unknown as Database, rows: (query) => executeRows(tx, query) };
}
