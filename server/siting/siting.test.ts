/**
 * 选址分析 on the hand-made lattice (server/coverage/testing/latticeWorld.ts),
 * both engines. One 党群服务中心 at node (1,1) reaches the whole lattice:
 * its circle is x ∈ [−50, 650], y ∈ [−50, 500] (see routes/coverage.test.ts).
 *   A [100,300]×[100,300]  100 households, wholly covered
 *   B [2000,2200]×[0,200]  300 households, 1.4 km from any road: uncovered
 *   C [500,900]×[100,300]  200 households, 150 of its 400 m covered → 125 uncovered
 * A candidate at (2100, 100) has no road within 300 m, so it gets the labelled
 * straight-line circle of 1000 m: it covers all of B (corners 141 m away) and
 * nothing new of C (its nearest point is 1200 m away) → +300 households, +900 people.
 */
import { sql } from 'drizzle-orm';
import { expect, it, beforeAll } from 'vitest';
import type { DbHandle } from '../../db/client';
import { createApp } from '../app';
import { buildLatticeWorld, COMMUNITY, DX, DY, type LatticeWorld } from '../coverage/testing/latticeWorld';
import { describeEachEngine } from '../testing/databases';
import { forgetCoverageStates } from './coverageState';
import { testPlanner } from '../testing/principals';
import { request, requestJson } from '../testing/request';

const GRIDS = [
  { seq: 901, x0: 100, y0: 100, x1: 300, y1: 300, households: 100, population: 300 },
  { seq: 902, x0: 2000, y0: 0, x1: 2200, y1: 200, households: 300, population: 900 },
  { seq: 903, x0: 500, y0: 100, x1: 900, y1: 300, households: 200, population: 600 },
];
const STREET = COMMUNITY.slice(0, 9);

async function send(db: DbHandle, method: string, path: string, body: unknown) {
  const res = await request(db, path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, text, body: (text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null) as Record<string, any> };
}

describeEachEngine('siting analysis on a hand-made lattice', (db) => {
  let world: LatticeWorld;
  beforeAll(async () => {
    world = await buildLatticeWorld(db(), GRIDS);
    const created = await send(db(), 'POST', '/api/centres', { name: '测试社区党群服务中心', level: 'community', regionCode: COMMUNITY, areaM2: 100, position: world.toLonLat(DX, DY) });
    expect(created.status).toBe(201);
  });

  it('ranks the community with the uncovered households and says why', async () => {
    const { status, body } = await requestJson<Record<string, any>>(db(), '/api/siting/priority');
    expect(status).toBe(200);
    expect(body.rows).toHaveLength(1);
    expect(body.rows[0].code).toBe(COMMUNITY);
    expect(body.rows[0].uncoveredHouseholds).toBeCloseTo(425, 0);
    expect(body.rows[0].reason).toMatch(/^15 分钟圈外 425 户（占 70\.8%）/);
    const csv = await request(db(), '/api/siting/priority?format=csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(COMMUNITY);
  });

  it('shows a candidate’s circle and the coverage change per community and street, saving nothing', async () => {
    const far = { name: '候选红色驿站', kind: 'red_station', position: world.toLonLat(2100, 100) };
    const { status, body } = await send(db(), 'POST', '/api/siting/what-if', { candidates: [far] });
    expect(status).toBe(200);
    expect(body.circles).toHaveLength(1);
    expect(body.circles[0].method).toBe('buffer');
    expect(body.circles[0].areaM2).toBeGreaterThan(3.0e6);
    const community = body.communities.find((c: any) => c.code === COMMUNITY);
    expect(community.coveredHouseholdsBefore).toBeCloseTo(175, 0);
    expect(community.householdsGained).toBeCloseTo(300, 0);
    expect(community.populationGained).toBeCloseTo(900, 0);
    expect(community.shareAfter).toBeCloseTo(475 / 600, 3);
    expect(body.streets[0].code).toBe(STREET);
    expect(body.streets[0].householdsGained).toBeCloseTo(300, 0);
    // Only the grids the circle touches are overlaid: B (A and C are over 1 km away).
    expect(body.total.gridsOverlaid).toBe(1);
    // A candidate on the lattice at node (3,1) reaches no land the existing circle misses.
    const near = await send(db(), 'POST', '/api/siting/what-if', { candidates: [{ name: '节点候选', kind: 'party_centre', position: world.toLonLat(3 * DX, DY) }] });
    expect(near.body.circles[0].method).toBe('network');
    expect(near.body.total.householdsGained).toBeCloseTo(0, 0);
    // Nothing was saved.
    const centres = await requestJson<Record<string, any>>(db(), '/api/centres');
    expect(centres.body.features).toHaveLength(1);
    const bad = await send(db(), 'POST', '/api/siting/what-if', { candidates: [] });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('请至少放置一个候选点');
  });

  it('suggests the site with the largest gain, equal to the exact optimum, with the gain shown', async () => {
    const { status, body } = await requestJson<Record<string, any>>(db(), '/api/siting/suggest?kind=party_centre&count=1');
    expect(status).toBe(200);
    // Demand: C's 125 uncovered households (B is 1.4 km from any road node, so no road node reaches it).
    expect(body.demandPoints).toBe(2);
    expect(body.greedy.steps).toHaveLength(1);
    expect(body.greedy.steps[0].gain).toBeCloseTo(125, 0);
    expect(body.exact.value).toBeCloseTo(body.greedy.value, 6);
    expect(body.exact.gap).toBeCloseTo(0, 9);
    expect(body.blindSpotFirst.value).toBeCloseTo(125, 0);
    expect(body.candidates).toBe(16);
    expect(body.demandModel).toContain('未被现有');
  });

  it('keeps named scenarios per user, compares and exports them', async () => {
    const saved = await send(db(), 'POST', '/api/siting/scenarios', { name: '方案一', candidates: [{ name: '候选红色驿站', kind: 'red_station', position: world.toLonLat(2100, 100) }] });
    expect(saved.status).toBe(201);
    const second = await send(db(), 'POST', '/api/siting/scenarios', { name: '方案二', candidates: [{ name: '节点候选', kind: 'party_centre', position: world.toLonLat(3 * DX, DY) }] });
    const compare = await requestJson<Record<string, any>>(db(), `/api/siting/scenarios/compare?ids=${saved.body.id},${second.body.id}`);
    expect(compare.status).toBe(200);
    expect(compare.body.scenarios.map((s: any) => Math.round(s.total.householdsGained))).toEqual([300, 0]);
    const csv = await request(db(), `/api/siting/scenarios/${saved.body.id}/export?format=csv`);
    const text = await csv.text();
    expect(text).toContain('新增覆盖户数');
    expect(text.split('\r\n')[2]).toContain(COMMUNITY);
    const geo = await request(db(), `/api/siting/scenarios/${saved.body.id}/export?format=geojson`);
    expect(((await geo.json()) as any).features[0].properties.kindName).toBe('红色驿站');
    // Another user sees none of them.
    const other = createApp(db(), { anonymousUser: { ...testPlanner(COMMUNITY), username: 'someone-else' } });
    expect(((await (await other.request('/api/siting/scenarios')).json()) as any).scenarios).toEqual([]);
    expect((await other.request(`/api/siting/scenarios/${saved.body.id}`)).status).toBe(404);
  });

  it('builds the candidate as a facility of its kind: coverage per kind and all kinds agree with the what-if', async () => {
    const planner = createApp(db(), { anonymousUser: testPlanner(COMMUNITY) });
    const post = (app: ReturnType<typeof createApp>, body: unknown) => app.request('/api/centres', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const station = { name: '测试红色驿站', kind: 'red_station', level: 'community', regionCode: COMMUNITY, areaM2: 40, position: world.toLonLat(2100, 100) };
    // Outside the planner's jurisdiction: refused, nothing written.
    const outsider = createApp(db(), { anonymousUser: testPlanner('450902003') });
    expect((await post(outsider, station)).status).toBe(403);
    // A kind at a level it is not built at: 422 with the reason in Chinese.
    const wrong = await post(planner, { ...station, kind: 'rider_station', level: 'estate' });
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain('小哥驿站只能建在街道、社区级');
    const created = await post(planner, station);
    expect(created.status).toBe(201);
    expect(((await created.json()) as any).properties).toMatchObject({ kind: 'red_station', kindName: '红色驿站' });
    const share = async (kind: string) => (await requestJson<Record<string, any>>(db(), `/api/coverage/summary?level=community&kind=${kind}`)).body.total.coveredHouseholds as number;
    expect(await share('red_station')).toBeCloseTo(300, 0);
    expect(await share('party_centre')).toBeCloseTo(175, 0);
    expect(await share('all')).toBeCloseTo(475, 0);
    expect(await share('rider_station')).toBe(0);
    const listed = await requestJson<Record<string, any>>(db(), '/api/centres?kind=red_station');
    expect(listed.body.features).toHaveLength(1);
  });

  it('recomputes the cached coverage state after a facility change: the what-if then equals a fresh computation', async () => {
    const far = { name: '候选红色驿站', kind: 'red_station', position: world.toLonLat(2100, 100) };
    // The red station built above covers B: the candidate at the same place adds nothing (state cached now).
    const built = await send(db(), 'POST', '/api/siting/what-if', { candidates: [far] });
    expect(built.body.communities[0].coveredHouseholdsBefore).toBeCloseTo(475, 0);
    expect(built.body.total.householdsGained).toBeCloseTo(0, 0);
    const listed = await requestJson<Record<string, any>>(db(), '/api/centres?kind=red_station');
    const planner = createApp(db(), { anonymousUser: testPlanner(COMMUNITY) });
    expect((await planner.request(`/api/centres/${listed.body.features[0].id}`, { method: 'DELETE' })).status).toBe(204);
    const after = await send(db(), 'POST', '/api/siting/what-if', { candidates: [far] });
    expect(after.body.communities[0].coveredHouseholdsBefore).toBeCloseTo(175, 0);
    expect(after.body.total.householdsGained).toBeCloseTo(300, 0);
    forgetCoverageStates(db());
    const fresh = await send(db(), 'POST', '/api/siting/what-if', { candidates: [far] });
    expect(after.body.communities).toEqual(fresh.body.communities);
    expect(after.body.streets).toEqual(fresh.body.streets);
    expect(after.body.total).toEqual(fresh.body.total);
  });

  it('suggests from estates’ centroids: the estate by C gains its 125 households, the one off the roads is skipped', async () => {
    await db().rows(sql`DELETE FROM estates`);
    const [byC] = await db().rows<{ id: number }>(sql`
      INSERT INTO estates (code, name, community_code, geom) VALUES ('T-E1', '测试小区一', ${COMMUNITY}, ST_GeomFromText(${world.wkt(650, 150, 750, 250)}, 4326)) RETURNING id`);
    await db().rows(sql`INSERT INTO estates (code, name, community_code, geom) VALUES ('T-E2', '测试小区二', ${COMMUNITY}, ST_GeomFromText(${world.wkt(2050, 50, 2150, 150)}, 4326))`);
    const { status, body } = await requestJson<Record<string, any>>(db(), '/api/siting/suggest?kind=party_centre&count=1&source=estates');
    expect(status).toBe(200);
    expect(body.source).toBe('estates');
    expect(body.candidates).toBe(1);
    expect(body.unsnappedCandidates).toBe(1);
    expect(body.greedy.steps[0].candidateId).toBe(Number(byC!.id));
    expect(body.greedy.steps[0].gain).toBeCloseTo(125, 0);
    expect(body.demandModel).toContain('小区中心');
  });

  it('suggests from a hexagon lattice over the street, and refuses a bad source or side with the reason', async () => {
    // The street is made a box around the lattice here, so the lattice of 100 m sides is small: some centre lies
    // within 100 m of node (3,1) and reaches C (125 uncovered households); B is beyond every road.
    await db().rows(sql`UPDATE regions SET geom = ST_GeomFromText(${world.wkt(-400, -400, 2400, 900)}, 4326) WHERE code = ${STREET}`);
    const { status, body } = await requestJson<Record<string, any>>(db(), `/api/siting/suggest?kind=party_centre&count=2&source=hexagons&hexM=100&region=${STREET}`);
    expect(status).toBe(200);
    expect(body.source).toBe('hexagons');
    expect(body.hexM).toBe(100);
    expect(body.candidates).toBeGreaterThan(0);
    expect(body.unsnappedCandidates).toBeGreaterThan(0);
    expect(body.greedy.steps[0].gain).toBeCloseTo(125, 0);
    expect(body.greedy.value).toBeCloseTo(125, 0);
    expect(body.exact.value).toBeCloseTo(125, 0);
    const bad = await request(db(), '/api/siting/suggest?kind=party_centre&source=circles');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('source 应为');
    const small = await request(db(), '/api/siting/suggest?kind=party_centre&source=hexagons&hexM=20');
    expect(small.status).toBe(400);
    expect(await small.text()).toContain('hexM');
  });
});
