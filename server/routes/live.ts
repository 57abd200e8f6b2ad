/**
 * GET /api/incidents/events — the live stream of incident events (server-sent events)
 * the signed-in reader may see. Resumes after `Last-Event-ID` (header, or the
 * `lastEventId` query a client sends when it reconnects by itself). The stream is in
 * server/live/eventStream.ts; one poller per process in server/live/incidentHub.ts.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { DomainError } from '../http/domainError';
import { writerOf } from '../incidents/incidentWriter';
import { openEventStream, SSE_HEADERS } from '../live/eventStream';
import { hubFor, TooManyConnections } from '../live/incidentHub';

const eventId = z
  .string()
  .regex(/^\d{1,15}$/, 'Last-Event-ID 应为事件编号（整数）')
  .transform(Number);

class BadEventId extends DomainError {
  constructor(field: string, reason: string) {
    super(400, '请求参数无效', reason, { errors: [{ field, reason }] });
  }
}

class TooManyStreams extends DomainError {
  constructor(max: number) {
    super(429, '连接过多', `同一账号最多同时打开 ${max} 个实时连接，请关闭其他页面后重试`, { errors: [{ field: '(connection)', reason: `已达上限 ${max}` }] });
  }
}

function readEventId(header: string | undefined, query: string | undefined): number | null {
  const [field, value] = header !== undefined && header !== '' ? ['Last-Event-ID', header] : ['lastEventId', query];
  if (value === undefined || value === '') return null;
  const parsed = eventId.safeParse(value.trim());
  if (!parsed.success) throw new BadEventId(field, parsed.error.issues[0]?.message ?? 'Last-Event-ID 无效');
  return parsed.data;
}

export const liveRoute = new Hono<AppEnv>().get('/', async (c) => {
  const user = writerOf(c.var.user);
  const lastEventId = readEventId(c.req.header('last-event-id'), c.req.query('lastEventId'));
  const hub = hubFor(c.var.db);
  try {
    const body = await openEventStream(c.var.db, hub, user, lastEventId, c.req.raw.signal);
    return c.body(body, 200, SSE_HEADERS);
  } catch (error) {
    if (error instanceof TooManyConnections) throw new TooManyStreams(hub.options.maxPerUser);
    throw error;
  }
});
