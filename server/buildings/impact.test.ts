import { sql } from 'drizzle-orm';
import { beforeEach, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { describeEachEngine } from '../testing/databases';
import { type MINGSHAN_PLANNER, testPlanner } from '../testing/principals';
import { requestAs } from '../testing/requestAs';
import { grid, moveVertex, send, sharedVertexPair, type Pos } from '../testing/gridFixtures';

const COMMUNITY = '450902005001';

/**
 * Hand-made fixture: the community's buildings replaced by five with known figures — two in A,
 * two in B, and one in the part of B that the vertex move gives to A — plus one open and one
 * closed incident in that part; every other open incident of A and B closed.
 */
async function fixture(db: DbHandle) {
  const pair = await sharedVertexPair(db, COMMUNITY);
  const a = await grid(db, pair.a);
  const b = await grid(db, pair.b);
  const from: Pos = [pair.lon, pair.lat];
  const to: Pos = [from[0] + (b.lon - from[0]) * 0.3, from[1] + (b.lat - from[1]) * 0.3];
  const moved = moveVertex(a.geometry, from, to);
  const [piece] = await db.rows<{ lon: number; lat: number }>(sql`
    WITH d AS (SELECT ST_PointOnSurface(ST_Difference(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(moved)}), 4326), g.geom)) AS p FROM grids g WHERE g.code = ${pair.a})
    SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM d`);
  await db.db.execute(sql`DELETE FROM buildings WHERE community_code = ${COMMUNITY}`);
  await db.db.execute(sql`DELETE FROM incidents WHERE description = '影响测试事件'`);
  await db.db.execute(sql`UPDATE incidents SET stage = 'evaluate' WHERE grid_code IN (${pair.a}, ${pair.b}) AND stage NOT IN ('close', 'evaluate')`);
  const put = (code: string, p: Pos, households: number, population: number) =>
    db.db.execute(sql`
      INSERT INTO buildings (code, name, households, population, community_code, geom, grid_id)
      SELECT ${code}, ${code}, ${households}, ${population}, ${COMMUNITY}, pt, (SELECT id FROM grids g WHERE ST_Intersects(g.geom, pt) ORDER BY id LIMIT 1)
      FROM (SELECT ST_SetSRID(ST_MakePoint(${p[0]}, ${p[1]}), 4326) AS pt) x`);
  await put('T-A1', [a.lon, a.lat], 100, 290);
  await put('T-A2', [a.lon + 1e-6, a.lat], 120, 350);
  await put('T-B1', [b.lon, b.lat], 80, 230);
  await put('T-B2', [b.lon + 1e-6, b.lat], 90, 260);
  await put('T-MOVE', [piece!.lon, piece!.lat], 150, 420);
  const incident = (stage: string) =>
    db.db.execute(sql`
      INSERT INTO incidents (category_code, source, description, geom, grid_code, community_code, street_code, stage, reported_at)
      SELECT code, 'grid', '影响测试事件', ST_SetSRID(ST_MakePoint(${piece!.lon}, ${piece!.lat}), 4326), ${pair.b}, ${COMMUNITY}, left(${COMMUNITY}, 9), ${stage}::incident_stage, now()
      FROM incident_categories ORDER BY code LIMIT 1`);
  await incident('handle');
  await incident('close');
  return { pair, a, b, moved };
}

describeEachEngine('dry-run impact of a grid edit', (db) => {
  let f: Awaited<ReturnType<typeof fixture>>;
  beforeEach(async () => {
    f = await fixture(db());
  });

  it('lists exactly the buildings, households, population and open incidents that move, with new totals and the band', async () => {
    const res = await send(db(), 'PUT', `/api/grids/${f.pair.a}?dryRun=true`, { version: f.a.version, geometry: f.moved });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const impact = res.body.impact;
    expect(impact.moved).toEqual({ buildings: 1, households: 150, population: 420, openIncidents: 1, coveredHouseholds: impact.moved.coveredHouseholds });
    expect(impact.buildings).toEqual([expect.objectContaining({ code: 'T-MOVE', from: f.pair.b, to: f.pair.a, households: 150 })]);
    expect(impact.incidents).toHaveLength(1);
    expect(impact.incidents[0]).toMatchObject({ from: f.pair.b, to: f.pair.a });
    const byCode = Object.fromEntries(impact.grids.map((g: { code: string }) => [g.code, g]));
    expect(byCode[f.pair.a].before).toMatchObject({ buildings: 2, households: 220, population: 640, openIncidents: 0 });
    expect(byCode[f.pair.a].after).toMatchObject({ buildings: 3, households: 370, population: 1060, openIncidents: 1 });
    expect(byCode[f.pair.b].before).toMatchObject({ buildings: 3, households: 320, population: 910, openIncidents: 1 });
    expect(byCode[f.pair.b].after).toMatchObject({ buildings: 2, households: 170, population: 490, openIncidents: 0 });
    expect(impact.band).toEqual({ min: 300, max: 500, configured: false });
    expect(byCode[f.pair.a]).toMatchObject({ statusBefore: 'below', status: 'in' });
    expect(byCode[f.pair.b]).toMatchObject({ statusBefore: 'in', status: 'below' });
    // Worker load: each worker bound to B but not A loses the one open incident, one bound to A but not B gains it.
    for (const w of impact.workers as { gridCodes: string[]; before: number; after: number }[]) {
      const delta = (w.gridCodes.includes(f.pair.a) ? 1 : 0) - (w.gridCodes.includes(f.pair.b) ? 1 : 0);
      expect(w.after - w.before).toBe(delta);
    }
    // A dry run writes nothing.
    const [row] = await db().rows<{ code: string }>(sql`SELECT g.code FROM buildings b JOIN grids g ON g.id = b.grid_id WHERE b.code = 'T-MOVE'`);
    expect(row?.code).toBe(f.pair.b);
  });

  it('a real save moves the building and the open incident; the closed incident keeps its grid', async () => {
    const res = await send(db(), 'PUT', `/api/grids/${f.pair.a}`, { version: f.a.version, geometry: f.moved });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.impact).toBeUndefined();
    const [row] = await db().rows<{ code: string }>(sql`SELECT g.code FROM buildings b JOIN grids g ON g.id = b.grid_id WHERE b.code = 'T-MOVE'`);
    expect(row?.code).toBe(f.pair.a);
    const incidents = await db().rows<{ stage: string; grid_code: string }>(sql`SELECT stage::text, grid_code FROM incidents WHERE description = '影响测试事件' ORDER BY stage`);
    expect(incidents).toEqual([
      { stage: 'close', grid_code: f.pair.b },
      { stage: 'handle', grid_code: f.pair.a },
    ]);
    const sums = await send(db(), 'GET', `/api/buildings/summary?grid=${f.pair.a}`);
    expect(sums.body).toMatchObject({ buildings: 3, households: 370, population: 1060 });
  });

  it('uses the community band when one is configured; planners outside the jurisdiction may not set it', async () => {
    const put = await send(db(), 'PUT', `/api/buildings/bands/${COMMUNITY}`, { min: 150, max: 360 });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toMatchObject({ min: 150, max: 360, configured: true, updatedBy: '测试管理员' });
    const bad = await send(db(), 'PUT', `/api/buildings/bands/${COMMUNITY}`, { min: 400, max: 300 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.errors)).toContain('max');
    const put_ = (user: typeof MINGSHAN_PLANNER) =>
      requestAs(db(), user, `/api/buildings/bands/${COMMUNITY}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ min: 100, max: 200 }) });
    expect((await put_(testPlanner('450902003'))).status).toBe(403);
    expect((await send(db(), 'GET', `/api/buildings/bands/${COMMUNITY}`)).body).toMatchObject({ min: 150, max: 360 });
    const res = await send(db(), 'PUT', `/api/grids/${f.pair.a}?dryRun=true`, { version: f.a.version, geometry: f.moved });
    const byCode = Object.fromEntries(res.body.impact.grids.map((g: { code: string }) => [g.code, g]));
    expect(res.body.impact.band).toEqual({ min: 150, max: 360, configured: true });
    expect(byCode[f.pair.a].status).toBe('above');
    expect(byCode[f.pair.b].status).toBe('in');
  });
});
