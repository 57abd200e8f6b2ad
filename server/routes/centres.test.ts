import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { describeEachEngine } from '../testing/databases';
import { createApp } from '../app';
import { TEST_ADMIN, testPlanner } from '../testing/principals';
import { request, requestJson } from '../testing/request';

const COMMUNITY = '450902005001';

async function send(db: DbHandle, method: string, path: string, body?: unknown) {
  const res = await request(db, path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type'), body: (text ? JSON.parse(text) : null) as Record<string, any> };
}

/** A point inside the community (its label point), so every check passes. */
async function validCentre(db: DbHandle) {
  const [p] = await db.rows<{ lon: number; lat: number }>(sql`SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM regions WHERE code = ${COMMUNITY}`);
  return { name: '测试小区党群服务站', level: 'estate', regionCode: COMMUNITY, areaM2: 120, householdsServed: 300, openingHours: '周一至周五 09:00-17:00', position: [Number(p!.lon), Number(p!.lat)] };
}

const counts = async (db: DbHandle) => {
  const [row] = await db.rows<{ centres: number; audit: number }>(sql`SELECT (SELECT count(*)::int FROM service_centres) AS centres, (SELECT count(*)::int FROM audit_log WHERE entity = 'service_centre') AS audit`);
  return row!;
};

describeEachEngine('service centres API', (db) => {
  it('lists centres as GeoJSON, filtered by level and region', async () => {
    const all = await requestJson<Record<string, any>>(db(), '/api/centres');
    const [{ n }] = (await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM service_centres`)) as [{ n: number }];
    expect(all.status).toBe(200);
    expect(all.body.features).toHaveLength(n);
    const streets = await requestJson<Record<string, any>>(db(), '/api/centres?level=street');
    expect(streets.body.features).toHaveLength(9);
    expect(streets.body.features.every((f: any) => f.properties.level === 'street' && f.properties.levelName === '街道')).toBe(true);
    const inCommunity = await requestJson<Record<string, any>>(db(), `/api/centres?region=${COMMUNITY}`);
    const [{ m }] = (await db().rows<{ m: number }>(sql`SELECT count(*)::int AS m FROM service_centres WHERE region_code = ${COMMUNITY}`)) as [{ m: number }];
    expect(m).toBeGreaterThan(0);
    expect(inCommunity.body.features).toHaveLength(m);
  });

  it('creates, reads, updates and deletes a centre, dropping its cached isochrones on change', async () => {
    const before = await counts(db());
    const created = await send(db(), 'POST', '/api/centres', await validCentre(db()));
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    expect(created.body.properties).toMatchObject({ name: '测试小区党群服务站', level: 'estate', levelName: '小区', regionCode: COMMUNITY, regionName: '五里桥社区居委会', areaM2: 120, householdsServed: 300 });
    expect((await counts(db())).centres).toBe(before.centres + 1);

    const iso = await requestJson<Record<string, any>>(db(), `/api/coverage/isochrones?centreId=${id}&minutes=5,15`);
    expect(iso.status).toBe(200);
    expect(iso.body.features.map((f: any) => f.properties.minutes)).toEqual([15, 5]);
    const cached = async () => (await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM isochrones WHERE centre_id = ${id}`))[0]!.n;
    expect(await cached()).toBe(2);

    const moved = [created.body.geometry.coordinates[0] + 0.001, created.body.geometry.coordinates[1]];
    const patched = await send(db(), 'PATCH', `/api/centres/${id}`, { areaM2: 150.5, position: moved });
    expect(patched.status).toBe(200);
    expect(patched.body.properties.areaM2).toBe(150.5);
    expect(patched.body.geometry.coordinates[0]).toBeCloseTo(moved[0]!, 9);
    expect(patched.body.properties.name).toBe('测试小区党群服务站');
    expect(await cached()).toBe(0);
    const again = await requestJson<Record<string, any>>(db(), `/api/coverage/isochrones?centreId=${id}&minutes=5,15`);
    expect(again.body.computed).toBe(2);

    const read = await requestJson<Record<string, any>>(db(), `/api/centres/${id}`);
    expect(read.body.properties.areaM2).toBe(150.5);

    const deleted = await request(db(), `/api/centres/${id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect(await cached()).toBe(0);
    expect((await requestJson(db(), `/api/centres/${id}`)).status).toBe(404);
    const after = await counts(db());
    expect(after.centres).toBe(before.centres);
    expect(after.audit).toBe(before.audit + 3);
    const [audit] = await db().rows<{ actor: string; detail: { areaM2: number } }>(sql`SELECT actor, detail FROM audit_log WHERE entity = 'service_centre' AND entity_id = ${String(id)} AND action = 'create'`);
    expect(audit!.actor).toBe(TEST_ADMIN.username);
    expect(audit!.detail.areaM2).toBe(120);
  });

  it.each([
    ['no name', { name: '' }, 'name'],
    ['unknown level', { level: 'village' }, 'level'],
    ['zero area', { areaM2: 0 }, 'areaM2'],
    ['negative area', { areaM2: -5 }, 'areaM2'],
    ['area as text', { areaM2: '100' }, 'areaM2'],
    ['malformed region code', { regionCode: '4509020050' }, 'regionCode'],
    ['latitude out of range', { position: [110.1, 95] }, 'position.1'],
    ['position not a pair', { position: [110.1] }, 'position'],
    ['fractional households', { householdsServed: 2.5 }, 'householdsServed'],
    ['unknown field', { colour: 'red' }, '(body)'],
  ])('rejects a centre with %s as 400 naming the field, writing nothing', async (_label, change, field) => {
    const before = await counts(db());
    const res = await send(db(), 'POST', '/api/centres', { ...(await validCentre(db())), ...change });
    expect(res.status).toBe(400);
    expect(res.contentType).toContain('application/problem+json');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(res.body.errors.every((e: { reason: string }) => /[\u4e00-\u9fff]/.test(e.reason))).toBe(true);
    expect(await counts(db())).toEqual(before);
  });

  it('rejects a missing body field and malformed JSON as 400', async () => {
    const { name: _omit, ...noName } = await validCentre(db());
    const missing = await send(db(), 'POST', '/api/centres', noName);
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toEqual(['name']);
    const broken = await send(db(), 'POST', '/api/centres', '{"name": ');
    expect(broken.status).toBe(400);
    expect(broken.body.errors).toEqual([{ field: '(body)', reason: '请求体不是有效的 JSON' }]);
  });

  it.each([
    ['a region code that does not exist', { regionCode: '450902005099' }, 'regionCode', /不存在/],
    ['a street code for a 小区 station', { regionCode: '450902005' }, 'regionCode', /应属于社区/],
    ['a point outside the city', { position: [116.397, 39.909] }, 'position', /不在玉林市范围内/],
  ])('rejects %s as 422 with field errors, writing nothing', async (_label, change, field, reason) => {
    const before = await counts(db());
    const res = await send(db(), 'POST', '/api/centres', { ...(await validCentre(db())), ...change });
    expect(res.status).toBe(422);
    expect(res.contentType).toContain('application/problem+json');
    const error = res.body.errors.find((e: { field: string }) => e.field === field);
    expect(error.reason).toMatch(reason);
    expect(await counts(db())).toEqual(before);
  });

  it('validates an update against the merged record, and leaves the centre untouched when rejected', async () => {
    const [street] = await db().rows<{ id: number; level: string; area_m2: number; updated_at: string }>(sql`SELECT id, level, area_m2, updated_at::text FROM service_centres WHERE level = 'street' ORDER BY id LIMIT 1`);
    // Changing only the level makes the (street) region code wrong for a community centre.
    const levelOnly = await send(db(), 'PATCH', `/api/centres/${street!.id}`, { level: 'community' });
    expect(levelOnly.status).toBe(422);
    expect(levelOnly.body.errors[0].field).toBe('regionCode');
    const badArea = await send(db(), 'PATCH', `/api/centres/${street!.id}`, { areaM2: -1 });
    expect(badArea.status).toBe(400);
    const empty = await send(db(), 'PATCH', `/api/centres/${street!.id}`, {});
    expect(empty.status).toBe(400);
    const [after] = await db().rows<{ level: string; area_m2: number; updated_at: string }>(sql`SELECT level, area_m2, updated_at::text FROM service_centres WHERE id = ${street!.id}`);
    expect(after).toEqual({ level: street!.level, area_m2: street!.area_m2, updated_at: street!.updated_at });
  });

  it('lets planners write only centres of their jurisdiction and leaders none, writing nothing when refused', async () => {
    const before = await counts(db());
    const body = JSON.stringify(await validCentre(db()));
    const post = (app: ReturnType<typeof createApp>) => app.request('/api/centres', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const otherStreet = createApp(db(), { anonymousUser: testPlanner('450902003') });
    expect((await post(otherStreet)).status).toBe(403);
    expect((await otherStreet.request('/api/centres?level=street')).status).toBe(200);
    const leader = createApp(db(), { anonymousUser: { id: 9, username: 'leader', displayName: '领导', role: 'leader', jurisdictionCode: null, gridCodes: [], departmentId: null } });
    expect((await post(leader)).status).toBe(403);
    const [street] = await db().rows<{ id: number }>(sql`SELECT id FROM service_centres WHERE level = 'street' AND region_code = '450902005'`);
    const community = createApp(db(), { anonymousUser: testPlanner(COMMUNITY) });
    expect((await community.request(`/api/centres/${street!.id}`, { method: 'DELETE' })).status).toBe(403);
    expect(await counts(db())).toEqual(before);
    const own = await post(community);
    expect(own.status).toBe(201);
  });

  it('answers 404 for unknown ids and 400 for malformed ids or filters', async () => {
    expect((await send(db(), 'PATCH', '/api/centres/999999', { areaM2: 10 })).status).toBe(404);
    expect((await send(db(), 'DELETE', '/api/centres/999999')).status).toBe(404);
    const get = await requestJson<Record<string, any>>(db(), '/api/centres/999999');
    expect(get.status).toBe(404);
    expect(get.body.detail).toBe('阵地 999999 不存在');
    const badId = await requestJson<Record<string, any>>(db(), '/api/centres/abc');
    expect(badId.status).toBe(400);
    expect(badId.body.errors[0].field).toBe('id');
    const badLevel = await requestJson<Record<string, any>>(db(), '/api/centres?level=village');
    expect(badLevel.status).toBe(400);
    expect(badLevel.body.errors[0].field).toBe('level');
  });
});
