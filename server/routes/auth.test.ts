import { expect, it } from 'vitest';
import { createApp } from '../app';
import { ensureSampleUsers, SAMPLE_PASSWORD } from '../auth/users';
import { describeEachEngine } from '../testing/databases';

const login = (app: ReturnType<typeof createApp>, username: string, password: string, ip = '10.0.0.1') =>
  app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip }, body: JSON.stringify({ username, password }) });

describeEachEngine('sign-in', (db) => {
  it('signs in with a hashed password, sets an HttpOnly SameSite cookie and knows the user', async () => {
    await ensureSampleUsers(db());
    const app = createApp(db());
    const res = await login(app, 'mingshan', SAMPLE_PASSWORD);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { user: Record<string, unknown> };
    expect(body.user).toMatchObject({ username: 'mingshan', role: 'planner', jurisdictionCode: '450902005' });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/dj_session=[^;]+;/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const session = cookie.split(';')[0]!;
    const me = await app.request('/api/auth/me', { headers: { cookie: session } });
    expect(((await me.json()) as { user: { username: string } }).user.username).toBe('mingshan');
    expect((await app.request('/api/grids/450902005001001', { headers: { cookie: session } })).status).toBe(200);
    // A tampered token is no session at all.
    expect((await app.request('/api/grids/450902005001001', { headers: { cookie: `${session}x` } })).status).toBe(401);
    const rows = await db().rows<{ password_hash: string }>((await import('drizzle-orm')).sql`SELECT password_hash FROM users WHERE username = 'mingshan'`);
    expect(rows[0]!.password_hash).toMatch(/^scrypt\$/);
    expect(rows[0]!.password_hash).not.toContain(SAMPLE_PASSWORD);
  });

  it('answers wrong passwords alike for known and unknown users, then rate-limits', async () => {
    await ensureSampleUsers(db());
    const app = createApp(db());
    const unknown = await login(app, 'nobody', 'wrong-password', '10.0.0.9');
    const wrong = await login(app, 'leader', 'wrong-password', '10.0.0.2');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(await unknown.json()).toEqual(await wrong.json());
    for (let i = 0; i < 4; i++) expect((await login(app, 'leader', `wrong-${i}`, '10.0.0.2')).status).toBe(401);
    const limited = await login(app, 'leader', SAMPLE_PASSWORD, '10.0.0.2');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('validates the sign-in body', async () => {
    const app = createApp(db());
    const res = await app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":""}' });
    expect(res.status).toBe(400);
    const malformed = await app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username": "a", ' });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toContain('application/problem+json');
  });
});
