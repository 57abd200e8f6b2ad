/**
 * The live incident stream (GET /api/incidents/events) as a hook: one EventSource per
 * caller that reconnects on its own after a network drop, a server restart or a
 * refused connection, waiting 0.5 s, 1 s, 2 s … up to 10 s (with jitter) between
 * tries, and resumes after the last event it saw (lastEventId), so nothing written
 * in between is missed. The connection status is exposed for a status dot and tests.
 */
import { useEffect, useRef, useState } from 'react';
import type { LiveIncidentEvent } from '../../../../server/live/eventStream';
import { api } from '../../api/client';

export type { LiveIncidentEvent };
export type LiveStatus = 'connecting' | 'open' | 'reconnecting';

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 10_000;

/** Delay before reconnect attempt `attempt` (1, 2, …): doubling, capped, ±20 % jitter. */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

export interface IncidentEventsOptions {
  enabled?: boolean;
  /** The server could not replay everything missed: refetch whatever the page shows. */
  onResync?: () => void;
}

export function useIncidentEvents(onEvent: (event: LiveIncidentEvent) => void, { enabled = true, onResync }: IncidentEventsOptions = {}): { status: LiveStatus } {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const handlers = useRef({ onEvent, onResync });
  handlers.current = { onEvent, onResync };

  useEffect(() => {
    if (!enabled) return;
    let source: EventSource | null = null;
    let timer: number | undefined;
    let attempt = 0;
    let lastEventId: string | null = null;
    let stopped = false;

    const connect = () => {
      const url = api.api.incidents.events.$url();
      if (lastEventId) url.searchParams.set('lastEventId', lastEventId);
      const es = new EventSource(url);
      source = es;
      es.addEventListener('ready', () => {
        attempt = 0;
        setStatus('open');
      });
      es.addEventListener('incident', (message) => {
        const m = message as MessageEvent<string>;
        if (m.lastEventId) lastEventId = m.lastEventId;
        handlers.current.onEvent(JSON.parse(m.data) as LiveIncidentEvent);
      });
      es.addEventListener('resync', () => handlers.current.onResync?.());
      es.onerror = () => {
        // Reconnect on our own schedule (the browser's own retry gives up on an HTTP error status).
        es.close();
        if (stopped || source !== es) return;
        source = null;
        setStatus('reconnecting');
        attempt += 1;
        timer = window.setTimeout(connect, reconnectDelayMs(attempt));
      };
    };
    // A page coming back from the background or the network returning: try at once.
    const online = () => {
      if (source || stopped) return;
      window.clearTimeout(timer);
      connect();
    };

    setStatus('connecting');
    connect();
    window.addEventListener('online', online);
    return () => {
      stopped = true;
      window.removeEventListener('online', online);
      window.clearTimeout(timer);
      source?.close();
      source = null;
    };
  }, [enabled]);

  return { status };
}
