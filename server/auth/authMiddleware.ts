/** Reads the session and enforces the access policy before any route runs. */
import { getCookie } from 'hono/cookie';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../appEnv';
import { problem } from '../http/problem';
import { accessFor } from './policy';
import { ROLE_LABELS, type SessionUser } from '../../kernel/roles';
import { readSession, SESSION_COOKIE } from './sessions';
import { readSessionForTiles, tileSessionTtlMs } from './tileSessions';

/** The session token a request carries: a Bearer header (scripts) or the cookie. */
export const requestToken = (c: Context): string | undefined => c.req.header('authorization')?.match(/^Bearer (.+)$/)?.[1] ?? getCookie(c, SESSION_COOKIE);

/** `anonymousUser` (tests only) stands in for requests that carry no session. */
export function authMiddleware(anonymousUser: SessionUser | null = null, tileSessionMs = tileSessionTtlMs()): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const access = accessFor(c.req.method, c.req.path);
    // Public pages and files need no session, so they cost no lookup.
    if (access === 'public') return next();
    const token = requestToken(c);
    // Tile requests (GET /tiles/…, dozens per map move) may reuse a read of the last moment; the API reads live.
    const tile = c.req.method === 'GET' && c.req.path.startsWith('/tiles/');
    const user = !token ? anonymousUser : tile ? await readSessionForTiles(c.var.db, token, tileSessionMs) : await readSession(c.var.db, token);
    c.set('user', user);
    if (!user) return problem(c, 401, '未登录', '请先登录');
    if (access !== 'signedIn' && !access.includes(user.role)) {
      return problem(c, 403, '无权限', `当前角色「${ROLE_LABELS[user.role]}」不能执行此操作`);
    }
    return next();
  };
}
