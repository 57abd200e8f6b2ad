/**
 * GET /api/screen/summary answered from memory while nothing it depends on has
 * changed: at 30,000 grids + 100,000 incidents the city's figures take a second of
 * database time, and every wall display asks every 30 s.
 *
 * An answer is reused only when all of these still hold — so it is exactly what a
 * fresh computation would return, save `generatedAt`, which says when it was computed:
 *  - the data version (dataVersion.ts) is the one read before it was computed;
 *  - it is the same calendar month (China time) — the month's KPIs and the trend's window;
 *  - no incident's closed_at has been passed by the clock since (the trend counts
 *    incidents closed by now; imported data may carry closing times in the future);
 *  - the patrol figures' validity (server/field/patrolFigures.ts): the same day (China
 *    time), and at most a minute while anyone is on patrol (their hours grow with the clock).
 * Concurrent requests for the same region and version share one computation.
 * `startSummaryRefresher` recomputes the city's figures in the background after a
 * change, so the first wall display after an edit does not wait either.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { versionProbe, type VersionProbe } from './dataVersion';
import { cstMonth } from './months';
import { patrolFiguresValidUntil } from '../field/patrolFigures';
import { computeScreenSummaryReport, type ScreenSummaryReport } from './summary';

/** Regions kept (least recently used dropped first): a drill-down touches a handful. */
const MAX_ENTRIES = 500;

interface Entry {
  version: number;
  month: string;
  /** ms since epoch after which the answer may differ (a future closed_at passed), or Infinity. */
  validUntil: number;
  value: Promise<ScreenSummaryReport>;
}

interface SummaryCache {
  probe: VersionProbe;
  entries: Map<string, Entry>;
  computations: number;
}

const caches = new WeakMap<DbHandle, SummaryCache>();

function cacheOf(db: DbHandle): SummaryCache {
  let cache = caches.get(db);
  if (!cache) {
    cache = { probe: versionProbe(db), entries: new Map(), computations: 0 };
    caches.set(db, cache);
  }
  return cache;
}

/** The first incident closing time after `now` (ms), or Infinity: until then "closed by now" counts stay put. */
async function nextClosingAfter(db: DbHandle, now: Date): Promise<number> {
  const [row] = await db.rows<{ at: Date | string | null }>(sql`SELECT min(closed_at) AS at FROM incidents WHERE closed_at > ${now.toISOString()}::timestamptz`);
  return row?.at ? new Date(row.at).getTime() : Number.POSITIVE_INFINITY;
}

async function compute(db: DbHandle, cache: SummaryCache, entry: Entry, region: string | undefined, now: Date): Promise<ScreenSummaryReport> {
  cache.computations++;
  const [report, validUntil, patrolsValidUntil] = await Promise.all([computeScreenSummaryReport(db, region, now), nextClosingAfter(db, now), patrolFiguresValidUntil(db, now)]);
  entry.validUntil = Math.min(validUntil, patrolsValidUntil);
  return report;
}

const usable = (entry: Entry | undefined, version: number, now: Date): boolean => !!entry && entry.version === version && entry.month === cstMonth(now).key && now.getTime() < entry.validUntil;

/** The summary of `region` (the city when undefined); 404 (NotFoundError) for an unknown region, never cached. */
export async function screenSummaryReport(db: DbHandle, region: string | undefined): Promise<ScreenSummaryReport> {
  const cache = cacheOf(db);
  const version = await cache.probe.read();
  const now = new Date();
  const key = region ?? '';
  const hit = cache.entries.get(key);
  if (hit && usable(hit, version, now)) {
    // Most recently used goes last.
    cache.entries.delete(key);
    cache.entries.set(key, hit);
    return hit.value;
  }
  if (hit && hit.version > version) return computeScreenSummaryReport(db, region, now);
  const entry: Entry = { version, month: cstMonth(now).key, validUntil: Number.POSITIVE_INFINITY, value: Promise.resolve(null as never) };
  entry.value = compute(db, cache, entry, region, now);
  cache.entries.delete(key);
  cache.entries.set(key, entry);
  while (cache.entries.size > MAX_ENTRIES) cache.entries.delete(cache.entries.keys().next().value!);
  entry.value.catch(() => {
    if (cache.entries.get(key) === entry) cache.entries.delete(key);
  });
  return entry.value;
}

/** How many summaries were computed (not answered from memory) for this database: for tests and the bench. */
export const summaryComputations = (db: DbHandle): number => cacheOf(db).computations;

/**
 * Keeps the city's summary warm: every `intervalMs` it asks for it, which
 * recomputes it when the data changed. Returns a stop function.
 */
export function startSummaryRefresher(db: DbHandle, intervalMs = 5000): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    try {
      await screenSummaryReport(db, undefined);
    } catch {
      // An empty or unreachable database: the request path reports it; try again later.
    }
    if (!stopped) timer = setTimeout(tick, intervalMs).unref();
  };
  void tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
