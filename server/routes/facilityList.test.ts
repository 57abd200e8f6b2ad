/**
 * The list and the place lookup behind the 阵地管理 page, on both engines: name search, what the
 * viewer may edit (jurisdiction), the norm per facility, each facility's walking-circle state, and
 * the regions at a clicked point.
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { missingIsochrones } from '../coverage/isochrones';
import { currentNetworkVersion } from '../coverage/networkVersion';
import { DEFAULT_SPEED_M_PER_MIN } from '../coverage/walking';
import { describeEachEngine } from '../testing/databases';
import { MINGSHAN_PLANNER, testPlanner } from '../testing/principals';
import { request, requestJson } from '../testing/request';
import { requestAs } from '../testing/requestAs';

const COMMUNITY = '450902005001';

async function labelPoint(db: DbHandle, code: string): Promise<[number, number]> {
  const [p] = await db.rows<{ lon: number; lat: number }>(sql`SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM regions WHERE code = ${code}`);
  return [Number(p!.lon), Number(p!.lat)];
}

async function create(db: DbHandle, body: Record<string, unknown>) {
  const res = await request(db, '/api/centres', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ regionCode: COMMUNITY, position: await labelPoint(db, COMMUNITY), ...body }) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: number }).id;
}

describeEachEngine('阵地 list for the management page', (db) => {
  it('finds facilities by part of their name, with the other filters', async () => {
    const id = await create(db(), { name: '测试检索红色驿站甲', kind: 'red_station', level: 'community', areaM2: 80 });
    const found = await requestJson<Record<string, any>>(db(), `/api/centres?q=${encodeURIComponent('检索红色驿站')}`);
    expect(found.status).toBe(200);
    expect(found.body.features.map((f: any) => f.id)).toEqual([id]);
    expect((await requestJson<Record<string, any>>(db(), `/api/centres?q=${encodeURIComponent('检索红色')}&kind=rider_station`)).body.features).toEqual([]);
    expect((await requestJson<Record<string, any>>(db(), `/api/centres?q=${encodeURIComponent('检索')}&kind=red_station&level=community&region=${COMMUNITY}`)).body.features).toHaveLength(1);
    // % and _ are plain characters, not patterns.
    expect((await requestJson<Record<string, any>>(db(), '/api/centres?q=%25')).body.features).toEqual([]);
    const tooLong = await requestJson<Record<string, any>>(db(), `/api/centres?q=${'长'.repeat(101)}`);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors[0]).toMatchObject({ field: 'q', reason: '名称关键字不能超过 100 个字' });
  });

  it('says per facility whether the viewer may edit it: their jurisdiction only', async () => {
    const list = async (user: typeof MINGSHAN_PLANNER) => ((await (await requestAs(db(), user, '/api/centres')).json()) as { features: { properties: { regionCode: string; editable: boolean } }[] }).features;
    const mingshan = await list(MINGSHAN_PLANNER);
    expect(mingshan.length).toBeGreaterThan(10);
    for (const f of mingshan) expect(f.properties.editable).toBe(f.properties.regionCode.startsWith('450902005'));
    expect(mingshan.some((f) => f.properties.editable)).toBe(true);
    expect(mingshan.some((f) => !f.properties.editable)).toBe(true);
    const leader = await list({ ...MINGSHAN_PLANNER, username: 'leader-x', role: 'leader', jurisdictionCode: null });
    expect(leader.every((f) => !f.properties.editable)).toBe(true);
    const admin = (await requestJson<{ features: { properties: { editable: boolean } }[] }>(db(), '/api/centres')).body.features;
    expect(admin.every((f) => f.properties.editable)).toBe(true);
  });

  it('checks the norm per facility: 30 m² per 100 households, ≥ 300 m² for an estate', async () => {
    const estate = await create(db(), { name: '测试规范小区站', kind: 'party_centre', level: 'estate', areaM2: 250, householdsServed: 400 });
    const community = await create(db(), { name: '测试规范社区中心', kind: 'party_centre', level: 'community', areaM2: 700, householdsServed: 2000 });
    const station = await create(db(), { name: '测试规范驿站', kind: 'red_station', level: 'estate', areaM2: 20, householdsServed: 2000 });
    const norm = async (id: number) => (await requestJson<Record<string, any>>(db(), `/api/centres/${id}`)).body.properties.norm;
    expect(await norm(estate)).toMatchObject({ status: 'short', requiredM2: 300, shortfallM2: 50 });
    expect(await norm(community)).toMatchObject({ status: 'meets', requiredM2: 600 });
    expect(await norm(station)).toMatchObject({ status: 'none', requiredM2: null });
    const patched = await request(db(), `/api/centres/${estate}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ areaM2: 300 }) });
    expect(((await patched.json()) as any).properties.norm.status).toBe('meets');
  });

  it('reports each facility’s walking circles: none after a save, ready once computed', async () => {
    const id = await create(db(), { name: '测试步行圈驿站', kind: 'red_station', level: 'community', areaM2: 60 });
    const listed = async () => {
      const body = (await requestJson<Record<string, any>>(db(), `/api/centres?q=${encodeURIComponent('测试步行圈驿站')}`)).body;
      return { circles: body.features[0].properties.circles, job: body.circleJob };
    };
    const fresh = await listed();
    expect(fresh.circles).toEqual({ ready: 0, total: 3 });
    // No background job in a test app: the state says so, with the counts over every facility.
    expect(fresh.job.state).toBe('off');
    expect(fresh.job.total).toBeGreaterThan(fresh.job.ready);
    expect((await request(db(), `/api/coverage/isochrones?centreId=${id}&minutes=5,10,15`)).status).toBe(200);
    expect((await listed()).circles).toEqual({ ready: 3, total: 3 });
    // Moving it makes them stale again.
    const [lon, lat] = await labelPoint(db(), COMMUNITY);
    await request(db(), `/api/centres/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ position: [lon + 0.0005, lat] }) });
    expect((await listed()).circles.ready).toBe(0);
    // The background job takes the facility saved last first, not after every other missing circle.
    await db().rows(sql`DELETE FROM isochrones`);
    const next = await missingIsochrones(db(), { centreIds: null, minutes: [5, 10, 15], speedMPerMin: DEFAULT_SPEED_M_PER_MIN }, await currentNetworkVersion(db()), 1);
    expect([...next.keys()]).toEqual([id]);
  });

  it('names the regions at a point and whether the viewer may build there', async () => {
    const at = await labelPoint(db(), COMMUNITY);
    const place = async (user: typeof MINGSHAN_PLANNER) => (await requestAs(db(), user, `/api/centres/place?lon=${at[0]}&lat=${at[1]}`)).json() as Promise<Record<string, any>>;
    const mine = await place(MINGSHAN_PLANNER);
    expect(mine.community).toEqual({ code: COMMUNITY, name: '五里桥社区居委会' });
    expect(mine.street.code).toBe('450902005');
    expect(mine.district.code).toBe('450902');
    expect(mine.city.code).toBe('450900');
    expect(mine.editable).toBe(true);
    expect(mine.regionFor.estate.code).toBe(COMMUNITY);
    expect(mine.regionFor.street.code).toBe('450902005');
    expect((await place(testPlanner('450902003'))).editable).toBe(false);
    const outside = await requestJson<Record<string, any>>(db(), '/api/centres/place?lon=0&lat=0');
    expect(outside.body).toMatchObject({ city: null, community: null, editable: false });
    const bad = await requestJson<Record<string, any>>(db(), '/api/centres/place?lon=abc&lat=95');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.field).sort()).toEqual(['lat', 'lon']);
  });
});
