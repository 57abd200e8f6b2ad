/**
 * 责任单位 administration and the category map (issue 14 point 1), the resident's
 * 回访 through a one-time link, and 就地解决: admins write departments, everyone
 * signed in reads them; bad input and unknown departments are refused with Chinese
 * problem details and nothing written.
 */
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import type { SessionUser } from '../../kernel/roles';
import { describeEachEngine } from '../testing/databases';
import { actAs, type LoopPeople, loopPeople, reportAs } from '../testing/loopPeople';
import { requestAs } from '../testing/requestAs';
import { createApp } from '../app';

const send = async (db: DbHandle, u: SessionUser, method: string, path: string, body?: unknown) => {
  const res = await requestAs(db, u, path, { method, headers: { 'Content-Type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

describeEachEngine('departments, category map, resident 回访, 就地解决', (db) => {
  let p: LoopPeople;
  beforeAll(async () => {
    p = await loopPeople(db(), 'dp');
  });

  it('admins create, update, deactivate and delete departments; others read only', async () => {
    const { admin, dispatcher, staffCg } = p.users;
    const created = await send(db(), admin, 'POST', '/api/departments', { code: 'DP-SW', name: '水务局', level: 'district', serviceRegionCode: p.street, contactName: '王工', contactPhone: '13800138000' });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    expect((await send(db(), dispatcher, 'POST', '/api/departments', { code: 'DP-X', name: '某局', level: 'district' })).status).toBe(403);
    const listed = await send(db(), staffCg, 'GET', '/api/departments');
    const mine = listed.body.departments.find((d: { id: number }) => d.id === id);
    expect(mine).toMatchObject({ code: 'DP-SW', name: '水务局', level: 'district', active: true });
    expect(mine.contactPhone).not.toBe('13800138000');
    expect((await send(db(), dispatcher, 'GET', '/api/departments')).body.departments.find((d: { id: number }) => d.id === id).contactPhone).toBe('13800138000');
    expect((await send(db(), admin, 'PATCH', `/api/departments/${id}`, { name: '水务公司', active: false })).status).toBe(200);
    const after = (await send(db(), admin, 'GET', '/api/departments')).body.departments.find((d: { id: number }) => d.id === id);
    expect(after).toMatchObject({ name: '水务公司', active: false, code: 'DP-SW' });
    expect((await send(db(), admin, 'DELETE', `/api/departments/${id}`)).status).toBe(200);
    expect((await send(db(), admin, 'DELETE', `/api/departments/${id}`)).status).toBe(404);
  });

  it('refuses bad department input and a department in use, writing nothing', async () => {
    const { admin, gw1, dispatcher } = p.users;
    const count = async () => Number((await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM departments`))[0]!.n);
    const before = await count();
    const bad: [unknown, number, string][] = [
      [{ code: 'bad code!', name: '某局', level: 'street' }, 400, 'code'],
      [{ code: 'DP-A', name: '<b>局</b>', level: 'street' }, 400, 'name'],
      [{ code: 'DP-A', name: '某局', level: 'planet' }, 400, 'level'],
      [{ code: 'DP-A', name: '某局', level: 'street', serviceRegionCode: '999999999' }, 422, 'serviceRegionCode'],
      [{ code: 'dp-cg', name: '重复', level: 'street' }, 409, 'code'],
      [{ code: 'DP-A', name: '某局', level: 'street', owner: 'x' }, 400, '(body)'],
    ];
    for (const [body, status, field] of bad) {
      const res = await send(db(), admin, 'POST', '/api/departments', body);
      expect({ body, status: res.status }).toEqual({ body, status });
      expect(res.body.title).toMatch(/[\u4e00-\u9fa5]/);
      expect(JSON.stringify(res.body.errors)).toContain(field === '(body)' ? 'owner' : field);
    }
    expect(await count()).toBe(before);
    const id = await reportAs(db(), gw1, p.grid);
    await actAs(db(), dispatcher, id, { action: 'dispatch', expectedStage: 'collect', departmentId: p.departments.sj });
    const inUse = await send(db(), admin, 'DELETE', `/api/departments/${p.departments.sj}`);
    expect(inUse.status).toBe(409);
    expect(inUse.body.detail).toMatch(/停用/);
  });

  it('maps categories to default departments, offered first when dispatching', async () => {
    const { admin, dispatcher, gw1 } = p.users;
    const put = await send(db(), admin, 'PUT', '/api/departments/category-map', { map: [{ categoryCode: 'SR01', departmentIds: [p.departments.zj] }] });
    expect(put.status).toBe(200);
    expect(put.body.map.find((m: { categoryCode: string }) => m.categoryCode === 'SR01').departmentIds).toEqual([p.departments.zj]);
    const badMap = await send(db(), admin, 'PUT', '/api/departments/category-map', { map: [{ categoryCode: 'NOPE', departmentIds: [999_999] }] });
    expect(badMap.status).toBe(422);
    expect(badMap.body.errors.map((e: { field: string }) => e.field)).toEqual(['map.0.categoryCode', 'map.0.departmentIds']);
    expect((await send(db(), admin, 'GET', '/api/departments/category-map')).body.map.find((m: { categoryCode: string }) => m.categoryCode === 'SR01').departmentIds).toEqual([p.departments.zj]);
    expect((await send(db(), dispatcher, 'PUT', '/api/departments/category-map', { map: [] })).status).toBe(403);
    const id = await reportAs(db(), gw1, p.grid);
    const candidates = await send(db(), dispatcher, 'GET', `/api/incidents/${id}/assignees`);
    expect(candidates.body.departments[0]).toMatchObject({ id: p.departments.zj, default: true });
    const workers = candidates.body.gridWorkers.map((w: { id: number }) => w.id);
    expect(workers).toEqual(expect.arrayContaining([p.users.gw2.id, p.users.gwNeighbour.id]));
    expect(workers).not.toContain(gw1.id);
    expect(candidates.body.gridWorkers[0].ownGrid).toBe(true);
  });

  it('回访 by the resident through a one-time link: no personal data shown, answered once, recorded as a revisit row', async () => {
    const { gw1, gw2, dispatcher, staffCg } = p.users;
    const id = await reportAs(db(), gw1, p.grid, '王大妈家门口 13900001111 的垃圾');
    await actAs(db(), dispatcher, id, { action: 'dispatch', expectedStage: 'collect', departmentId: p.departments.cg });
    expect((await send(db(), dispatcher, 'POST', `/api/incidents/${id}/revisit-link`)).status).toBe(422);
    await actAs(db(), staffCg, id, { action: 'sign', expectedStage: 'dispatch' });
    await actAs(db(), staffCg, id, { action: 'handle', expectedStage: 'handle', note: '已清运' });
    await actAs(db(), gw2, id, { action: 'verify', expectedStage: 'feedback' });
    expect((await send(db(), gw2, 'POST', `/api/incidents/${id}/revisit-link`)).status).toBe(403);
    const link = await send(db(), dispatcher, 'POST', `/api/incidents/${id}/revisit-link`);
    expect(link.status).toBe(201);
    const token = link.body.token as string;
    const stored = await db().rows<{ token_hash: string }>(sql`SELECT token_hash FROM incident_revisit_tokens WHERE incident_id = ${id}`);
    expect(stored[0]!.token_hash).not.toContain(token);
    // The public page's calls carry no session.
    const app = createApp(db(), { anonymousUser: null });
    const anon = async (path: string, init?: RequestInit) => app.request(path, init);
    const view = await anon(`/api/public/revisit/${token}`);
    const seen = (await view.json()) as Record<string, unknown>;
    expect(seen).toMatchObject({ open: true, answered: false, category: expect.stringContaining('/') });
    expect(JSON.stringify(seen)).not.toMatch(/王大妈|13900001111|测试/);
    const post = (body: unknown) => anon(`/api/public/revisit/${token}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post({ satisfaction: 9 })).status).toBe(400);
    expect((await post({ satisfaction: 4, actor: '居民' })).status).toBe(400);
    expect((await post({ satisfaction: 4, note: '很快' })).status).toBe(200);
    expect((await post({ satisfaction: 1 })).status).toBe(410);
    expect((await anon('/api/public/revisit/not-a-token')).status).toBe(404);
    const [row] = await db().rows<{ action: string; actor: string; actor_username: string | null; payload: unknown }>(
      sql`SELECT action, actor, actor_username, payload FROM incident_transitions WHERE incident_id = ${id} ORDER BY id DESC LIMIT 1`,
    );
    expect(row).toMatchObject({ action: 'revisit', actor: '居民（回访链接）', actor_username: null });
    const detail = await send(db(), dispatcher, 'GET', `/api/incidents/${id}`);
    expect(detail.body).toMatchObject({ satisfaction: 4, stage: 'close' });
    expect(detail.body.allowedActions.map((a: { action: string }) => a.action)).toEqual(['close']);
  });

  it('就地解决: a grid worker reports and closes at once; other roles may not', async () => {
    const { gw1, dispatcher } = p.users;
    const res = await requestAs(db(), gw1, '/api/incidents', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ gridCode: p.grid, category: 'SR01', source: 'grid', description: '小广告', onSpot: '已当场清除' }),
    });
    expect(res.status).toBe(201);
    const id = ((await res.json()) as { id: number }).id;
    const rows = await db().rows<{ action: string; to_stage: string; note: string }>(sql`SELECT action, to_stage, note FROM incident_transitions WHERE incident_id = ${id} ORDER BY id`);
    expect(rows.map((r) => [r.action, r.to_stage])).toEqual([
      ['report', 'collect'],
      ['close', 'close'],
    ]);
    expect(rows[1]!.note).toContain('已当场清除');
    const [inc] = await db().rows<{ stage: string; closed_at: Date | null }>(sql`SELECT stage, closed_at FROM incidents WHERE id = ${id}`);
    expect(inc!.stage).toBe('close');
    expect(inc!.closed_at).not.toBeNull();
    const count = async () => Number((await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM incidents`))[0]!.n);
    const before = await count();
    const refused = await requestAs(db(), dispatcher, '/api/incidents', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ gridCode: p.grid, category: 'SR01', source: 'grid', onSpot: '办了' }),
    });
    expect(refused.status).toBe(403);
    const empty = await requestAs(db(), gw1, '/api/incidents', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ gridCode: p.grid, category: 'SR01', source: 'grid', onSpot: '' }),
    });
    expect(empty.status).toBe(422);
    const outside = await requestAs(db(), gw1, '/api/incidents', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ gridCode: p.farGrid, category: 'SR01', source: 'grid' }) });
    expect(outside.status).toBe(403);
    expect(await count()).toBe(before);
  });
});
