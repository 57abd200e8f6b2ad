/**
 * The cached big-screen summary stays exact: after each kind of write — grid
 * attributes, a grid import-style insert, incidents, centres, isochrones, region
 * names — the route answers what a fresh computation and direct SQL say, while an
 * unchanged database is answered from memory without recomputing.
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { networkVersionSql } from '../coverage/networkVersion';
import { DEFAULT_SPEED_M_PER_MIN } from '../coverage/walking';
import { describeEachEngine } from '../testing/databases';
import { request } from '../testing/request';
import { foldChanges } from './dataVersion';
import { cstMonth } from './months';
import type { ScreenSummaryReport } from './summary';
import { computeScreenSummaryReport } from './summary';
import { summaryComputations } from './summaryCache';

describeEachEngine('screen summary cache', (db) => {
  const route = async (region?: string) => {
    const res = await request(db(), `/api/screen/summary${region ? `?region=${region}` : ''}`);
    expect(res.status).toBe(200);
    return (await res.json()) as ScreenSummaryReport;
  };
  /** The route's answer equals a fresh computation (all but the computation time). */
  const expectExact = async (region?: string) => {
    const cached = await route(region);
    const fresh = JSON.parse(JSON.stringify(await computeScreenSummaryReport(db(), region))) as ScreenSummaryReport;
    expect({ ...cached, generatedAt: null }).toEqual({ ...fresh, generatedAt: null });
    return cached;
  };
  const firstStreet = async () => (await db().rows<{ code: string }>(sql`SELECT code FROM regions WHERE level = 'street' ORDER BY code LIMIT 1`))[0]!.code;

  it('answers an unchanged database from memory, for the city and a drilled region', async () => {
    const street = await firstStreet();
    await expectExact();
    await expectExact(street);
    const before = summaryComputations(db());
    const again = await Promise.all([route(), route(), route(street), route(street)]);
    expect(summaryComputations(db())).toBe(before);
    expect(again[0]).toEqual(again[1]);
  });

  it('follows grid edits and new grids, checked against SQL', async () => {
    const street = await firstStreet();
    await route(street);
    const [grid] = await db().rows<{ code: string }>(sql`SELECT code FROM grids WHERE street_code = ${street} ORDER BY code LIMIT 1`);
    await db().rows(sql`UPDATE grids SET party_members = party_members + 7, party_org_name = NULL WHERE code = ${grid!.code}`);
    const s = await expectExact(street);
    const [t] = await db().rows<{ members: number; org: number }>(sql`
      SELECT sum(party_members)::int AS members, count(*) FILTER (WHERE coalesce(btrim(party_org_name), '') <> '')::int AS org FROM grids WHERE street_code = ${street}`);
    expect(s.grid.partyMembers).toBe(t!.members);
    expect(s.grid.gridsWithPartyOrg).toBe(t!.org);

    // An import writes whole rows: a copy of the grid under a new code, then removed again.
    const code = `${grid!.code.slice(0, 12)}999`;
    await db().rows(sql`
      INSERT INTO grids (code, name, community_code, street_code, district_code, geom, label_point, households, population, party_members, star_rating)
      SELECT ${code}, name || '（导入）', community_code, street_code, district_code, ST_Multi(ST_Translate(geom, 0.5, 0)), ST_Translate(label_point, 0.5, 0), 10, 20, 3, 5
      FROM grids WHERE code = ${grid!.code}`);
    const added = await expectExact(street);
    expect(added.grid.grids).toBe(s.grid.grids + 1);
    expect(added.grid.stars[5]).toBe(s.grid.stars[5]! + 1);
    await db().rows(sql`DELETE FROM grids WHERE code = ${code}`);
    expect((await expectExact(street)).grid.grids).toBe(s.grid.grids);
  });

  it('follows incident writes: this month’s count and closing', async () => {
    const before = await expectExact();
    const month = cstMonth(new Date());
    const [inc] = await db().rows<{ id: number }>(sql`
      INSERT INTO incidents (category_code, source, geom, grid_code, community_code, street_code, reported_at, deadline_at)
      SELECT (SELECT c.code FROM incident_categories c ORDER BY c.code LIMIT 1), 'grid', g.label_point, g.code, g.community_code, g.street_code, now(), now() + interval '2 days'
      FROM grids g ORDER BY g.code LIMIT 1
      RETURNING id`);
    const after = await expectExact();
    const [m] = await db().rows<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM incidents WHERE reported_at >= ${month.start.toISOString()}::timestamptz AND reported_at < ${month.end.toISOString()}::timestamptz`);
    expect(after.incidents.reported).toBe(m!.n);
    expect(after.incidents.reported).toBe(before.incidents.reported + 1);
    await db().rows(sql`UPDATE incidents SET stage = 'close', closed_at = now() WHERE id = ${inc!.id}`);
    const closed = await expectExact();
    expect(closed.trend.at(-1)!.closed).toBe(after.trend.at(-1)!.closed + 1);
    await db().rows(sql`DELETE FROM incidents WHERE id = ${inc!.id}`);
    expect((await expectExact()).incidents.reported).toBe(before.incidents.reported);
  });

  it('follows centre, isochrone and region changes', async () => {
    const street = await firstStreet();
    const before = await expectExact(street);
    await db().rows(sql`
      INSERT INTO service_centres (name, level, region_code, area_m2, households_served, geom)
      SELECT '测试中心', 'street', code, 500, 0, label_point FROM regions WHERE code = ${street}`);
    const withCentre = await expectExact(street);
    expect(withCentre.centres.street).toBe(before.centres.street + 1);

    await db().rows(sql`DELETE FROM isochrones`);
    expect((await expectExact(street)).coverage.method).toBe('buffer');
    // Every centre's circle (coverage uses them only when complete); the first covers the whole street.
    const [centre] = await db().rows<{ id: number }>(sql`SELECT id FROM service_centres ORDER BY id LIMIT 1`);
    await db().rows(sql`
      INSERT INTO isochrones (centre_id, minutes, speed_m_per_min, network_version, method, geom)
      SELECT id, 15, ${DEFAULT_SPEED_M_PER_MIN}::float8, ${networkVersionSql}, 'network', ST_Multi(ST_Buffer(geom, 0.00001)) FROM service_centres WHERE id <> ${centre!.id}`);
    expect((await expectExact(street)).coverage.method).toBe('buffer');
    await db().rows(sql`
      INSERT INTO isochrones (centre_id, minutes, speed_m_per_min, network_version, method, geom)
      SELECT ${centre!.id}, 15, ${DEFAULT_SPEED_M_PER_MIN}::float8, ${networkVersionSql}, 'network', ST_Multi(ST_Buffer(geom, 0.0001)) FROM regions WHERE code = ${street}`);
    const covered = await expectExact(street);
    expect(covered.coverage.method).toBe('isochrone');
    expect(covered.coverage.coveredHouseholds).toBe(covered.coverage.households);
    await db().rows(sql`DELETE FROM isochrones`);
    await db().rows(sql`DELETE FROM service_centres WHERE name = '测试中心'`);

    await db().rows(sql`UPDATE regions SET name = name || '（更名）' WHERE code = ${street}`);
    const renamed = await expectExact(street);
    expect(renamed.region.name).toBe(`${before.region.name}（更名）`);
    await db().rows(sql`UPDATE regions SET name = ${before.region.name} WHERE code = ${street}`);
    expect((await expectExact(street)).centres).toEqual(before.centres);
  });

  it('keeps the version through folding and sees writes of a transaction only once committed', async () => {
    const version = async () => Number((await db().rows<{ v: number }>(sql`SELECT coalesce(sum(weight), 0)::bigint AS v FROM data_changes`))[0]!.v);
    const v0 = await version();
    await foldChanges(db());
    expect(await version()).toBe(v0);
    expect(Number((await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM data_changes`))[0]!.n)).toBeLessThanOrEqual(1);
    // Many small writes (more than the fold threshold), then a fold by the probe: still exact.
    for (let i = 0; i < 300; i++) await db().rows(sql`UPDATE grids SET population = population WHERE code = (SELECT code FROM grids ORDER BY code LIMIT 1)`);
    expect(await version()).toBe(v0 + 300);
    await expectExact();
    expect(await version()).toBe(v0 + 300);
    // A write rolled back leaves the version and the figures alone.
    const cached = await route();
    await db()
      .db.transaction(async (tx) => {
        await tx.execute(sql`UPDATE grids SET party_members = party_members + 1000`);
        throw new Error('rollback');
      })
      .catch(() => undefined);
    expect(await version()).toBe(v0 + 300);
    expect((await route()).grid.partyMembers).toBe(cached.grid.partyMembers);
  });
});
