/** Sign-in, sign-out and the current user. */
import { zValidator } from '@hono/zod-validator';
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { clientAddress, type TrustedProxies } from '../auth/clientAddress';
import { requestToken } from '../auth/authMiddleware';
import { auditFailedLogin } from '../auth/loginAudit';
import { isRefusal, type LoginLimiter } from '../auth/loginLimiter';
import { verifyPassword } from '../auth/passwords';
import { createSession, revokeSession, SESSION_COOKIE, SESSION_HOURS } from '../auth/sessions';
import { ROLE_LABELS, type SessionUser } from '../../kernel/roles';
import { SESSION_USER_COLUMNS, toSessionUser, type SessionUserRow } from '../auth/sessionUser';
import { invalidInput, problem } from '../http/problem';

const loginBody = z.object({
  username: z.string().trim().min(1, '请输入用户名').max(50, '用户名最长 50 个字符'),
  password: z.string().min(1, '请输入密码').max(200, '密码最长 200 个字符'),
});

/** Verified for unknown users too, so response time does not reveal which names exist. */
const NO_PASSWORD = 'scrypt$16384$8$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export function authRoute(options: { limiter: LoginLimiter; trustedProxies: TrustedProxies }) {
  const { limiter, trustedProxies } = options;
  return new Hono<AppEnv>()
    .post('/login', zValidator('json', loginBody, invalidInput), async (c) => {
      const { username, password } = c.req.valid('json');
      const address = clientAddress(c, trustedProxies);
      const attempt = limiter.attempt(address, username);
      if (isRefusal(attempt)) {
        await auditFailedLogin(c.var.db, { username, address, status: 429, reason: attempt.reason === 'address' ? '此地址失败次数过多' : '此账号失败次数过多' });
        c.header('Retry-After', String(attempt.retryAfter));
        const wait = attempt.retryAfter >= 60 ? `${Math.ceil(attempt.retryAfter / 60)} 分钟` : `${attempt.retryAfter} 秒`;
        return problem(c, 429, '尝试次数过多', `登录失败次数过多，请 ${wait}后再试`);
      }
      const [row] = await c.var.db.rows<SessionUserRow & { password_hash: string | null }>(sql`
        SELECT ${SESSION_USER_COLUMNS}, u.password_hash FROM users u WHERE lower(u.username) = lower(${username})`);
      const ok = await verifyPassword(password, row?.password_hash ?? NO_PASSWORD);
      if (!row || !ok) {
        attempt.failed();
        await auditFailedLogin(c.var.db, { username, address, status: 401, reason: '用户名或密码错误' });
        return problem(c, 401, '登录失败', '用户名或密码错误');
      }
      attempt.succeeded();
      const user: SessionUser = toSessionUser(row);
      c.set('user', user);
      setCookie(c, SESSION_COOKIE, await createSession(c.var.db, user.id, address), {
        httpOnly: true,
        sameSite: 'Strict',
        path: '/',
        secure: c.req.url.startsWith('https:'),
        maxAge: SESSION_HOURS * 3600,
      });
      return c.json({ user: { ...user, roleLabel: ROLE_LABELS[user.role] } }, 200);
    })
    .post('/logout', async (c) => {
      const token = requestToken(c);
      if (token) await revokeSession(c.var.db, token);
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.json({ ok: true as const }, 200);
    })
    .get('/me', (c) => {
      const user = c.var.user;
      if (!user) return problem(c, 401, '未登录', '请先登录');
      return c.json({ user: { ...user, roleLabel: ROLE_LABELS[user.role] } }, 200);
    });
}
