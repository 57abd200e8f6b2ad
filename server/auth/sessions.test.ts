/**
 * Sessions are revocable: an old cookie stops working at once after sign-out, a
 * demotion, the account's deletion, a password reset, or an admin's 强制下线.
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { createApp } from '../app';
import { describeEachEngine } from '../testing/databases';
import { TEST_ADMIN } from '../testing/principals';

const GRID = '450902005001002'; // 名山街道

describeEachEngine('revocable sessions', (db) => {
  // Production-like: no stand-in user, a session is needed for everything.
  let app: ReturnType<typeof createApp>;
  // The administrator's own requests.
  let admin: ReturnType<typeof createApp>;
  beforeAll(() => {
    app = createApp(db(), {});
    admin = createApp(db(), { anonymousUser: TEST_ADMIN });
  });

  const json = (method: string, body?: unknown, cookie?: string) => ({
    method,
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

  async function createAccount(username: string, role = 'planner', password = 'first-password-2026') {
    const res = await admin.request('/api/users', json('POST', { username, displayName: username, role, jurisdictionCode: role === 'planner' ? '450902005' : null, password }));
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: number }).id;
  }

  async function signIn(username: string, password = 'first-password-2026') {
    const res = await app.request('/api/auth/login', json('POST', { username, password }));
    expect(res.status).toBe(200);
    return res.headers.get('set-cookie')!.split(';')[0]!;
  }

  const me = async (cookie: string) => (await app.request('/api/auth/me', { headers: { cookie } })).status;

  async function dryRunEdit(cookie: string) {
    const [g] = await db().rows<{ version: number }>(sql`SELECT version FROM grids WHERE code = ${GRID}`);
    const res = await app.request(`/api/grids/${GRID}?dryRun=true`, json('PUT', { version: g!.version, attributes: { households: 321 } }, cookie));
    await res.arrayBuffer();
    return res.status;
  }

  it('an old cookie gets 401 right after sign-out', async () => {
    await createAccount('sess-logout');
    const cookie = await signIn('sess-logout');
    expect(await me(cookie)).toBe(200);
    expect((await app.request('/api/auth/logout', { method: 'POST', headers: { cookie } })).status).toBe(200);
    expect(await me(cookie)).toBe(401);
    expect(await dryRunEdit(cookie)).toBe(401);
  });

  it('a planner demoted to leader is refused edits at once with the old cookie (403)', async () => {
    const id = await createAccount('sess-demoted');
    const cookie = await signIn('sess-demoted');
    expect(await dryRunEdit(cookie)).toBe(200);
    expect((await admin.request(`/api/users/${id}`, json('PATCH', { role: 'leader' }))).status).toBe(200);
    expect(await dryRunEdit(cookie)).toBe(403);
    const who = (await (await app.request('/api/auth/me', { headers: { cookie } })).json()) as { user: { role: string; jurisdictionCode: string | null } };
    expect(who.user).toMatchObject({ role: 'leader', jurisdictionCode: null });
  });

  it("a deleted planner's old cookie gets 401 at once (no more dry-run edits)", async () => {
    const id = await createAccount('sess-deleted');
    const cookie = await signIn('sess-deleted');
    expect(await dryRunEdit(cookie)).toBe(200);
    expect((await admin.request(`/api/users/${id}`, { method: 'DELETE' })).status).toBe(200);
    expect(await dryRunEdit(cookie)).toBe(401);
    expect(await me(cookie)).toBe(401);
  });

  it("an admin's password reset signs the user out on every device; the new password works", async () => {
    const id = await createAccount('sess-reset');
    const laptop = await signIn('sess-reset');
    const phone = await signIn('sess-reset');
    expect((await admin.request(`/api/users/${id}`, json('PATCH', { password: 'second-password-2026' }))).status).toBe(200);
    expect(await me(laptop)).toBe(401);
    expect(await me(phone)).toBe(401);
    expect(await me(await signIn('sess-reset', 'second-password-2026'))).toBe(200);
  });

  it("an admin's sign-out-everywhere (POST /api/users/:id/sessions/revoke) ends all of one user's sessions only", async () => {
    const id = await createAccount('sess-revoked');
    await createAccount('sess-bystander');
    const a = await signIn('sess-revoked');
    const b = await signIn('sess-revoked');
    const bystander = await signIn('sess-bystander');
    const list = (await (await admin.request('/api/users')).json()) as { users: { username: string; activeSessions: number }[] };
    expect(list.users.find((u) => u.username === 'sess-revoked')?.activeSessions).toBe(2);
    const res = await admin.request(`/api/users/${id}/sessions/revoke`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id, revoked: 2 });
    expect(await me(a)).toBe(401);
    expect(await me(b)).toBe(401);
    expect(await me(bystander)).toBe(200);
    expect((await app.request(`/api/users/${id}/sessions/revoke`, { method: 'POST', headers: { cookie: bystander } })).status).toBe(403);
    expect((await admin.request('/api/users/999999/sessions/revoke', { method: 'POST' })).status).toBe(404);
    const [audit] = await db().rows<{ action: string; entity_id: string }>(sql`
      SELECT action, entity_id FROM audit_log WHERE entity = 'users' AND entity_id = ${`${id}/sessions/revoke`} ORDER BY id DESC LIMIT 1`);
    expect(audit).toEqual({ action: 'POST', entity_id: `${id}/sessions/revoke` });
  });

  it('stores only a hash of the token, and an expired session is no session', async () => {
    await createAccount('sess-expired');
    const cookie = await signIn('sess-expired');
    const token = decodeURIComponent(cookie.split('=')[1]!);
    const hash = createHash('sha256').update(token).digest('base64url');
    const rows = await db().rows<{ id: string }>(sql`SELECT s.id FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'sess-expired'`);
    expect(rows).toEqual([{ id: hash }]);
    expect(await me(cookie)).toBe(200);
    await db().rows(sql`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = ${hash}`);
    expect(await me(cookie)).toBe(401);
  });
});
