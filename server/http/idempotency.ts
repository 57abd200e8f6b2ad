/**
 * Idempotency-Key for writes that a phone may retry (the field app's offline queue):
 * a retry after a cut connection — the server committed, the client never got the
 * answer — must replay that answer, never write twice. One middleware for every such
 * route: with the header, the whole handler runs inside one transaction that first
 * claims (user, key) in idempotency_keys and, on a 2xx, stores the answer there before
 * committing — the write and its record commit together or not at all. The domain
 * code's own transactions become savepoints of it (the handler gets a DbHandle bound
 * to the transaction).
 *
 *  - same key, same request (method, path, body fingerprint) → the stored answer again,
 *    with `Idempotency-Replayed: true`;
 *  - same key, different request → 422 problem (the key belongs to another request);
 *  - the same key at the same time → the second waits for the first (the key's row is
 *    locked by its insert) and replays it; where that is not possible, 409.
 *  - a refused request (4xx/5xx) stores nothing, so the key may be used again.
 * Without the header the route behaves as before. Records are kept 7 days, then purged.
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { MiddlewareHandler } from 'hono';
import { boundToTransaction, type DbHandle, executeRows } from '../../db/client';
import type { AppEnv } from '../appEnv';
import { DomainError } from './domainError';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** UUIDs and the like: 16–100 letters, digits, '-' or '_'. */
const KEY_PATTERN = /^[A-Za-z0-9_-]{16,100}$/;
/** How long a key is remembered; the purge runs at most once an hour per process. */
export const IDEMPOTENCY_RETENTION_DAYS = 7;
const PURGE_EVERY_MS = 60 * 60 * 1000;

/**
 * What makes two requests "the same": method, path and body. Multipart bodies are
 * read field by field (a browser picks a new boundary for every retry of one form).
 */
export async function requestFingerprint(request: Request, path: string): Promise<string> {
  const hash = createHash('sha256').update(`${request.method} ${path}\n`);
  const type = request.headers.get('content-type') ?? '';
  if (type.toLowerCase().startsWith('multipart/form-data')) {
    const form = await request
      .clone()
      .formData()
      .catch(() => null);
    if (form) {
      for (const [name, value] of form.entries()) {
        hash.update(`${name}\0`);
        if (typeof value === 'string') hash.update(`s${value}\0`);
        else hash.update(`f${value.name}\0`).update(new Uint8Array(await value.arrayBuffer()));
      }
      return hash.digest('hex');
    }
  }
  if (request.body) hash.update(new Uint8Array(await request.clone().arrayBuffer()));
  return hash.digest('hex');
}

class KeyProblem extends DomainError {
  constructor(status: 400 | 409 | 422, title: string, detail: string, reason: string) {
    super(status, title, detail, { errors: [{ field: IDEMPOTENCY_HEADER, reason }] });
  }
}

/** Carries a refused answer out of the transaction so that it rolls back. */
class NotStored extends Error {}

interface StoredAnswer {
  fingerprint: string;
  status: number;
  content_type: string;
  body: string;
}

let lastPurge = 0;

/** Deletes records older than the retention (also called by tests with their own clock). */
export async function purgeIdempotencyKeys(db: DbHandle, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - IDEMPOTENCY_RETENTION_DAYS * 24 * 3600 * 1000);
  const gone = await db.rows<{ n: number }>(sql`WITH d AS (DELETE FROM idempotency_keys WHERE created_at < ${cutoff.toISOString()}::timestamptz RETURNING 1) SELECT count(*)::int AS n FROM d`);
  return Number(gone[0]?.n ?? 0);
}

export function idempotent(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header(IDEMPOTENCY_HEADER);
    const user = c.var.user;
    if (key === undefined || !user) return next();
    if (!KEY_PATTERN.test(key)) {
      throw new KeyProblem(400, '请求参数无效', `${IDEMPOTENCY_HEADER} 格式无效：应为 16~100 位字母、数字、- 或 _（建议使用 UUID）`, '应为 16~100 位字母、数字、- 或 _');
    }
    const db = c.var.db;
    const path = c.req.path;
    const fingerprint = await requestFingerprint(c.req.raw, path);
    let replay: StoredAnswer | null = null;
    try {
      await db.db.transaction(async (tx) => {
        // The insert takes the key's row lock: a concurrent request with this key waits here until we commit or roll back.
        const claimed = await executeRows<{ ok: number }>(
          tx,
          sql`INSERT INTO idempotency_keys (user_id, key, fingerprint, method, path, status, content_type, body)
            VALUES (${user.id}, ${key}, ${fingerprint}, ${c.req.method}, ${path}, 0, '', '') ON CONFLICT DO NOTHING RETURNING 1 AS ok`,
        );
        if (claimed.length === 0) {
          const [stored] = await executeRows<StoredAnswer>(tx, sql`SELECT fingerprint, status, content_type, body FROM idempotency_keys WHERE user_id = ${user.id} AND key = ${key}`);
          if (!stored || stored.status === 0) throw new KeyProblem(409, '请求正在处理', '使用同一幂等键的请求正在处理，请稍后重试', '同一幂等键的请求尚未完成');
          if (stored.fingerprint !== fingerprint) {
            throw new KeyProblem(422, '幂等键已被使用', `${IDEMPOTENCY_HEADER} 已用于另一个内容不同的请求；新的请求请使用新的幂等键`, '该键已用于内容不同的请求');
          }
          replay = stored;
          return;
        }
        c.set('db', boundToTransaction(db, tx));
        try {
          await next();
        } finally {
          c.set('db', db);
        }
        const res = c.res;
        if (res.status < 200 || res.status >= 300) throw new NotStored();
        await tx.execute(sql`UPDATE idempotency_keys SET status = ${res.status}, content_type = ${res.headers.get('content-type') ?? 'application/json'}, body = ${await res.clone().text()}
          WHERE user_id = ${user.id} AND key = ${key}`);
      });
    } catch (e) {
      // The refusal is already the answer (c.res); nothing of it was kept.
      if (!(e instanceof NotStored)) throw e;
    }
    if (Date.now() - lastPurge > PURGE_EVERY_MS) {
      lastPurge = Date.now();
      await purgeIdempotencyKeys(db).catch((e) => console.error('idempotency purge failed:', (e as Error).message));
    }
    if (replay) {
      const stored: StoredAnswer = replay;
      return c.body(stored.body, stored.status as 200, { 'Content-Type': stored.content_type, 'Idempotency-Replayed': 'true' });
    }
  };
}
