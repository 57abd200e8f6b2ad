/**
 * Walking circles always ready: a background job that computes every centre's
 * missing or stale 5/10/15-minute circles (default walking speed) — on start,
 * after a centre is created/moved/deleted (wakeIsochroneJob) and whenever its poll
 * finds the network version moved on or rows gone stale (other processes, SQL).
 *
 * Off the request path and in small steps: one centre and one minutes value per
 * step (a single polygon statement), with a pause between steps, so that on the
 * embedded engine — one connection, queries queued in turn — a request waits at
 * most one step. Progress (ready / total circles, the longest step) is what
 * GET /api/coverage/isochrones/status shows admins.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { computeBatch, defaultSearch, missingIsochrones } from './isochrones';
import { currentNetworkVersion } from './networkVersion';
import { intArray } from './sqlArrays';
import { DEFAULT_SPEED_M_PER_MIN } from './walking';

/** The circles kept ready: what the map's service-circle layer and the big screen draw. */
export const READY_MINUTES = [5, 10, 15] as const;

export interface IsochroneJobStatus {
  /** off: no job in this process; idle: all circles current (or nothing to do); running; failed: the last step failed (retried at the next poll). */
  state: 'off' | 'idle' | 'running' | 'failed';
  minutes: number[];
  speedMPerMin: number;
  networkVersion: number;
  /** circles needed (centres × minutes) and those cached and current */
  total: number;
  ready: number;
  startedAt: string | null;
  finishedAt: string | null;
  /** the longest single step of the current or last run, ms */
  longestStepMs: number;
  error: string | null;
}

export interface IsochroneJobOptions {
  minutes?: readonly number[];
  speedMPerMin?: number;
  /** pause between steps, ms */
  pauseMs?: number;
  /** how often to look for stale circles without being woken, ms */
  pollMs?: number;
}

/** Circles needed and circles current, by one query. */
export async function circleCounts(db: DbHandle, minutes: readonly number[], speed: number, version: number): Promise<{ total: number; ready: number }> {
  const [row] = await db.rows<{ total: number; ready: number }>(sql`
    SELECT (SELECT count(*) FROM service_centres)::int * ${minutes.length}::int AS total,
           (SELECT count(*) FROM isochrones i JOIN service_centres c ON c.id = i.centre_id
             WHERE i.minutes = ANY(${intArray(minutes)}::int[]) AND i.speed_m_per_min = ${speed}::float8
               AND i.network_version = ${version} AND i.computed_at >= c.updated_at)::int AS ready`);
  return { total: Number(row?.total ?? 0), ready: Number(row?.ready ?? 0) };
}

export class IsochroneJob {
  readonly minutes: number[];
  readonly speed: number;
  private readonly pauseMs: number;
  private readonly pollMs: number;
  private state: 'idle' | 'running' | 'failed' = 'idle';
  private startedAt: Date | null = null;
  private finishedAt: Date | null = null;
  private longestStepMs = 0;
  private error: string | null = null;
  private again = false;
  private stopped = false;
  private loop: Promise<void> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private pauseTimer: { timer: NodeJS.Timeout; done: () => void } | null = null;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly db: DbHandle,
    options: IsochroneJobOptions = {},
  ) {
    this.minutes = [...(options.minutes ?? READY_MINUTES)];
    this.speed = options.speedMPerMin ?? DEFAULT_SPEED_M_PER_MIN;
    this.pauseMs = options.pauseMs ?? 25;
    this.pollMs = options.pollMs ?? 60_000;
  }

  /** Starts a run now, or another one right after the current run (something changed meanwhile). */
  wake(): void {
    if (this.stopped) return;
    if (this.loop) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.loop = this.run().finally(() => {
      this.loop = null;
      if (this.again && !this.stopped) {
        this.again = false;
        this.wake();
        return;
      }
      if (!this.stopped) this.timer = setTimeout(() => this.wake(), this.pollMs).unref();
      for (const done of this.idleWaiters.splice(0)) done();
    });
  }

  /** Resolves when no run is in progress or due (tests, the bench). */
  whenIdle(): Promise<void> {
    if (!this.loop) return Promise.resolve();
    return new Promise((done) => this.idleWaiters.push(done));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.pauseTimer) {
      clearTimeout(this.pauseTimer.timer);
      this.pauseTimer.done();
    }
    await this.loop;
  }

  async status(): Promise<IsochroneJobStatus> {
    const version = await currentNetworkVersion(this.db);
    const counts = await circleCounts(this.db, this.minutes, this.speed, version);
    return {
      state: this.state,
      minutes: this.minutes,
      speedMPerMin: this.speed,
      networkVersion: version,
      ...counts,
      startedAt: this.startedAt?.toISOString() ?? null,
      finishedAt: this.finishedAt?.toISOString() ?? null,
      longestStepMs: Math.round(this.longestStepMs),
      error: this.error,
    };
  }

  private pause(): Promise<void> {
    return new Promise((done) => {
      const timer = setTimeout(() => {
        this.pauseTimer = null;
        done();
      }, this.pauseMs);
      this.pauseTimer = { timer, done };
    });
  }

  private async run(): Promise<void> {
    const request = { centreIds: null, minutes: this.minutes, speedMPerMin: this.speed };
    const search = defaultSearch(this.db);
    /** Centres whose step failed in this run: reported, retried at the next run. */
    const failed = new Set<number>();
    let began = false;
    try {
      passes: while (!this.stopped) {
        const version = await currentNetworkVersion(this.db);
        const todo = [...(await missingIsochrones(this.db, request, version))].filter(([id]) => !failed.has(id));
        if (todo.length === 0) break;
        if (!began) {
          began = true;
          this.state = 'running';
          this.startedAt = new Date();
          this.finishedAt = null;
          this.longestStepMs = 0;
          this.error = null;
        }
        for (const [centreId, minutes] of todo) {
          // The largest circle first: the big screen draws the 15-minute ones.
          for (const m of [...minutes].sort((a, b) => b - a)) {
            if (this.stopped) break passes;
            const t0 = performance.now();
            try {
              await computeBatch(this.db, [centreId], new Map([[centreId, [m]]]), this.speed, search, version);
            } catch (err) {
              failed.add(centreId);
              this.error = `党群服务中心 ${centreId}：${err instanceof Error ? err.message : String(err)}`;
              console.error('等时圈后台计算失败（下次运行时重试）：', err);
              break;
            } finally {
              this.longestStepMs = Math.max(this.longestStepMs, performance.now() - t0);
            }
            await this.pause();
          }
          // A centre changed or the network moved on: look again at what is missing.
          if (this.again) {
            this.again = false;
            continue passes;
          }
          if ((await currentNetworkVersion(this.db)) !== version) continue passes;
        }
      }
      if (began) {
        this.state = failed.size > 0 ? 'failed' : 'idle';
        this.finishedAt = new Date();
      }
    } catch (err) {
      this.state = 'failed';
      this.finishedAt = new Date();
      this.error = err instanceof Error ? err.message : String(err);
      console.error('等时圈后台计算失败（下次轮询时重试）：', err);
    }
  }
}

const jobs = new WeakMap<DbHandle, IsochroneJob>();

/** Starts the background job for this database (once; later calls return the same job). */
export function startIsochroneJob(db: DbHandle, options: IsochroneJobOptions = {}): IsochroneJob {
  let job = jobs.get(db);
  if (!job) {
    job = new IsochroneJob(db, options);
    jobs.set(db, job);
    job.wake();
  }
  return job;
}

export const isochroneJobOf = (db: DbHandle): IsochroneJob | undefined => jobs.get(db);

/** After a centre changed: the job (if this process runs one) computes its new circles now. */
export function wakeIsochroneJob(db: DbHandle): void {
  jobs.get(db)?.wake();
}

/** The job's progress; without a job in this process, the counts alone (state 'off'). */
export async function isochroneJobStatus(db: DbHandle): Promise<IsochroneJobStatus> {
  const job = jobs.get(db);
  if (job) return job.status();
  const minutes = [...READY_MINUTES];
  const version = await currentNetworkVersion(db);
  const counts = await circleCounts(db, minutes, DEFAULT_SPEED_M_PER_MIN, version);
  return { state: 'off', minutes, speedMPerMin: DEFAULT_SPEED_M_PER_MIN, networkVersion: version, ...counts, startedAt: null, finishedAt: null, longestStepMs: 0, error: null };
}
