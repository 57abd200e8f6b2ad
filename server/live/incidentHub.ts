/**
 * One poller per server process and database: while at least one live client is
 * connected, the hub reads the transitions feed every POLL_MS and hands each event to
 * every subscriber who may read the incident (mayReadIncident, the one read rule).
 * Nobody listening → no polling; the next subscriber starts a fresh cursor at the
 * newest row (a resuming client catches up on its own from its Last-Event-ID).
 * Connections are capped per user so one account cannot hold the server's sockets.
 */
import type { DbHandle } from '../../db/client';
import { mayReadIncident } from '../../kernel/incidentAccess';
import type { SessionUser } from '../../kernel/roles';
import { latestTransitionId, TransitionCursor, type TransitionEvent } from './transitionFeed';

export interface HubOptions {
  pollMs: number;
  heartbeatMs: number;
  /** The `retry:` hint sent to EventSource clients. */
  retryMs: number;
  maxPerUser: number;
}

const envNumber = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

export const defaultHubOptions = (): HubOptions => ({
  pollMs: envNumber('LIVE_POLL_MS', 400),
  heartbeatMs: 15_000,
  retryMs: 2_000,
  maxPerUser: envNumber('LIVE_MAX_CONNECTIONS_PER_USER', 6),
});

export interface Subscriber {
  user: SessionUser;
  deliver(event: TransitionEvent): void;
}

export class TooManyConnections extends Error {}

export class IncidentHub {
  private readonly subscribers = new Set<Subscriber>();
  private readonly perUser = new Map<string, number>();
  private cursor: TransitionCursor | null = null;
  private starting: Promise<TransitionCursor> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private polling = false;
  private failures = 0;

  constructor(
    private readonly db: DbHandle,
    public options: HubOptions = defaultHubOptions(),
  ) {}

  get size(): number {
    return this.subscribers.size;
  }

  get isPolling(): boolean {
    return this.cursor !== null || this.starting !== null;
  }

  connectionsOf(user: SessionUser): number {
    return this.perUser.get(user.username) ?? 0;
  }

  /**
   * Adds a subscriber; resolves to the feed position from which it receives events
   * (everything after it). Throws TooManyConnections past the per-user cap.
   */
  async subscribe(subscriber: Subscriber): Promise<number> {
    const key = subscriber.user.username;
    const count = this.perUser.get(key) ?? 0;
    if (count >= this.options.maxPerUser) throw new TooManyConnections();
    this.perUser.set(key, count + 1);
    this.subscribers.add(subscriber);
    try {
      const cursor = await this.start();
      return cursor.position;
    } catch (error) {
      this.unsubscribe(subscriber);
      throw error;
    }
  }

  unsubscribe(subscriber: Subscriber): void {
    if (!this.subscribers.delete(subscriber)) return;
    const key = subscriber.user.username;
    const count = (this.perUser.get(key) ?? 1) - 1;
    if (count > 0) this.perUser.set(key, count);
    else this.perUser.delete(key);
    if (this.subscribers.size === 0) this.stop();
  }

  private start(): Promise<TransitionCursor> {
    if (this.cursor) return Promise.resolve(this.cursor);
    if (!this.starting) {
      this.starting = latestTransitionId(this.db)
        .then((position) => {
          this.cursor = new TransitionCursor(this.db, position);
          this.schedule(this.options.pollMs);
          return this.cursor;
        })
        .finally(() => {
          this.starting = null;
        });
    }
    return this.starting;
  }

  private stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.cursor = null;
  }

  private schedule(ms: number): void {
    if (this.timer || this.subscribers.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.poll();
    }, ms);
    this.timer.unref?.();
  }

  private async poll(): Promise<void> {
    const cursor = this.cursor;
    if (!cursor || this.polling) return;
    this.polling = true;
    let full = false;
    try {
      const events = await cursor.next();
      full = events.length >= 500;
      this.failures = 0;
      if (this.cursor === cursor) for (const event of events) this.fanOut(event);
    } catch (error) {
      // The database may be restarting: keep the clients, back off, try again.
      if (this.failures++ === 0) console.error('live: reading incident transitions failed:', (error as Error).message);
    } finally {
      this.polling = false;
    }
    if (this.cursor === cursor) this.schedule(full ? 0 : Math.min(this.options.pollMs * 2 ** this.failures, 10_000));
  }

  private fanOut(event: TransitionEvent): void {
    for (const s of this.subscribers) {
      if (!mayReadIncident(s.user, event.audience)) continue;
      try {
        s.deliver(event);
      } catch {
        // A subscriber whose stream broke is removed by its own close handler.
      }
    }
  }
}

const hubs = new WeakMap<DbHandle, IncidentHub>();

/** The process's hub for a database. */
export function hubFor(db: DbHandle): IncidentHub {
  let hub = hubs.get(db);
  if (!hub) {
    hub = new IncidentHub(db);
    hubs.set(db, hub);
  }
  return hub;
}
