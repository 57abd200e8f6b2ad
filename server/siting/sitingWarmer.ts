/**
 * Keeps the siting analysis warm off the request path: after start, and whenever
 * its poll sees the data version move on (a facility, the road network or a grid
 * changed), it computes the cached coverage states and the reach table of the
 * default suggestion (5,000 road-node candidates): the default kind's state and
 * every kind's together alongside the reach table (database and Node work at
 * once), then each kind's state — the whole-city work a cold what-if or suggestion would otherwise
 * do inside the request (seconds at 30,000 grids). It waits for the walking-circle
 * job to be idle first, so that it reads current circles instead of computing
 * them a second time. Requests never wait for it: a request that finds no warm
 * state computes (and caches) it itself, as before.
 */
import { FACILITY_KINDS } from '../../kernel/facilityKinds';
import type { DbHandle } from '../../db/client';
import { isochroneJobOf } from '../coverage/isochroneJob';
import { DEFAULT_SPEED_M_PER_MIN } from '../coverage/walking';
import { coverageState, dataVersion } from './coverageState';
import { DEFAULT_HEX_M, reachTable } from './suggest';

export interface SitingWarmerOptions {
  /** How often to look at the data version, ms. */
  pollMs?: number;
}

export class SitingWarmer {
  private warmedVersion: string | null = null;
  private loop: Promise<void> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** The last warm-up, ms (null before the first). */
  lastWarmMs: number | null = null;
  error: string | null = null;

  constructor(
    private readonly db: DbHandle,
    private readonly pollMs: number,
  ) {}

  /** Looks at the data version now and warms if it moved on (a run in progress is not started twice). */
  wake(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.loop) return this.loop;
    clearTimeout(this.timer);
    this.loop = this.run().finally(() => {
      this.loop = null;
      if (!this.stopped) this.timer = setTimeout(() => void this.wake(), this.pollMs).unref();
    });
    return this.loop;
  }

  /** Resolves once the current data version is warm (the bench, tests). */
  async whenWarm(): Promise<void> {
    await this.wake();
    if (this.warmedVersion !== (await dataVersion(this.db))) await this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.loop;
  }

  private async run(): Promise<void> {
    try {
      await isochroneJobOf(this.db)?.whenIdle();
      const version = await dataVersion(this.db);
      if (version === this.warmedVersion) return;
      const t0 = performance.now();
      const speed = DEFAULT_SPEED_M_PER_MIN;
      // The default suggestion's two halves at once: the reach table is Node work, the states database work.
      await Promise.all([
        coverageState(this.db, speed, 'party_centre').then(() => coverageState(this.db, speed, undefined)),
        reachTable(this.db, { source: 'nodes', hexM: DEFAULT_HEX_M, maxCandidates: 5000, speedMPerMin: speed }),
      ]);
      for (const kind of FACILITY_KINDS) {
        if (this.stopped) return;
        await coverageState(this.db, speed, kind);
      }
      this.warmedVersion = version;
      this.lastWarmMs = performance.now() - t0;
      this.error = null;
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
      console.error('选址分析预热失败（下次轮询时重试）：', err);
    }
  }
}

const warmers = new WeakMap<DbHandle, SitingWarmer>();

/** Starts the warmer for this database (once; later calls return the same one). */
export function startSitingWarmer(db: DbHandle, options: SitingWarmerOptions = {}): SitingWarmer {
  let warmer = warmers.get(db);
  if (!warmer) {
    warmer = new SitingWarmer(db, options.pollMs ?? 15_000);
    warmers.set(db, warmer);
    void warmer.wake();
  }
  return warmer;
}
