/**
 * Usernames are unique regardless of case — in the API (a clear Chinese 409), in the
 * database itself (a unique index on lower(username)) and at sign-in.
 */
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { createApp } from '../app';
import { ensureSampleUsers, SAMPLE_PASSWORD } from '../auth/users';
import { describeEachEngine } from '../testing/databases';
import { TEST_ADMIN } from '../testing/principals';

describeEachEngine('case-insensitive usernames', (db) => {
  beforeAll(async () => {
    await ensureSampleUsers(db());
  });
  const admin = () => createApp(db(), { anonymousUser: TEST_ADMIN });
  const post = (_path: string, body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const count = async () => (await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM users`))[0]!.n;

  it('refuses ADMIN beside admin with a Chinese 409 naming the field', async () => {
    const before = await count();
    const res = await admin().request('/api/users', post('/api/users', { username: 'ADMIN', displayName: '冒名管理员', role: 'admin', password: 'a-long-password-1' }));
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const body = (await res.json()) as { title: string; detail: string; errors: { field: string; reason: string }[] };
    expect(body.title).toBe('用户名已存在');
    expect(body.detail).toContain('admin');
    expect(body.detail).toContain('不区分大小写');
    expect(body.errors).toEqual([{ field: 'username', reason: expect.stringContaining('不区分大小写') }]);
    expect(await count()).toBe(before);
  });

  it('the database itself refuses a username that differs only in case', async () => {
    await expect(db().rows(sql`INSERT INTO users (username, display_name, role) VALUES ('LeAdEr', 'x', 'leader')`)).rejects.toThrow();
    const [row] = await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM users WHERE lower(username) = 'leader'`);
    expect(row!.n).toBe(1);
  });

  it('signs in whatever the case of the username, as the stored account', async () => {
    const res = await createApp(db()).request('/api/auth/login', post('/api/auth/login', { username: 'MingShan', password: SAMPLE_PASSWORD }));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: { username: string } }).user.username).toBe('mingshan');
  });
});
