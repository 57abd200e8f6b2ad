/**
 * The sample's people on both engines: its departments and category map are loaded, each
 * demo account of the loop signs in with the demo password, finds its desk in its own
 * workbench tabs (server/incidents/inbox.ts) and can act on it — the assignment the
 * generator wrote is the one the action table checks.
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { SAMPLE_CATEGORY_DEPARTMENTS, SAMPLE_DEPARTMENTS } from '../../data/departments';
import { INCIDENT_CATEGORIES } from '../../data/incidents';
import { SAMPLE_ACCOUNTS } from '../../data/sampleAccounts';
import type { SessionUser } from '../../kernel/roles';
import { createApp } from '../app';
import { describeEachEngine } from '../testing/databases';
import { postJsonAs } from '../testing/requestAs';
import { ensureSampleUsers, SAMPLE_PASSWORD } from './users';

describeEachEngine('sample departments and demo accounts', (db) => {
  it('loads the departments and every category’s default departments', async () => {
    const depts = await db().rows<{ code: string; name: string; level: string; service_region_code: string; contact_phone: string }>(
      sql`SELECT code, name, level, service_region_code, contact_phone FROM departments ORDER BY code`,
    );
    expect(depts.map((d) => d.code)).toEqual(SAMPLE_DEPARTMENTS.map((d) => d.code).sort());
    for (const d of depts) expect(d.contact_phone).toMatch(/^0775-\d{7}$/);
    const names = depts.map((d) => d.name).join('、');
    for (const kind of ['城市管理', '住房和城乡建设', '市场监督', '公安', '民政', '供电', '水务', '物业']) expect(names).toContain(kind);
    const map = await db().rows<{ category_code: string; code: string }>(sql`SELECT m.category_code, d.code FROM category_departments m JOIN departments d ON d.id = m.department_id`);
    for (const c of INCIDENT_CATEGORIES)
      expect(
        map
          .filter((m) => m.category_code === c.code)
          .map((m) => m.code)
          .sort(),
      ).toEqual([...SAMPLE_CATEGORY_DEPARTMENTS[c.code]!].sort());
  });

  it('signs each loop account in with the demo password and shows it its desk in its own tabs', async () => {
    await ensureSampleUsers(db());
    await ensureSampleUsers(db()); // idempotent
    const app = createApp(db());
    const users = new Map<string, SessionUser>();
    const counts = new Map<string, Record<string, number>>();
    for (const [k, account] of SAMPLE_ACCOUNTS.entries()) {
      const login = await app.request('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.1.0.${k + 1}` },
        body: JSON.stringify({ username: account.username, password: SAMPLE_PASSWORD }),
      });
      expect(login.status, account.username).toBe(200);
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
      const me = ((await (await app.request('/api/auth/me', { headers: { cookie } })).json()) as { user: SessionUser }).user;
      expect(me).toMatchObject({ username: account.username, role: account.role });
      if (account.gridCodes) expect([...me.gridCodes].sort()).toEqual([...account.gridCodes].sort());
      if (account.jurisdictionCode && account.role === 'dispatcher') expect(me.jurisdictionCode).toBe(account.jurisdictionCode);
      users.set(account.username, me);
      const res = await app.request('/api/incidents/inbox/counts', { headers: { cookie } });
      expect(res.status, account.username).toBe(200);
      counts.set(account.username, ((await res.json()) as { counts: Record<string, number> }).counts);
    }
    expect(users.get('chengguan')!.departmentId).not.toBeNull();
    // At least the desk's cases (data/desk.ts); the rest of the year adds more in 名山街道.
    const atLeast = (username: string, tabs: Record<string, number>) => {
      for (const [tab, n] of Object.entries(tabs)) expect(counts.get(username)![tab], `${username} ${tab}`).toBeGreaterThanOrEqual(n);
    };
    atLeast('wangge1', { mine: 6, to_verify: 1 });
    atLeast('wangge2', { mine: 3, to_sign: 1, to_verify: 2 });
    atLeast('zhihui', { to_dispatch: 4, to_verify: 2, to_revisit: 3, supervised: 3, overdue: 1 });
    atLeast('wuliqiao', { to_dispatch: 4, to_revisit: 3 });
    atLeast('chengguan', { to_sign: 1, to_handle: 1 });
    atLeast('zhujian', { to_sign: 1, to_handle: 1 });
    atLeast('wuye', { to_handle: 1 });

    // The history is linked to the accounts by id, and the desk is workable: 城管 signs its case.
    const [linked] = await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM incident_transitions WHERE actor_username IS NOT NULL AND actor_user_id IS NULL`);
    expect(linked!.n).toBe(0);
    const [toSign] = await db().rows<{ id: number }>(sql`
      SELECT i.id FROM incidents i JOIN departments d ON d.id = i.department_id
      WHERE d.code = 'YZ-CG' AND i.stage = 'dispatch' AND i.grid_code LIKE '450902005001%' AND i.pending_request IS NULL ORDER BY i.id DESC LIMIT 1`);
    const signed = await postJsonAs(db(), users.get('chengguan')!, `/api/incidents/${toSign!.id}/actions`, { action: 'sign', expectedStage: 'dispatch' });
    expect(signed.status).toBe(200);
    // The pending 退单 is the dispatcher's to decide, not 城管's to sign.
    const [returned] = await db().rows<{ id: number }>(sql`SELECT incident_id AS id FROM incident_requests WHERE kind = 'return' AND decision IS NULL LIMIT 1`);
    expect((await postJsonAs(db(), users.get('chengguan')!, `/api/incidents/${returned!.id}/actions`, { action: 'sign', expectedStage: 'dispatch' })).status).toBe(422);
    expect((await postJsonAs(db(), users.get('zhihui')!, `/api/incidents/${returned!.id}/actions`, { action: 'return_approved', expectedStage: 'dispatch' })).status).toBe(200);
  });
});
