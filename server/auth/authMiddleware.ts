/** Reads the session and enforces the access policy before any route runs. */
import { getCookie } from 'hono/cookie';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../appEnv';
import { problem } from '../http/problem';
import { accessFor } from './policy';
import { ROLE_LABELS, type SessionUser } from '../../kernel/roles';
import { readToken, SESSION_COOKIE } from './sessionToken';

/** `anonymousUser` (tests only) stands in for requests that carry no session. */
export function authMiddleware(secret: string, anonymousUser: SessionUser | null = null): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const bearer = c.req.header('authorization')?.match(/^Bearer (.+)$/)?.[1];
    const token = bearer ?? getCookie(c, SESSION_COOKIE);
    const user = token ? readToken(secret, token) : anonymousUser;
    c.set('user', user);
    const access = accessFor(c.req.method, c.req.path);
    if (access === 'public') return next();
    if (!user) return problem(c, 401, '未登录', '请先登录');
    if (access !== 'signedIn' && !access.includes(user.role)) {
      return problem(c, 403, '无权限', `当前角色「${ROLE_LABELS[user.role]}」不能执行此操作`);
    }
    return next();
  };
}
