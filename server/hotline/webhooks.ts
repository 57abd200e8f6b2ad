/**
 * Outbound webhooks to the 12345 hotline: every history row of a hotline case written
 * here (dispatch, handling, closing …; not the hotline's own pushes) is POSTed to
 * HOTLINE_WEBHOOK_URL as JSON, signed `X-Signature: sha256=<hex HMAC-SHA256 of the
 * body with HOTLINE_WEBHOOK_SECRET>` with an `X-Timestamp` (Unix seconds) and
 * `X-Delivery-Id`. The worker reads the same transitions feed as the live stream
 * (TransitionCursor), records each delivery in hotline_deliveries together with its
 * feed position (one transaction, so a restart neither loses nor repeats one), and
 * sends due rows, retrying failures with exponential backoff (1 s, 2 s, 4 s …) up to
 * the last attempt, after which the row is `failed`. Rows of one incident go out in
 * order. The table is the delivery log admins read (GET /api/hotline/deliveries).
 */
import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { STAGE_LABELS, type IncidentStage } from '../../kernel/stages';
import { latestTransitionId, TransitionCursor, type TransitionEvent } from '../live/transitionFeed';
import { HOTLINE_ACTOR_PREFIX } from './cases';

export interface WebhookConfig {
  url: string;
  secret: string;
  /** hotline: only cases the hotline pushed; all: every incident. */
  scope: 'hotline' | 'all';
  maxAttempts: number;
  /** First retry after this long, doubling each time. */
  baseDelayMs: number;
  pollMs: number;
  timeoutMs: number;
}

const CURSOR_KEY = 'hotline_webhook_cursor';

export function webhookConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WebhookConfig | null {
  const url = env.HOTLINE_WEBHOOK_URL?.trim();
  if (!url) return null;
  const secret = env.HOTLINE_WEBHOOK_SECRET ?? '';
  if (secret.length < 16) throw new Error('HOTLINE_WEBHOOK_SECRET 应至少 16 个字符（签名密钥）');
  const num = (v: string | undefined, fallback: number) => (v && Number.isFinite(Number(v)) && Number(v) > 0 ? Number(v) : fallback);
  return {
    url: new URL(url).toString(),
    secret,
    scope: env.HOTLINE_WEBHOOK_SCOPE === 'all' ? 'all' : 'hotline',
    maxAttempts: num(env.HOTLINE_WEBHOOK_MAX_ATTEMPTS, 8),
    baseDelayMs: num(env.HOTLINE_WEBHOOK_RETRY_MS, 1000),
    pollMs: 500,
    timeoutMs: 10_000,
  };
}

/** `sha256=<hex>` of the body, what X-Signature carries. */
export const signBody = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;

/** The delay before attempt `attempts + 1` after `attempts` failed ones. */
export const retryDelayMs = (baseDelayMs: number, attempts: number) => baseDelayMs * 2 ** Math.max(0, attempts - 1);

const wanted = (config: WebhookConfig, e: TransitionEvent) => !(e.actorUsername ?? '').startsWith(HOTLINE_ACTOR_PREFIX) && (config.scope === 'all' || (e.source === 'hotline' && e.externalRef !== null));

export function webhookBody(e: TransitionEvent): string {
  return JSON.stringify({
    event: 'incident.transition',
    caseNo: e.externalRef,
    incidentId: e.incidentId,
    transitionId: e.id,
    action: e.action,
    fromStage: e.fromStage,
    stage: e.stage,
    stageLabel: STAGE_LABELS[e.stage as IncidentStage] ?? e.stage,
    note: e.note,
    at: e.at,
  });
}

interface DueRow {
  id: string | number;
  url: string;
  body: string;
  attempts: number;
}

export class HotlineWebhooks {
  private cursor: TransitionCursor | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly db: DbHandle,
    readonly config: WebhookConfig,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.config.pollMs);
    this.timer.unref?.();
    void this.tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One round: record new deliveries, send the due ones. Never throws (the database may be restarting). */
  tick(): Promise<void> {
    if (this.running) return this.running;
    this.running = (async () => {
      try {
        while ((await this.enqueue()) > 0) {}
        await this.deliverDue();
      } catch (error) {
        console.error('hotline webhooks:', (error as Error).message);
      }
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Reads the feed from the saved position; returns how many rows were read. */
  async enqueue(): Promise<number> {
    if (!this.cursor) {
      const [saved] = await this.db.rows<{ value: { position?: number } }>(sql`SELECT value FROM meta WHERE key = ${CURSOR_KEY}`);
      // A first start does not replay the whole history: it begins at the newest row.
      this.cursor = new TransitionCursor(this.db, saved?.value.position ?? (await latestTransitionId(this.db)));
      if (!saved) await this.savePosition();
    }
    const before = this.cursor.position;
    const events = await this.cursor.next();
    if (events.length === 0) return 0;
    const rows = events.filter((e) => wanted(this.config, e)).map((e) => ({ transitionId: e.id, incidentId: e.incidentId, caseNo: e.externalRef, body: webhookBody(e) }));
    try {
      await this.db.db.transaction(async (tx) => {
        if (rows.length > 0) {
          await tx.execute(sql`
            INSERT INTO hotline_deliveries (transition_id, incident_id, case_no, url, body)
            SELECT r."transitionId", r."incidentId", r."caseNo", ${this.config.url}, r.body
            FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r("transitionId" int, "incidentId" int, "caseNo" text, body text)
            ORDER BY r."transitionId"
            ON CONFLICT (transition_id, url) DO NOTHING`);
        }
        await tx.execute(sql`
          INSERT INTO meta (key, value) VALUES (${CURSOR_KEY}, ${JSON.stringify({ position: this.cursor?.position })}::jsonb)
          ON CONFLICT (key) DO UPDATE SET value = jsonb_build_object('position', greatest((meta.value->>'position')::bigint, (EXCLUDED.value->>'position')::bigint))`);
      });
    } catch (error) {
      // Not recorded: read the same rows again next time.
      this.cursor = null;
      throw error;
    }
    return this.cursor.position > before ? events.length : 0;
  }

  private async savePosition(): Promise<void> {
    await this.db.rows(sql`INSERT INTO meta (key, value) VALUES (${CURSOR_KEY}, ${JSON.stringify({ position: this.cursor?.position ?? 0 })}::jsonb) ON CONFLICT (key) DO NOTHING`);
  }

  /** Sends every due delivery once; returns how many were attempted. */
  async deliverDue(): Promise<number> {
    // Lease the due rows (another process skips them), the oldest pending row of each incident first.
    const due = await this.db.rows<DueRow>(sql`
      UPDATE hotline_deliveries SET next_attempt_at = now() + make_interval(secs => ${Math.ceil(this.config.timeoutMs / 1000) + 30})
      WHERE id IN (
        SELECT d.id FROM hotline_deliveries d
        WHERE d.status = 'pending' AND d.next_attempt_at <= now()
          AND NOT EXISTS (SELECT 1 FROM hotline_deliveries p WHERE p.incident_id = d.incident_id AND p.status = 'pending' AND p.id < d.id)
        ORDER BY d.id LIMIT 20
        FOR UPDATE SKIP LOCKED)
      RETURNING id, url, body, attempts`);
    for (const row of due.sort((a, b) => Number(a.id) - Number(b.id))) await this.deliver(row);
    return due.length;
  }

  private async deliver(row: DueRow): Promise<void> {
    const attempts = row.attempts + 1;
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(row.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'X-Signature': signBody(this.config.secret, row.body),
          'X-Timestamp': String(Math.floor(Date.now() / 1000)),
          'X-Delivery-Id': String(row.id),
        },
        body: row.body,
        signal: AbortSignal.timeout(this.config.timeoutMs),
        redirect: 'error',
      });
      status = res.status;
      await res.body?.cancel();
      if (!res.ok) error = `HTTP ${res.status}`;
    } catch (e) {
      error = ((e as Error).cause as Error | undefined)?.message ?? (e as Error).message;
    }
    if (error === null) {
      await this.db.rows(sql`
        UPDATE hotline_deliveries SET status = 'delivered', attempts = ${attempts}, last_status_code = ${status}, last_error = NULL, delivered_at = now()
        WHERE id = ${row.id}`);
      return;
    }
    const giveUp = attempts >= this.config.maxAttempts;
    await this.db.rows(sql`
      UPDATE hotline_deliveries
      SET status = ${giveUp ? 'failed' : 'pending'}, attempts = ${attempts}, last_status_code = ${status}, last_error = ${error.slice(0, 500)},
          next_attempt_at = now() + make_interval(secs => ${retryDelayMs(this.config.baseDelayMs, attempts) / 1000})
      WHERE id = ${row.id}`);
  }
}

/** Starts the worker when HOTLINE_WEBHOOK_URL is set (server/main.ts). */
export function startHotlineWebhooks(db: DbHandle, env: NodeJS.ProcessEnv = process.env): HotlineWebhooks | null {
  const config = webhookConfigFromEnv(env);
  if (!config) return null;
  const worker = new HotlineWebhooks(db, config);
  worker.start();
  return worker;
}

/** The delivery log, newest first. */
export async function listDeliveries(db: DbHandle, filter: { status?: 'pending' | 'delivered' | 'failed'; caseNo?: string; page: number; pageSize: number }) {
  const where = sql`WHERE true ${filter.status ? sql`AND status = ${filter.status}` : sql``} ${filter.caseNo ? sql`AND case_no = ${filter.caseNo}` : sql``}`;
  const [count] = await db.rows<{ n: string | number }>(sql`SELECT count(*) AS n FROM hotline_deliveries ${where}`);
  const rows = await db.rows<{
    id: string | number;
    transition_id: number;
    incident_id: number;
    case_no: string | null;
    url: string;
    body: string;
    status: 'pending' | 'delivered' | 'failed';
    attempts: number;
    next_attempt_at: string | Date;
    last_status_code: number | null;
    last_error: string | null;
    created_at: string | Date;
    delivered_at: string | Date | null;
  }>(sql`SELECT * FROM hotline_deliveries ${where} ORDER BY id DESC LIMIT ${filter.pageSize} OFFSET ${(filter.page - 1) * filter.pageSize}`);
  const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());
  return {
    total: Number(count?.n ?? 0),
    page: filter.page,
    pageSize: filter.pageSize,
    items: rows.map((r) => ({
      id: Number(r.id),
      transitionId: Number(r.transition_id),
      incidentId: Number(r.incident_id),
      caseNo: r.case_no,
      url: r.url,
      body: JSON.parse(r.body) as Record<string, unknown>,
      status: r.status,
      attempts: r.attempts,
      nextAttemptAt: r.status === 'pending' ? iso(r.next_attempt_at) : null,
      lastStatusCode: r.last_status_code,
      lastError: r.last_error,
      createdAt: iso(r.created_at) as string,
      deliveredAt: iso(r.delivered_at),
    })),
  };
}
