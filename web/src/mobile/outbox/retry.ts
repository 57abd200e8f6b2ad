/**
 * The outbox's rules, pure so they are unit-tested: how long to wait before the next
 * try (exponential backoff with a cap, so a phone in a dead zone does not hammer the
 * server nor wait an hour once back), and what an answer means for a queued write —
 * a network failure or a 5xx is retried with the same Idempotency-Key, a 409 is a
 * conflict the user must see and discard (never resent as if nothing happened), any
 * other 4xx is a refusal shown with its reason.
 */

export type ItemStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'conflict';

export const STATUS_LABELS: Record<ItemStatus, string> = {
  pending: '待发送',
  sending: '发送中',
  sent: '已发送',
  failed: '失败',
  conflict: '冲突',
};

const BASE_MS = 2_000;
const CAP_MS = 60_000;

/** Wait before try number `attempts + 1` (attempts already made ≥ 1): 2 s, 4 s, 8 s … ≤ 60 s. */
export function backoffMs(attempts: number): number {
  return Math.min(CAP_MS, BASE_MS * 2 ** Math.max(0, attempts - 1));
}

export type Outcome = { kind: 'retry'; reason: string } | { kind: 'failed'; reason: string } | { kind: 'conflict'; reason: string };

/** `status` 0 = no answer (offline, connection cut). */
export function outcomeOf(status: number, reason: string): Outcome {
  if (status === 0) return { kind: 'retry', reason: reason || '网络不可用，恢复后自动重发' };
  if (status === 409) return { kind: 'conflict', reason: reason || '服务器上的情况已变化（例如已改派），此操作未执行' };
  if (status === 401) return { kind: 'retry', reason: '登录已过期，请重新登录后自动重发' };
  if (status === 408 || status === 429 || status >= 500) return { kind: 'retry', reason: reason || `服务器暂时不可用（${status}），稍后自动重发` };
  return { kind: 'failed', reason: reason || `服务器拒绝（${status}）` };
}

/** A fresh Idempotency-Key, made when the write is created (not when it is sent). */
export function newIdempotencyKey(random: () => string = () => crypto.randomUUID()): string {
  try {
    return random();
  } catch {
    // Old WebViews without crypto.randomUUID (http: pages, old X5): time + random is unique enough per device.
    return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
  }
}
