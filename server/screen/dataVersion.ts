/**
 * The data version: a number that changes with every commit that wrote grids,
 * regions, service centres, incidents or isochrones (statement triggers, migration
 * 0010_data_changes_triggers), whoever wrote them — editor, import, API, SQL, another
 * process. The summary cache (summaryCache.ts) keeps an answer while it is unchanged.
 *
 * Exactness: the version is read *before* a cached figure is computed, so an
 * answer is never labelled newer than its data; a request only joins a probe that
 * started after the request arrived, so it sees every commit that finished before.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';

/** Rows of data_changes beyond which a probe folds them into one (keeps the sum cheap). */
const FOLD_ABOVE = 256;

async function readVersion(db: DbHandle): Promise<number> {
  const [row] = await db.rows<{ version: string | number; rows: number }>(sql`SELECT coalesce(sum(weight), 0)::bigint AS version, count(*)::int AS rows FROM data_changes`);
  if (Number(row?.rows ?? 0) > FOLD_ABOVE) await foldChanges(db);
  return Number(row?.version ?? 0);
}

/**
 * Replaces the committed rows by one carrying their total weight, in one statement:
 * the sum never changes. A concurrent fold deletes a disjoint set (a row deleted by
 * one is skipped by the other), and uncommitted rows are neither seen nor removed.
 */
export async function foldChanges(db: DbHandle): Promise<void> {
  await db.rows(sql`
    WITH gone AS (DELETE FROM data_changes RETURNING weight)
    INSERT INTO data_changes (weight) SELECT sum(weight) FROM gone HAVING count(*) > 0`);
}

export interface VersionProbe {
  /** The data version as of some moment after this call. */
  read(): Promise<number>;
}

/**
 * Probes shared by concurrent requests: while one probe runs, everyone arriving
 * waits for the next, which starts when it ends — one query per round trip, however
 * many requests, and none answered from a probe older than itself.
 */
export function versionProbe(db: DbHandle): VersionProbe {
  let running: Promise<number> | null = null;
  let queued: Promise<number> | null = null;
  const start = (): Promise<number> => {
    const p = readVersion(db).finally(() => {
      if (running === p) running = null;
    });
    running = p;
    return p;
  };
  return {
    read() {
      if (!running) return start();
      if (!queued) {
        const after = running;
        queued = after
          .then(
            () => undefined,
            () => undefined,
          )
          .then(() => {
            queued = null;
            return start();
          });
      }
      return queued;
    },
  };
}
