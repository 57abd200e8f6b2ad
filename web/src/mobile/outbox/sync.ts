/**
 * Sends the outbox in order of creation whenever the phone is (back) online: on start,
 * on the browser's `online` event, after each new item, and on a backoff timer after a
 * failed try. One run at a time. A network failure stops the run (the rest would fail
 * too, and a patrol's points must follow its start); a conflict (409) or a refusal
 * marks only that item and the run goes on. Items are never dropped automatically.
 */
import { liveQuery } from 'dexie';
import { useEffect, useState } from 'react';
import { ApiError } from '../../api/client';
import { type OutboxItem, outboxDb, pruneSent } from './outboxDb';
import { backoffMs, outcomeOf } from './retry';
import { sendItem } from './send';

let running: Promise<void> | null = null;
const sentListeners = new Set<(item: OutboxItem) => void>();
/** Called after each item the server accepted (the app refreshes its lists). */
export function onSent(listener: (item: OutboxItem) => void): () => void {
  sentListeners.add(listener);
  return () => sentListeners.delete(listener);
}
let timer: ReturnType<typeof setTimeout> | null = null;
/** Items marked `sending` by a run that is still going (a reload leaves stale ones, sent again). */
const inFlight = new Set<number>();

function schedule(at: number) {
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => void syncNow(), Math.max(0, at - Date.now()));
}

async function runOnce(): Promise<void> {
  const items = await outboxDb.items.orderBy('createdAt').toArray();
  const now = Date.now();
  let nextAt = Number.POSITIVE_INFINITY;
  for (const item of items) {
    const id = item.id!;
    if (item.status === 'sent' || item.status === 'failed' || item.status === 'conflict') continue;
    if (item.status === 'sending' && inFlight.has(id)) continue;
    if (item.nextAt > now) {
      nextAt = Math.min(nextAt, item.nextAt);
      break;
    }
    inFlight.add(id);
    await outboxDb.items.update(id, { status: 'sending', attempts: item.attempts + 1 });
    try {
      const fresh = (await outboxDb.items.get(id)) as OutboxItem;
      await sendItem(fresh);
      await outboxDb.items.update(id, { status: 'sent', sentAt: Date.now(), error: null });
      for (const listener of sentListeners) listener(fresh);
    } catch (error) {
      const status = error instanceof ApiError ? error.problem.status : 0;
      const detail = error instanceof ApiError ? (error.problem.detail ?? error.problem.title) : String(error);
      const outcome = outcomeOf(status, detail);
      if (outcome.kind === 'retry') {
        const at = Date.now() + backoffMs(item.attempts + 1);
        await outboxDb.items.update(id, { status: 'pending', nextAt: at, error: outcome.reason });
        nextAt = Math.min(nextAt, at);
        break;
      }
      await outboxDb.items.update(id, { status: outcome.kind, error: outcome.reason });
    } finally {
      inFlight.delete(id);
    }
  }
  if (Number.isFinite(nextAt)) schedule(nextAt);
}

/** Asked for while a run was going: that run read the outbox before, so another follows. */
let again = false;

/** Starts a run now (or, during one, another right after it); resolves when they end. */
export function syncNow(): Promise<void> {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    do {
      again = false;
      await runOnce().catch((e) => console.error('队列同步出错', e));
    } while (again);
  })().finally(() => {
    running = null;
  });
  return running;
}

/** Manual 重试 from the 队列 page: a failed item is sent again now, with its same key. */
export async function retryItem(id: number): Promise<void> {
  await outboxDb.items.update(id, { status: 'pending', nextAt: 0, error: null });
  void syncNow();
}

export async function discardItem(id: number): Promise<void> {
  await outboxDb.items.delete(id);
}

/** Wires the triggers once for the app. */
export function startSync(): void {
  window.addEventListener('online', () => {
    // Back online: skip the backoff.
    void outboxDb.items
      .where('status')
      .equals('pending')
      .modify({ nextAt: 0 })
      .then(() => syncNow());
  });
  void pruneSent().then(() => syncNow());
}

/** The outbox, live, newest first. */
export function useOutbox(): OutboxItem[] {
  const [items, setItems] = useState<OutboxItem[]>([]);
  useEffect(() => {
    const sub = liveQuery(() => outboxDb.items.orderBy('createdAt').reverse().toArray()).subscribe({ next: setItems, error: (e) => console.error(e) });
    return () => sub.unsubscribe();
  }, []);
  return items;
}
