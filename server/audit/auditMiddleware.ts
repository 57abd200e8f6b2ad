/**
 * Records every write (and every export download) in audit_log: who, when, what, from
 * where and how it ended — refused attempts included. Written after the request's own
 * transaction, so a failed audit insert never undoes or blocks the user's work.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import { sql } from 'drizzle-orm';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../appEnv';

const isWrite = (method: string) => !['GET', 'HEAD', 'OPTIONS'].includes(method);

function clientAddress(c: Context<AppEnv>): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    // In-process requests (tests) have no socket.
    return c.req.header('x-forwarded-for')?.split(',')[0]?.trim() ?? null;
  }
}

export function auditMiddleware(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const path = c.req.path;
    const exporting = c.req.method === 'GET' && /^\/api\/exports\/(?!layers)[^/]+$/.test(path);
    if (!path.startsWith('/api/') || (!isWrite(c.req.method) && !exporting)) return;
    if (path === '/api/auth/logout') return;
    const [, , entity = '', ...rest] = path.split('/');
    const user = c.var.user;
    const query = new URL(c.req.url).search.slice(0, 500);
    try {
      await c.var.db.db.execute(sql`
        INSERT INTO audit_log (actor, action, entity, entity_id, ip, detail)
        VALUES (${user?.username ?? (path === '/api/auth/login' ? '(登录尝试)' : '(未登录)')}, ${exporting ? 'EXPORT' : c.req.method}, ${entity}, ${rest.join('/').slice(0, 200) || null},
                ${clientAddress(c)}, ${JSON.stringify({ status: c.res.status, query: query || undefined, role: user?.role })}::jsonb)`);
    } catch (e) {
      console.error('audit log write failed:', (e as Error).message);
    }
  };
}
