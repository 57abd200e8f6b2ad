/**
 * Why: derived grid data — the generalised low-zoom areas and the rendered tiles in the
 * cache — must follow every grid write at once, and precisely. Every writer of the grids
 * table (the community-locked edit transaction, so also revert and renumber; the importer)
 * runs its transaction through gridWriteTransaction: after the work it reads what changed
 * from grid_versions (the trigger records each changed grid, before and after), refreshes
 * the areas in the same transaction and, once committed, tells the listeners (the tile
 * caches) which extents are stale. This is the one place where that happens.
 */
import { sql } from 'drizzle-orm';
import { executeRows, type DbHandle, type Executor } from '../../db/client';
import type { Bbox } from '../../kernel/bbox';
import { applyGridMoves } from '../buildings/impact';
import { currentStamp, measureTileContext, rebuildAreas, refreshAreaFigures, setTileContext, stampAreas } from '../tiles/generalise';

/** Stale extents (WGS84) per level of detail; `all` means everything (data reloaded). */
export interface GridChange {
  grid: Bbox[];
  community: Bbox[];
  street: Bbox[];
  all?: boolean;
}

type Listener = (change: GridChange) => void;
const listeners = new WeakMap<DbHandle, Set<Listener>>();

/** Called after every committed grid write on `handle` (tile caches subscribe). */
export function onGridWrite(handle: DbHandle, listener: Listener): () => void {
  const set = listeners.get(handle) ?? new Set<Listener>();
  listeners.set(handle, set);
  set.add(listener);
  return () => set.delete(listener);
}

function publish(handle: DbHandle, change: GridChange): void {
  for (const listener of listeners.get(handle) ?? []) listener(change);
}

/** After a committed write of the other grid levels or networks (server/grids/subGrids.ts, server/fusion): tiles of that extent are stale. */
export const publishGridChange = publish;

export interface GridWriteOptions {
  /** The write may move community outlines (imports): rebuild the touched areas' outlines, not only their figures. */
  outlines?: boolean;
}

/**
 * Runs `work` in one transaction; after it, derived data is brought up to date in the same
 * transaction and, on commit, listeners hear which extents changed. Throwing rolls back
 * everything, and nobody hears of it (dry runs).
 */
export async function gridWriteTransaction<T>(handle: DbHandle, work: (tx: Executor, mark: number) => Promise<T>, options: GridWriteOptions = {}): Promise<T> {
  await ensureAreas(handle);
  let change: GridChange | null = null;
  const result = await handle.db.transaction(async (tx) => {
    // No parallel plans or JIT for these small statements: PostGIS's high cost estimates make
    // the planner start parallel workers, each paying PostGIS's first-use setup (~100 ms+), and JIT-compile.
    const [mark] = await executeRows<{ id: number }>(tx, sql`SELECT coalesce(max(id), 0)::bigint AS id, set_config('max_parallel_workers_per_gather', '0', true), set_config('jit', 'off', true) FROM grid_versions`);
    const value = await work(tx, Number(mark?.id ?? 0));
    // Buildings and open incidents follow the grid containing their point (server/buildings/impact.ts).
    await applyGridMoves(tx, Number(mark?.id ?? 0));
    change = await changesSince(tx, Number(mark?.id ?? 0), options);
    return value;
  });
  if (change) publish(handle, change);
  return result;
}

/**
 * What the versions written since `mark` touched: their before/after extent, their communities,
 * and whether any figure the areas show (grid count, households, stars) can have moved. One
 * statement, which also re-stamps the areas as matching this data.
 */
async function changesSince(tx: Executor, mark: number, options: GridWriteOptions): Promise<GridChange> {
  const [row] = await executeRows<{ xmin: number | null; ymin: number; xmax: number; ymax: number; communities: string[] | null; figures: boolean | null }>(
    tx,
    sql`
    WITH v AS (SELECT grid_code, action, before_geom, after_geom, before_attrs, after_attrs FROM grid_versions WHERE id > ${mark}),
    e AS (SELECT ST_Extent(g) AS box FROM (SELECT before_geom AS g FROM v UNION ALL SELECT after_geom FROM v) x),
    stamped AS (
      INSERT INTO meta (key, value) SELECT 'grid_areas', jsonb_build_object('stamp', coalesce(max(id), 0)::text) FROM grid_versions
      ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value RETURNING 1)
    SELECT ST_XMin(box) AS xmin, ST_YMin(box) AS ymin, ST_XMax(box) AS xmax, ST_YMax(box) AS ymax,
           (SELECT array_agg(DISTINCT left(grid_code, 12)) FROM v) AS communities,
           (SELECT bool_or(before_attrs IS NULL OR after_attrs IS NULL OR left(before_attrs->>'code', 12) IS DISTINCT FROM left(after_attrs->>'code', 12)
                           OR before_attrs->'households' IS DISTINCT FROM after_attrs->'households'
                           OR before_attrs->'starRating' IS DISTINCT FROM after_attrs->'starRating') FROM v) AS figures
    FROM e, (SELECT count(*) FROM stamped) s`,
  );
  const communities = row?.communities ?? [];
  const grid: Bbox[] = row?.xmin != null ? [[Number(row.xmin), Number(row.ymin), Number(row.xmax), Number(row.ymax)]] : [];
  if (communities.length === 0) return { grid, community: [], street: [] };
  if (options.outlines) return { grid, ...(await rebuildAreas(tx, communities)) };
  // A reshaped grid stays inside its community (the rules see to it): outlines keep, figures may not.
  if (!row?.figures) return { grid, community: [], street: [] };
  return { grid, ...(await refreshAreaFigures(tx, communities)) };
}

const ensured = new WeakMap<DbHandle, Promise<void>>();

/**
 * Builds the generalised areas when they do not match the grids (first start, after a data
 * load behind the server's back); once per handle, later writes keep them current here.
 */
export function ensureAreas(handle: DbHandle): Promise<void> {
  let done = ensured.get(handle);
  if (!done) {
    done = handle.db
      .transaction(async (tx) => {
        // Several servers on one database build once; the others wait and find the stamp current.
        await tx.execute(sql`SELECT pg_advisory_xact_lock(4509020)`);
        // The legible zoom follows the data's grid size (measured once; edits barely move the median).
        setTileContext(handle, await measureTileContext(tx));
        const [row] = await executeRows<{ value: { stamp?: string } }>(tx, sql`SELECT value FROM meta WHERE key = 'grid_areas'`);
        if (row?.value.stamp === (await currentStamp(tx))) return false;
        await rebuildAreas(tx, null);
        await stampAreas(tx);
        return true;
      })
      .then((rebuilt) => {
        if (rebuilt) publish(handle, { grid: [], community: [], street: [], all: true });
      })
      .catch((err) => {
        ensured.delete(handle);
        throw err;
      });
    ensured.set(handle, done);
  }
  return done;
}
