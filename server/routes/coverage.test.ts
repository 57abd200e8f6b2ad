import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { coverageSummary, type CoverageSummary } from '../coverage/coverage';
import { ensureIsochrones, reachFromSnap, readIsochrones } from '../coverage/isochrones';
import { currentNetworkVersion } from '../coverage/networkVersion';
import { snapCentres } from '../coverage/snap';
import { buildLatticeWorld, COMMUNITY, DX, DY } from '../coverage/testing/latticeWorld';
import { DEFAULT_SPEED_M_PER_MIN } from '../coverage/walking';
import { describeEachEngine, openEmbeddedCopy, openPostgisCopy, type TestDatabase } from '../testing/databases';
import { request, requestJson } from '../testing/request';

const STREET = COMMUNITY.slice(0, 9);

/**
 * Grids around the lattice (see latticeWorld): one centre at node (1,1) reaches
 * the whole lattice in 15 minutes, so its circle is x ∈ [−50, 650], y ∈ [−50, 500].
 *   A [100,300]×[100,300]  wholly inside        100 households → 100 covered
 *   B [2000,2200]×[0,200]  far outside          300 households →   0 covered
 *   C [500,900]×[100,300]  150 of its 400 m in  200 households →  75 covered
 * Total 600 households, 175 covered: 29.17 %.
 */
const GRIDS = [
  { seq: 901, x0: 100, y0: 100, x1: 300, y1: 300, households: 100, population: 300 },
  { seq: 902, x0: 2000, y0: 0, x1: 2200, y1: 200, households: 300, population: 900 },
  { seq: 903, x0: 500, y0: 100, x1: 900, y1: 300, households: 200, population: 600 },
];
const code = (seq: number) => `${COMMUNITY}${seq}`;

async function post(db: DbHandle, path: string, body: unknown) {
  const res = await request(db, path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

describeEachEngine('coverage API on a hand-made lattice', (db) => {
  beforeAll(async () => {
    const world = await buildLatticeWorld(db(), GRIDS);
    const position = world.toLonLat(DX, DY);
    // A community centre and a 小区 station at the same node: one circle, 100 + 50 m² of space.
    expect((await post(db(), '/api/centres', { name: '测试社区党群服务中心', level: 'community', regionCode: COMMUNITY, areaM2: 100, position })).status).toBe(201);
    expect((await post(db(), '/api/centres', { name: '测试小区党群服务站', level: 'estate', regionCode: COMMUNITY, areaM2: 50, position })).status).toBe(201);
  });

  it('apportions households by the covered share of each grid', async () => {
    const { status, body } = await requestJson<Record<string, any>>(db(), '/api/coverage/summary?level=grid');
    expect(status).toBe(200);
    expect(body.apportioning).toBe('grid-area-share');
    const byCode = Object.fromEntries(body.rows.map((r: any) => [r.code, r]));
    expect(Object.keys(byCode).sort()).toEqual(GRIDS.map((g) => code(g.seq)));
    expect(byCode[code(901)].householdShare).toBeCloseTo(1, 3);
    expect(byCode[code(902)].householdShare).toBe(0);
    expect(byCode[code(903)].householdShare).toBeCloseTo(0.375, 2);
    expect(byCode[code(903)].coveredHouseholds).toBeCloseTo(75, 0);
    expect(byCode[code(903)].coveredPopulation).toBeCloseTo(225, 0);
    expect(body.total.households).toBe(600);
    expect(body.total.coveredHouseholds).toBeCloseTo(175, 0);
  });

  it('adds grids up to their community and street, flagging those below the target', async () => {
    const community = await requestJson<Record<string, any>>(db(), '/api/coverage/summary?level=community');
    expect(community.body.rows).toHaveLength(1);
    expect(community.body.rows[0]).toMatchObject({ code: COMMUNITY, name: '五里桥社区居委会', households: 600, population: 1800, belowTarget: true });
    expect(community.body.rows[0].householdShare).toBeCloseTo(175 / 600, 3);
    expect(community.body.rows[0].householdPercent).toBeCloseTo(29.17, 1);
    expect(community.body.targetPercent).toBe(80);
    const street = await requestJson<Record<string, any>>(db(), `/api/coverage/summary?level=street&region=${STREET}&target=25`);
    expect(street.body.rows).toEqual([expect.objectContaining({ code: STREET, name: '名山街道', households: 600, belowTarget: false })]);
    expect(street.body.total.name).toBe('名山街道');
    expect(street.body.total.coveredPopulation).toBeCloseTo(525, 0);
  });

  it('lists communities below the target with the households still to reach', async () => {
    const below = await requestJson<Record<string, any>>(db(), '/api/coverage/below-target');
    expect(below.body.targetPercent).toBe(80);
    expect(below.body.communities.map((c: any) => c.code)).toEqual([COMMUNITY]);
    expect(below.body.communities[0].gapHouseholds).toBeCloseTo(0.8 * 600 - 175, 0);
    const lowTarget = await requestJson<Record<string, any>>(db(), '/api/coverage/below-target?target=25');
    expect(lowTarget.body.communities).toEqual([]);
  });

  it('returns the uncovered parts of grids as blind-spot polygons', async () => {
    const { status, body } = await requestJson<Record<string, any>>(db(), '/api/coverage/blind-spots');
    expect(status).toBe(200);
    expect(body.type).toBe('FeatureCollection');
    const byCode = Object.fromEntries(body.features.map((f: any) => [f.properties.gridCode, f]));
    expect(Object.keys(byCode).sort()).toEqual([code(902), code(903)]);
    expect(byCode[code(902)].properties.uncoveredAreaM2 / (200 * 200)).toBeCloseTo(1, 2);
    expect(byCode[code(902)].properties.uncoveredHouseholds).toBeCloseTo(300, 0);
    expect(byCode[code(903)].properties.uncoveredAreaM2 / (250 * 200)).toBeCloseTo(1, 2);
    expect(byCode[code(903)].properties.uncoveredHouseholds).toBeCloseTo(125, 0);
    expect(byCode[code(903)].geometry.type).toBe('MultiPolygon');
  });

  it('checks 30 m² per 100 households per community with the shortfall', async () => {
    const { body } = await requestJson<Record<string, any>>(db(), `/api/coverage/norm?region=${STREET}&onlyShort=true`);
    expect(body.m2Per100Households).toBe(30);
    expect(body.communities).toEqual([{ code: COMMUNITY, name: '五里桥社区居委会', streetCode: STREET, households: 600, centres: 2, providedM2: 150, requiredM2: 180, shortfallM2: 30, meetsNorm: false }]);
    expect(body.shortCount).toBe(1);
    expect(body.totalShortfallM2).toBeCloseTo(30, 9);
  });

  it.each([
    ['/api/coverage/isochrones?minutes=0', 400, 'minutes'],
    ['/api/coverage/isochrones?minutes=5,abc', 400, 'minutes'],
    ['/api/coverage/isochrones?minutes=1,2,3,4,5,6,7', 400, 'minutes'],
    ['/api/coverage/isochrones?speed=5', 400, 'speed'],
    ['/api/coverage/isochrones?speed=fast', 400, 'speed'],
    ['/api/coverage/isochrones?centreId=abc', 400, 'centreId'],
    ['/api/coverage/isochrones?level=village', 400, 'level'],
    ['/api/coverage/isochrones?kind=library', 400, 'kind'],
    ['/api/coverage/isochrones?centreId=999999', 404, null],
    ['/api/coverage/summary?level=city', 400, 'level'],
    ['/api/coverage/summary?target=120', 400, 'target'],
    ['/api/coverage/summary?region=123', 400, 'region'],
    ['/api/coverage/summary?region=450902999', 404, null],
    ['/api/coverage/blind-spots?minArea=-1', 400, 'minArea'],
    ['/api/coverage/norm?onlyShort=yes', 400, 'onlyShort'],
  ])('answers %s with %i', async (path, status, field) => {
    const before = await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM isochrones`);
    const res = await requestJson<Record<string, any>>(db(), path);
    expect(res.status).toBe(status);
    expect(res.contentType).toContain('application/problem+json');
    expect(res.body.title).toMatch(/[\u4e00-\u9fff]/);
    if (field) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await db().rows(sql`SELECT count(*)::int AS n FROM isochrones`)).toEqual(before);
  });

  it('filters the isochrone collection by the kind of 阵地, alone or with the level and ids', async () => {
    const [station] = await db().rows<{ x: number; y: number }>(sql`SELECT ST_X(geom) AS x, ST_Y(geom) AS y FROM service_centres ORDER BY id LIMIT 1`);
    const created = await post(db(), '/api/centres', { name: '测试红色驿站', kind: 'red_station', level: 'community', regionCode: COMMUNITY, areaM2: 40, position: [Number(station!.x), Number(station!.y)] });
    expect(created.status).toBe(201);
    const redId = Number(created.body.id ?? created.body.properties?.id);
    try {
      const byKind = async (query: string) => {
        const res = await requestJson<{ features: { properties: { centreId: number; kind: string; minutes: number } }[] }>(db(), `/api/coverage/isochrones?minutes=15&${query}`);
        expect(res.status, query).toBe(200);
        return res.body.features.map((f) => [f.properties.centreId, f.properties.kind] as const);
      };
      const ids = await db().rows<{ id: number; kind: string }>(sql`SELECT id, kind::text AS kind FROM service_centres ORDER BY id`);
      const partyIds = ids.filter((r) => r.kind === 'party_centre').map((r) => Number(r.id));
      expect(partyIds).toHaveLength(2);
      expect(await byKind('kind=red_station')).toEqual([[redId, 'red_station']]);
      expect(await byKind('kind=party_centre')).toEqual(partyIds.map((id) => [id, 'party_centre']));
      expect((await byKind('kind=all')).map(([id]) => id)).toEqual([...partyIds, redId].sort((a, b) => a - b));
      expect(await byKind('kind=rider_station')).toEqual([]);
      // With the level: the 小区 station only; with ids: narrowed to the kind.
      expect(await byKind('kind=party_centre&level=estate')).toEqual([[partyIds[1], 'party_centre']]);
      expect(await byKind(`kind=red_station&centreId=${partyIds[0]},${redId}`)).toEqual([[redId, 'red_station']]);
    } finally {
      expect((await request(db(), `/api/centres/${redId}`, { method: 'DELETE' })).status).toBe(204);
    }
  });
});

/**
 * On the sample (237 centres, ~8.5k road edges): each engine's coverage adds up
 * to an independent overlay of whole streets, and the two engines agree.
 */
describe('coverage on the sample data', () => {
  const engines: { name: string; database: TestDatabase; summary?: CoverageSummary }[] = [];
  beforeAll(async () => {
    engines.push({ name: 'embedded', database: await openEmbeddedCopy() });
    if (inject('postgisTemplateUrl')) engines.push({ name: 'postgis', database: await openPostgisCopy() });
    for (const e of engines) e.summary = await coverageSummary(e.database.handle, 'street', { speedMPerMin: DEFAULT_SPEED_M_PER_MIN });
  }, 600_000);
  afterAll(async () => {
    for (const e of engines) await e.database.dispose();
  });

  it('matches a direct overlay of each street with the union of all circles', async () => {
    for (const { database, summary } of engines) {
      const direct = await database.handle.rows<{ code: string; covered: number; area: number }>(sql`
        WITH u AS (SELECT ST_Union(geom, 1e-7) AS g FROM isochrones WHERE minutes = 15 AND speed_m_per_min = ${DEFAULT_SPEED_M_PER_MIN}::float8)
        SELECT r.code, ST_Area(ST_Intersection(r.geom, u.g, 1e-7)::geography) AS covered, ST_Area(r.geom::geography) AS area
        FROM regions r, u WHERE r.level = 'street' ORDER BY r.code`);
      expect(summary!.rows.map((r) => r.code)).toEqual(direct.map((d) => d.code));
      summary!.rows.forEach((row, k) => {
        expect(row.coveredAreaM2 / Number(direct[k]!.covered)).toBeCloseTo(1, 3);
        expect(row.areaM2 / Number(direct[k]!.area)).toBeCloseTo(1, 3);
        expect(row.householdShare).toBeGreaterThan(0);
        expect(row.householdShare).toBeLessThanOrEqual(1);
      });
      const [grids] = await database.handle.rows<{ households: number }>(sql`SELECT sum(households)::int AS households FROM grids`);
      expect(summary!.total.households).toBe(grids!.households);
      const [centres] = await database.handle.rows<{ n: number; cached: number }>(sql`SELECT (SELECT count(*)::int FROM service_centres) AS n, (SELECT count(*)::int FROM isochrones WHERE minutes = 15) AS cached`);
      expect(centres!.cached).toBe(centres!.n);
    }
  });

  it('gives the same circles and coverage on both engines', async () => {
    if (engines.length < 2) return expect(process.env.CI).toBeFalsy();
    const [embedded, postgis] = engines as [(typeof engines)[0], (typeof engines)[0]];
    const request = { centreIds: null, minutes: [15], speedMPerMin: DEFAULT_SPEED_M_PER_MIN };
    const a = await readIsochrones(embedded.database.handle, request);
    const b = await readIsochrones(postgis.database.handle, request);
    expect(a.length).toBe(b.length);
    a.forEach((f, k) => {
      expect(f.properties.centreId).toBe(b[k]!.properties.centreId);
      expect(f.properties.method).toBe(b[k]!.properties.method);
      expect(f.properties.areaM2 / b[k]!.properties.areaM2).toBeCloseTo(1, 4);
    });
    expect(embedded.summary!.total.coveredHouseholds / postgis.summary!.total.coveredHouseholds).toBeCloseTo(1, 5);
    embedded.summary!.rows.forEach((r, k) => {
      expect(r.householdShare).toBeCloseTo(postgis.summary!.rows[k]!.householdShare, 5);
    });
  });

  it('pgr_drivingDistance and the Node search reach the same nodes at the same distances on the real network', async () => {
    const postgis = engines.find((e) => e.name === 'postgis');
    if (!postgis) return expect(process.env.CI).toBeFalsy();
    const db = postgis.database.handle;
    const ids = (await db.rows<{ id: number }>(sql`SELECT id FROM service_centres ORDER BY id LIMIT 25`)).map((r) => Number(r.id));
    const version = await currentNetworkVersion(db);
    let compared = 0;
    for (const snap of await snapCentres(db, ids)) {
      if (!snap.edge) continue;
      const viaPg = await reachFromSnap(db, snap, 1000, 'pgrouting', version);
      const viaNode = await reachFromSnap(db, snap, 1000, 'node', version);
      expect([...viaPg.keys()].sort((x, y) => x - y)).toEqual([...viaNode.keys()].sort((x, y) => x - y));
      for (const [node, d] of viaPg) expect(viaNode.get(node)).toBeCloseTo(d, 6);
      compared += viaPg.size;
    }
    expect(compared).toBeGreaterThan(25 * 20);
    // And the cache written through the default (pgRouting) path is reused, not recomputed.
    expect(await ensureIsochrones(db, { centreIds: ids, minutes: [15], speedMPerMin: DEFAULT_SPEED_M_PER_MIN })).toBe(0);
  });
});
