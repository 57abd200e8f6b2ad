import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { networkVersionSql } from '../coverage/networkVersion';
import { DEFAULT_SPEED_M_PER_MIN } from '../coverage/walking';
import { describeEachEngine } from '../testing/databases';
import { request } from '../testing/request';
import { cstMonth, lastMonths } from '../screen/months';
import { screenSummary, type ScreenSummary } from '../screen/summary';

describeEachEngine('screen summary', (db) => {
  const get = async (path: string) => {
    const res = await request(db(), path);
    return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as ScreenSummary & { title?: string; errors?: { field: string }[] } };
  };

  it('defaults to the city and counts every grid, organisation and member of it', async () => {
    const { status, body } = await get('/api/screen/summary');
    expect(status).toBe(200);
    const [city] = await db().rows<{ code: string; name: string }>(sql`SELECT code, name FROM regions WHERE level = 'city'`);
    expect(body.region).toEqual({ code: city!.code, name: city!.name, level: 'city' });
    expect(body.path).toEqual([body.region]);
    const [t] = await db().rows<{ n: number; org: number; members: number; dual: number; hh: number }>(sql`
      SELECT count(*)::int AS n, count(party_org_name)::int AS org, sum(party_members)::int AS members,
             sum(dual_report_members)::int AS dual, sum(households)::int AS hh FROM grids`);
    expect(body.grid.grids).toBe(t!.n);
    expect(body.grid.gridsWithPartyOrg).toBe(t!.org);
    expect(body.grid.partyOrgRate).toBeCloseTo(t!.org / t!.n, 10);
    expect(body.grid.partyMembers).toBe(t!.members);
    expect(body.grid.dualReportMembers).toBe(t!.dual);
    expect(body.grid.households).toBe(t!.hh);
    expect(body.grid.stars.reduce((a, b) => a + b, 0)).toBe(t!.n);
    // Every centre belongs to the city, so the level counts add up to the table.
    const levels = await db().rows<{ level: string; n: number }>(sql`SELECT level::text AS level, count(*)::int AS n FROM service_centres WHERE kind = 'party_centre' GROUP BY 1`);
    for (const l of levels) expect(body.centres[l.level as keyof ScreenSummary['centres']]).toBe(l.n);
    expect(body.children.length).toBeGreaterThan(0);
    expect(body.children.reduce((a, c) => a + c.grids, 0)).toBe(t!.n);
  });

  it('recomputes the figures for a street, a community and a grid (drill-down)', async () => {
    const [street] = await db().rows<{ code: string; name: string }>(sql`SELECT code, name FROM regions WHERE level = 'street' ORDER BY code LIMIT 1`);
    const s = (await get(`/api/screen/summary?region=${street!.code}`)).body;
    expect(s.region).toEqual({ code: street!.code, name: street!.name, level: 'street' });
    expect(s.path.map((p) => p.level)).toEqual(['city', 'district', 'street']);
    const [g] = await db().rows<{ n: number; stars4: number; members: number }>(sql`
      SELECT count(*)::int AS n, count(*) FILTER (WHERE star_rating = 4)::int AS stars4, sum(party_members)::int AS members FROM grids WHERE street_code = ${street!.code}`);
    expect(s.grid.grids).toBe(g!.n);
    expect(s.grid.stars[4]).toBe(g!.stars4);
    expect(s.grid.partyMembers).toBe(g!.members);
    const communities = await db().rows<{ code: string; n: number }>(sql`SELECT community_code AS code, count(*)::int AS n FROM grids WHERE street_code = ${street!.code} GROUP BY 1 ORDER BY 1`);
    expect(s.children.map((c) => [c.code, c.grids])).toEqual(communities.map((c) => [c.code, c.n]));
    const [centres] = await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM service_centres WHERE kind = 'party_centre' AND level = 'estate' AND region_code LIKE ${`${street!.code}%`}`);
    expect(s.centres.estate).toBe(centres!.n);
    expect(s.centres.city).toBe(0);

    const community = communities[0]!.code;
    const cm = (await get(`/api/screen/summary?region=${community}`)).body;
    expect(cm.path.map((p) => p.level)).toEqual(['city', 'district', 'street', 'community']);
    expect(cm.grid.grids).toBe(communities[0]!.n);
    expect(cm.children.every((c) => c.code.startsWith(community) && c.code.length === 15)).toBe(true);

    const [grid] = await db().rows<{ code: string; name: string; members: number; stars: number }>(
      sql`SELECT code, name, party_members AS members, star_rating AS stars FROM grids WHERE community_code = ${community} ORDER BY code LIMIT 1`,
    );
    const gr = (await get(`/api/screen/summary?region=${grid!.code}`)).body;
    expect(gr.region).toEqual({ code: grid!.code, name: grid!.name, level: 'grid' });
    expect(gr.path).toHaveLength(5);
    expect(gr.grid.grids).toBe(1);
    expect(gr.grid.partyMembers).toBe(grid!.members);
    expect(gr.grid.stars[grid!.stars]).toBe(1);
    expect(gr.children).toEqual([]);
  });

  it('counts this month’s incidents, the closed rate and a 12-month trend, checked by SQL', async () => {
    // The sample's incidents end a few days before the newest report; "now" is pinned to it.
    const [latest] = await db().rows<{ at: Date | string }>(sql`SELECT max(reported_at) AS at FROM incidents`);
    const now = new Date(new Date(latest!.at).getTime() + 3600_000);
    const [street] = await db().rows<{ code: string }>(sql`SELECT street_code AS code FROM incidents GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`);
    const summary = (await screenSummary(db(), street!.code, now))!;
    const month = cstMonth(now);
    const lo = month.start.toISOString();
    const hi = month.end.toISOString();
    const [m] = await db().rows<{ reported: number; base: number; closed: number }>(sql`
      SELECT (SELECT count(*) FROM incidents WHERE street_code = ${street!.code} AND reported_at >= ${lo}::timestamptz AND reported_at < ${hi}::timestamptz)::int AS reported,
             count(*) FILTER (WHERE NOT suspended)::int AS base,
             count(*) FILTER (WHERE NOT suspended AND closed_at < ${hi}::timestamptz)::int AS closed
      FROM incidents WHERE street_code = ${street!.code}
        AND ((deadline_at >= ${lo}::timestamptz AND deadline_at < ${hi}::timestamptz) OR (closed_at >= ${lo}::timestamptz AND closed_at < ${hi}::timestamptz))`);
    expect(summary.incidents.reported).toBe(m!.reported);
    expect(m!.reported).toBeGreaterThan(0);
    expect(summary.incidents.closed).toBe(m!.closed);
    expect(summary.incidents.closeRate).toBeCloseTo(m!.closed / m!.base, 10);

    expect(summary.trend.map((t) => t.month)).toEqual(lastMonths(now).map((x) => x.key));
    expect(summary.trend[11]!.month).toBe(month.key);
    for (const [k, t] of summary.trend.entries()) {
      const span = lastMonths(now)[k]!;
      const [row] = await db().rows<{ n: number; closed: number }>(sql`
        SELECT count(*)::int AS n, count(closed_at) FILTER (WHERE closed_at <= ${now.toISOString()}::timestamptz)::int AS closed FROM incidents
        WHERE street_code = ${street!.code} AND reported_at >= ${span.start.toISOString()}::timestamptz AND reported_at < ${span.end.toISOString()}::timestamptz`);
      expect([t.reported, t.closed]).toEqual([row!.n, row!.closed]);
    }
    expect(summary.trend.reduce((a, t) => a + t.reported, 0)).toBeGreaterThan(0);
  });

  it('computes coverage within 1000 m of a centre until every centre’s 15-minute circle is cached, and from the circles then', async () => {
    const [street] = await db().rows<{ code: string }>(sql`SELECT code FROM regions WHERE level = 'street' ORDER BY code LIMIT 1`);
    await db().rows(sql`DELETE FROM isochrones`);
    const before = (await screenSummary(db(), street!.code))!.coverage;
    const [b] = await db().rows<{ hh: number; covered: number }>(sql`
      SELECT sum(households)::int AS hh,
             (sum(households) FILTER (WHERE (SELECT min(ST_Distance(c.geom::geography, g.label_point::geography)) FROM service_centres c) <= 1000))::int AS covered
      FROM grids g WHERE street_code = ${street!.code}`);
    expect(before.method).toBe('buffer');
    expect(before.households).toBe(b!.hh);
    expect(before.coveredHouseholds).toBe(b!.covered);
    expect(before.share).toBeCloseTo(b!.covered / b!.hh, 10);

    // Circles for all but one centre are not enough: partly computed circles would undercount.
    const [centre] = await db().rows<{ id: number }>(sql`SELECT id FROM service_centres ORDER BY id LIMIT 1`);
    await db().rows(sql`
      INSERT INTO isochrones (centre_id, minutes, speed_m_per_min, network_version, method, geom)
      SELECT id, 15, ${DEFAULT_SPEED_M_PER_MIN}::float8, ${networkVersionSql}, 'network', ST_Multi(ST_Buffer(geom, 0.00001)) FROM service_centres WHERE id <> ${centre!.id}`);
    expect((await screenSummary(db(), street!.code))!.coverage.method).toBe('buffer');
    // The last one, hand-made: the street's own outline, so every grid of the street is covered.
    await db().rows(sql`
      INSERT INTO isochrones (centre_id, minutes, speed_m_per_min, network_version, method, geom)
      SELECT ${centre!.id}, 15, ${DEFAULT_SPEED_M_PER_MIN}::float8, ${networkVersionSql}, 'network', ST_Multi(ST_Buffer(geom, 0.0001)) FROM regions WHERE code = ${street!.code}`);
    const after = (await screenSummary(db(), street!.code))!.coverage;
    expect(after.method).toBe('isochrone');
    expect(after.coveredHouseholds).toBe(b!.hh);
    expect(after.share).toBe(1);
    await db().rows(sql`DELETE FROM isochrones`);
  });

  it('answers unknown and malformed regions with Chinese problem details', async () => {
    const unknown = await get('/api/screen/summary?region=450902999');
    expect(unknown.status).toBe(404);
    expect(unknown.type).toContain('application/problem+json');
    expect(unknown.body.title).toBe('未找到');
    const bad = await get('/api/screen/summary?region=12ab');
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.field).toBe('region');
  });

  it('lists every service centre with its level and position', async () => {
    const res = await request(db(), '/api/screen/centres');
    const body = (await res.json()) as { centres: { id: number; level: string; position: [number, number] }[] };
    const [n] = await db().rows<{ n: number; estates: number }>(sql`SELECT count(*)::int AS n, count(*) FILTER (WHERE level = 'estate')::int AS estates FROM service_centres`);
    expect(body.centres).toHaveLength(n!.n);
    expect(body.centres.filter((c) => c.level === 'estate')).toHaveLength(n!.estates);
    const [first] = await db().rows<{ x: number; y: number }>(sql`SELECT ST_X(geom) AS x, ST_Y(geom) AS y FROM service_centres WHERE id = ${body.centres[0]!.id}`);
    expect(body.centres[0]!.position[0]).toBeCloseTo(Number(first!.x), 9);
    expect(body.centres[0]!.position[1]).toBeCloseTo(Number(first!.y), 9);
  });
});
