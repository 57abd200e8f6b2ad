/**
 * Tile requests reuse a session read for a moment (server/auth/tileSessions.ts), yet sign-out,
 * an admin's 强制下线, a demotion and a deletion in this process still stop the very next tile;
 * a change this process did not make (another server on the database) shows within the TTL.
 */
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { createApp } from '../app';
import { describeEachEngine } from '../testing/databases';
import { TEST_ADMIN } from '../testing/principals';
import { tokenHash } from './sessions';
import { readSessionForTiles, tileSessionTtlMs } from './tileSessions';

const TILE = '/tiles/grids/14/13205/7133.mvt';

describeEachEngine('tile requests and the session memo', (db) => {
  let app: ReturnType<typeof createApp>;
  let admin: ReturnType<typeof createApp>;
  beforeAll(() => {
    app = createApp(db(), { tileCache: null });
    admin = createApp(db(), { anonymousUser: TEST_ADMIN, tileCache: null });
  });

  const json = (method: string, body?: unknown, cookie?: string) => ({
    method,
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

  async function account(username: string): Promise<{ id: number; cookie: string }> {
    const created = await admin.request('/api/users', json('POST', { username, displayName: username, role: 'analyst', password: 'tile-password-2026' }));
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    const res = await app.request('/api/auth/login', json('POST', { username, password: 'tile-password-2026' }));
    expect(res.status).toBe(200);
    return { id, cookie: res.headers.get('set-cookie')!.split(';')[0]! };
  }

  const tile = async (cookie: string) => {
    const res = await app.request(TILE, { headers: { cookie } });
    await res.arrayBuffer();
    return res.status;
  };

  it('sign-out stops the next tile although the session was just read', async () => {
    const { cookie } = await account('tile-logout');
    expect(await tile(cookie)).toBe(200);
    expect(await tile(cookie)).toBe(200);
    expect((await app.request('/api/auth/logout', { method: 'POST', headers: { cookie } })).status).toBe(200);
    expect(await tile(cookie)).toBe(401);
  });

  it('an admin’s 强制下线 and a deletion stop the next tile', async () => {
    const a = await account('tile-revoked');
    expect(await tile(a.cookie)).toBe(200);
    expect((await admin.request(`/api/users/${a.id}/sessions/revoke`, { method: 'POST' })).status).toBe(200);
    expect(await tile(a.cookie)).toBe(401);

    const b = await account('tile-deleted');
    expect(await tile(b.cookie)).toBe(200);
    expect((await admin.request(`/api/users/${b.id}`, { method: 'DELETE' })).status).toBe(200);
    expect(await tile(b.cookie)).toBe(401);
  });

  it('a revocation this process did not make shows once the memo’s moment has passed', async () => {
    const { cookie } = await account('tile-elsewhere');
    const token = cookie.split('=')[1]!;
    const t0 = 1_000_000;
    expect((await readSessionForTiles(db(), token, 2000, t0))?.username).toBe('tile-elsewhere');
    // Another server process revokes it: this process did not see the write.
    await db().rows(sql`UPDATE sessions SET revoked_at = now() WHERE id = ${tokenHash(token)}`);
    expect((await readSessionForTiles(db(), token, 2000, t0 + 1999))?.username).toBe('tile-elsewhere');
    expect(await readSessionForTiles(db(), token, 2000, t0 + 2000)).toBeNull();
    // TTL 0: every read is live.
    expect(await readSessionForTiles(db(), token, 0, t0)).toBeNull();
  });

  it('API requests always read the session live', async () => {
    const { cookie } = await account('tile-api-live');
    expect(await tile(cookie)).toBe(200);
    await db().rows(sql`UPDATE sessions SET revoked_at = now() WHERE id = ${tokenHash(cookie.split('=')[1]!)}`);
    expect((await app.request('/api/auth/me', { headers: { cookie } })).status).toBe(401);
  });
});

it('TILE_SESSION_MS: default 2 s, 0 turns the memo off, nonsense is refused', () => {
  expect(tileSessionTtlMs({})).toBe(2000);
  expect(tileSessionTtlMs({ TILE_SESSION_MS: '0' })).toBe(0);
  expect(tileSessionTtlMs({ TILE_SESSION_MS: '500' })).toBe(500);
  expect(() => tileSessionTtlMs({ TILE_SESSION_MS: 'soon' })).toThrow(/TILE_SESSION_MS/);
});
