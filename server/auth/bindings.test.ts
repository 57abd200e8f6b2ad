/**
 * The loop roles' bindings: a grid worker's grids, a dispatcher's command-centre
 * region, a department's staff — validated on create/update, stored in one
 * transaction, and carried by the session on sign-in and on every request.
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { createApp } from '../app';
import { describeEachEngine } from '../testing/databases';
import { TEST_ADMIN } from '../testing/principals';

const PASSWORD = 'a-long-password-1';
const json = (method: string, body: unknown) => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describeEachEngine('loop roles and their bindings', (db) => {
  const admin = () => createApp(db(), { anonymousUser: TEST_ADMIN });
  const twoGrids = async () => (await db().rows<{ code: string }>(sql`SELECT code FROM grids ORDER BY code LIMIT 2`)).map((r) => r.code);

  it('a grid worker is bound to existing grids and the session carries them', async () => {
    const grids = await twoGrids();
    const res = await admin().request('/api/users', json('POST', { username: 'gw-one', displayName: '网格员甲', role: 'grid_worker', gridCodes: grids, password: PASSWORD }));
    expect(res.status).toBe(201);
    const login = await createApp(db()).request('/api/auth/login', json('POST', { username: 'gw-one', password: PASSWORD }));
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const me = (await (await createApp(db()).request('/api/auth/me', { headers: { cookie } })).json()) as { user: { role: string; gridCodes: string[]; departmentId: number | null } };
    expect(me.user).toMatchObject({ role: 'grid_worker', gridCodes: [...grids].sort(), departmentId: null });
  });

  it('refuses a grid worker without grids or with an unknown grid, writing nothing', async () => {
    const before = (await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM users`))[0]!.n;
    for (const gridCodes of [[], ['450902999999999']]) {
      const res = await admin().request('/api/users', json('POST', { username: 'gw-bad', displayName: '网格员乙', role: 'grid_worker', gridCodes, password: PASSWORD }));
      expect(res.status).toBe(400);
      const body = (await res.json()) as { errors: { field: string; reason: string }[] };
      expect(body.errors[0]!.field).toBe('gridCodes');
    }
    expect((await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM users`))[0]!.n).toBe(before);
  });

  it('department staff need an existing department; a dispatcher a street or community', async () => {
    const noDept = await admin().request('/api/users', json('POST', { username: 'ds-x', displayName: '处置员', role: 'dept_staff', departmentId: 99999, password: PASSWORD }));
    expect(noDept.status).toBe(400);
    expect(((await noDept.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('departmentId');
    const [dept] = await db().rows<{ id: number }>(sql`INSERT INTO departments (code, name, level) VALUES ('T-CG', '测试城管', 'district') RETURNING id`);
    const ok = await admin().request('/api/users', json('POST', { username: 'ds-ok', displayName: '处置员', role: 'dept_staff', departmentId: dept!.id, password: PASSWORD }));
    expect(ok.status).toBe(201);
    const dispatcher = await admin().request('/api/users', json('POST', { username: 'dp-x', displayName: '受理员', role: 'dispatcher', password: PASSWORD }));
    expect(dispatcher.status).toBe(400);
    const users = (await (await admin().request('/api/users')).json()) as { users: { username: string; departmentId: number | null; gridCodes: string[] }[] };
    expect(users.users.find((u) => u.username === 'ds-ok')).toMatchObject({ departmentId: dept!.id, gridCodes: [] });
  });

  it('changing the role drops the old binding', async () => {
    const grids = await twoGrids();
    const created = (await (await admin().request('/api/users', json('POST', { username: 'gw-two', displayName: '网格员丙', role: 'grid_worker', gridCodes: grids.slice(0, 1), password: PASSWORD }))).json()) as {
      id: number;
    };
    const res = await admin().request(`/api/users/${created.id}`, json('PATCH', { role: 'dispatcher', jurisdictionCode: '450902005' }));
    expect(res.status).toBe(200);
    const [left] = await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM user_grids WHERE user_id = ${created.id}`);
    expect(left!.n).toBe(0);
  });
});
