/**
 * One live client's text/event-stream: `retry:` hint, a `ready` event, then the
 * incident events the reader may see, each with its `id:` so a reconnecting
 * EventSource resumes with Last-Event-ID (catch-up read from the feed, filtered by
 * the same rule), heartbeat comments every 15 s so proxies keep the connection, and
 * cleanup (unsubscribe, timers) however the connection ends.
 */
import type { DbHandle } from '../../db/client';
import { mayReadIncident } from '../../kernel/incidentAccess';
import type { SessionUser } from '../../kernel/roles';
import type { IncidentHub, Subscriber } from './incidentHub';
import { readTransitions, type TransitionEvent } from './transitionFeed';

/** At most this many missed events are replayed on resume; beyond, the client is told to reload (`resync`). */
export const MAX_CATCH_UP = 5_000;

/** What a client receives about an event: where and what, never who (names stay in the detail view). */
export function publicEvent(e: TransitionEvent) {
  return {
    id: e.id,
    incidentId: e.incidentId,
    action: e.action,
    fromStage: e.fromStage,
    stage: e.stage,
    at: e.at,
    gridCode: e.gridCode,
    communityCode: e.communityCode,
    streetCode: e.streetCode,
    communityName: e.communityName,
    categoryCode: e.categoryCode,
    categoryLabel: e.categoryLabel,
    source: e.source,
  };
}
export type LiveIncidentEvent = ReturnType<typeof publicEvent>;

export const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-store, no-transform',
  // nginx and similar proxies: pass each event on at once.
  'X-Accel-Buffering': 'no',
  'Content-Encoding': 'identity',
  Connection: 'keep-alive',
} as const;

/** Subscribes first (then events are buffered), so nothing written during the catch-up read is lost. */
export async function openEventStream(db: DbHandle, hub: IncidentHub, user: SessionUser, lastEventId: number | null, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
  const encoder = new TextEncoder();
  let controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  let closed = false;
  let lastSent = lastEventId ?? 0;
  let buffered: TransitionEvent[] | null = [];
  let heartbeat: ReturnType<typeof setInterval> | null = null;

  const write = (text: string) => {
    if (closed || !controller) return;
    try {
      controller.enqueue(encoder.encode(text));
    } catch {
      cleanup();
    }
  };
  const send = (e: TransitionEvent) => {
    // A late row (smaller id, see transitionFeed.ts) goes out without `id:` so the resume point never moves back.
    const idLine = e.id > lastSent ? `id: ${e.id}\n` : '';
    if (e.id > lastSent) lastSent = e.id;
    write(`${idLine}event: incident\ndata: ${JSON.stringify(publicEvent(e))}\n\n`);
  };
  const subscriber: Subscriber = {
    user,
    deliver: (e) => {
      if (buffered) buffered.push(e);
      else send(e);
    },
  };
  const cleanup = () => {
    if (closed) return;
    closed = true;
    if (heartbeat) clearInterval(heartbeat);
    hub.unsubscribe(subscriber);
    signal.removeEventListener('abort', cleanup);
    try {
      controller?.close();
    } catch {
      // already closed by the other side
    }
  };

  const position = await hub.subscribe(subscriber);
  signal.addEventListener('abort', cleanup);
  return new ReadableStream<Uint8Array>({
    async start(c) {
      controller = c;
      write(`retry: ${hub.options.retryMs}\n: live incident events\n\n`);
      if (lastEventId !== null && lastEventId < position) {
        let after = lastEventId;
        let replayed = 0;
        try {
          while (!closed && after < position) {
            const batch = await readTransitions(db, after, 500, position);
            if (batch.length === 0) break;
            after = (batch.at(-1) as TransitionEvent).id;
            replayed += batch.length;
            if (replayed > MAX_CATCH_UP) {
              write(`event: resync\ndata: ${JSON.stringify({ reason: 'too many missed events' })}\n\n`);
              lastSent = position;
              break;
            }
            for (const e of batch) if (mayReadIncident(user, e.audience)) send(e);
            lastSent = Math.max(lastSent, after);
          }
        } catch {
          write(`event: resync\ndata: ${JSON.stringify({ reason: 'catch-up failed' })}\n\n`);
        }
        lastSent = Math.max(lastSent, position);
      } else if (lastEventId === null) lastSent = position;
      write(`event: ready\ndata: ${JSON.stringify({ position: Math.max(position, lastSent) })}\n\n`);
      const pending = buffered ?? [];
      buffered = null;
      // Late rows (smaller ids) the client has not seen go out too; a rare one may repeat a catch-up row.
      for (const e of pending) if (e.id > lastSent || e.id > (lastEventId ?? 0)) send(e);
      heartbeat = setInterval(() => write(': heartbeat\n\n'), hub.options.heartbeatMs);
      heartbeat.unref?.();
    },
    cancel() {
      cleanup();
    },
  });
}
