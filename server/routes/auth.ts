/** Sign-in, sign-out and the current user. */
import { zValidator } from '@hono/zod-validator';
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { LoginLimiter } from '../auth/loginLimiter';
import { verifyPassword } from '../auth/passwords';
import { ROLE_LABELS, type Role, type SessionUser } from '../../kernel/roles';
import { issueToken, SESSION_COOKIE, SESSION_HOURS } from '../auth/sessionToken';
import { invalidInput, problem } from '../http/problem';

const loginBody = z.object({
  username: z.string().trim().min(1, '请输入用户名').max(50, '用户名最长 50 个字符'),
  password: z.string().min(1, '请输入密码').max(200, '密码最长 200 个字符'),
});

export function authRoute(secret: string, limiter = new LoginLimiter()) {
  return new Hono<AppEnv>()
    .post('/login', zValidator('json', loginBody, invalidInput), async (c) => {
      const { username, password } = c.req.valid('json');
      const keys = [`user:${username}`, `ip:${c.req.header('x-forwarded-for') ?? 'local'}`];
      const wait = limiter.retryAfter(keys);
      if (wait > 0) {
        c.header('Retry-After', String(wait));
        return problem(c, 429, '尝试次数过多', `登录失败次数过多，请 ${Math.ceil(wait / 60)} 分钟后再试`);
      }
      const [row] = await c.var.db.rows<{ id: number; username: string; display_name: string; role: Role; jurisdiction_code: string | null; password_hash: string | null }>(sql`
        SELECT id, username, display_name, role, jurisdiction_code, password_hash FROM users WHERE username = ${username}`);
      // Verify even for unknown users so response time does not reveal which names exist.
      const ok = await verifyPassword(password, row?.password_hash ?? 'scrypt$16384$8$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
      if (!row || !ok) {
        limiter.fail(keys);
        return problem(c, 401, '登录失败', '用户名或密码错误');
      }
      limiter.succeed(keys);
      const user: SessionUser = { id: row.id, username: row.username, displayName: row.display_name, role: row.role, jurisdictionCode: row.jurisdiction_code };
      c.set('user', user);
      setCookie(c, SESSION_COOKIE, issueToken(secret, user), {
        httpOnly: true,
        sameSite: 'Strict',
        path: '/',
        secure: c.req.url.startsWith('https:'),
        maxAge: SESSION_HOURS * 3600,
      });
      return c.json({ user: { ...user, roleLabel: ROLE_LABELS[user.role] } }, 200);
    })
    .post('/logout', (c) => {
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.json({ ok: true as const }, 200);
    })
    .get('/me', (c) => {
      const user = c.var.user;
      if (!user) return problem(c, 401, '未登录', '请先登录');
      return c.json({ user: { ...user, roleLabel: ROLE_LABELS[user.role] } }, 200);
    });
}
