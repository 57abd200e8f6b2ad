/**
 * As of a date, on both engines: the sample moved a piece of ground from one grid of 五里桥社区
 * to 第2网格 on BOUNDARY_CHANGE_AT. An incident reported on that ground before the change is
 * counted in the grid that held it then, one reported after it in 第2网格; the grid's shape as
 * of each date is the one valid then. Counts are compared with the same query before the two
 * incidents were added, so nothing depends on the rest of the sample.
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { BOUNDARY_CHANGE_AT, BOUNDARY_CHANGE_GRID } from '../../data/levels';
import { describeEachEngine } from '../testing/databases';
import { request, requestJson } from '../testing/request';

const A = BOUNDARY_CHANGE_GRID;
const BEFORE = '2026-05-15';
const AFTER = '2026-11-01';

describeEachEngine('grids and statistics as of a date', (db) => {
  it('counts incidents in the grid valid when they happened, across a boundary change', async () => {
    expect(BOUNDARY_CHANGE_AT.toISOString().slice(0, 10) > BEFORE).toBe(true);
    // The ground that moved: today's A minus A as of BEFORE; and the grid that held it then.
    const [moved] = await db().rows<{ lon: number; lat: number; from_code: string }>(sql`
      WITH before AS (SELECT after_geom AS geom FROM grid_versions v JOIN grids g ON g.id = v.grid_id WHERE g.code = ${A} AND v.at < ${BOUNDARY_CHANGE_AT} ORDER BY v.version DESC LIMIT 1),
      piece AS (SELECT ST_PointOnSurface(ST_CollectionExtract(ST_Difference(g.geom, b.geom), 3)) AS pt FROM grids g, before b WHERE g.code = ${A})
      SELECT ST_X(pt) AS lon, ST_Y(pt) AS lat,
             (SELECT v.after_attrs->>'code' FROM grid_versions v WHERE v.at < ${BOUNDARY_CHANGE_AT} AND v.after_geom IS NOT NULL AND ST_Covers(v.after_geom, pt)
                AND v.after_attrs->>'code' <> ${A} ORDER BY v.at DESC, v.version DESC LIMIT 1) AS from_code
      FROM piece`);
    expect(moved?.from_code).toMatch(/^450902005001\d{3}$/);
    const B = moved!.from_code;

    const counts = async (date: string) => {
      const res = await requestJson<{ grids: { code: string; incidents: number; areaM2: number }[]; totals: { incidents: number } }>(db(), `/api/history/statistics?asOf=${date}&region=450902005001`);
      expect(res.status).toBe(200);
      const of = (code: string) => res.body.grids.find((g) => g.code === code);
      return { a: of(A)!, b: of(B)!, total: res.body.totals.incidents };
    };
    const before0 = await counts(BEFORE);
    const after0 = await counts(AFTER);
    // As of BEFORE, A was smaller and B larger than as of AFTER.
    expect(before0.a.areaM2).toBeLessThan(after0.a.areaM2);
    expect(before0.b.areaM2).toBeGreaterThan(after0.b.areaM2);

    const point = sql`ST_SetSRID(ST_MakePoint(${moved!.lon}, ${moved!.lat}), 4326)`;
    for (const at of [new Date('2026-05-01T02:00:00Z'), new Date('2026-07-01T02:00:00Z')]) {
      await db().db.execute(sql`
        INSERT INTO incidents (category_code, source, geom, grid_code, community_code, street_code, reported_at)
        SELECT code, 'grid', ${point}, ${A}, '450902005001', '450902005', ${at} FROM incident_categories ORDER BY code LIMIT 1`);
    }
    const before1 = await counts(BEFORE);
    const after1 = await counts(AFTER);
    expect([before1.a.incidents - before0.a.incidents, before1.b.incidents - before0.b.incidents]).toEqual([0, 1]);
    expect([after1.a.incidents - after0.a.incidents, after1.b.incidents - after0.b.incidents]).toEqual([1, 1]);
    expect(after1.total - after0.total).toBe(2);
  });

  it('draws the map as of a date from the versions, and refuses impossible dates', async () => {
    const before = await requestJson<{ features: { properties: { code: string; areaM2: number } }[] }>(db(), `/api/history/grids?asOf=${BEFORE}&region=450902005001`);
    const now = await db().rows<{ code: string; area: number }>(sql`SELECT code, area_m2 AS area FROM grids WHERE community_code = '450902005001'`);
    expect(before.body.features.map((f) => f.properties.code).sort()).toEqual(now.map((g) => g.code).sort());
    const a = before.body.features.find((f) => f.properties.code === A)!;
    expect(a.properties.areaM2).toBeLessThan(Number(now.find((g) => g.code === A)!.area));
    // Before the sample's grids existed there is no grid.
    expect((await requestJson<{ features: unknown[] }>(db(), '/api/history/grids?asOf=2020-01-01&region=450902005001')).body.features).toEqual([]);
    const bad = await request(db(), '/api/history/grids?asOf=2026-02-30');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('2 月只有 28 天');
    const dates = await requestJson<{ dates: { day: string }[] }>(db(), '/api/history/dates?region=450902005001');
    expect(dates.body.dates.map((d) => d.day)).toContain(BOUNDARY_CHANGE_AT.toISOString().slice(0, 10));
  });
});
