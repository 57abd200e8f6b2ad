import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../testing/databases';
import { request } from '../testing/request';
import type { DemoBelt, DemoCircle } from '../screen/demonstrations';

type Body = Omit<DemoBelt, 'kind'> & Omit<DemoCircle, 'kind'> & { title?: string; detail?: string; errors?: { field: string; reason: string }[]; belts?: DemoBelt[]; circles?: DemoCircle[] };

describeEachEngine('demonstration belts and circles', (db) => {
  // Through the whole app, signed in as the test admin (测试管理员).
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await request(db(), path, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Body };
  };
  /** Communities whose outline meets a geometry, computed independently of the module. */
  const intersecting = async (geojson: unknown, bufferM = 0) =>
    (
      await db().rows<{ code: string }>(sql`
        SELECT code FROM regions WHERE level = 'community'
          AND ST_Intersects(geom, ST_Buffer(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geojson)}), 4326)::geography, ${bufferM})::geometry) ORDER BY code`)
    ).map((r) => r.code);

  it('lists the sample belt and circles with geometry and named members', async () => {
    const { status, body } = await call('GET', '/api/demonstrations');
    expect(status).toBe(200);
    const [counts] = await db().rows<{ belts: number; circles: number }>(sql`SELECT (SELECT count(*) FROM demo_belts)::int AS belts, (SELECT count(*) FROM demo_circles)::int AS circles`);
    expect(body.belts).toHaveLength(counts!.belts);
    expect(body.circles).toHaveLength(counts!.circles);
    const belt = body.belts![0]!;
    expect(belt.route.type).toBe('MultiLineString');
    // The sample dates every belt and circle (data/sample.ts), months before its incidents end.
    expect([...body.belts!, ...body.circles!].every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d.designatedOn ?? ''))).toBe(true);
    expect(belt.area.type).toBe('MultiPolygon');
    const [stored] = await db().rows<{ codes: string[] }>(sql`SELECT member_community_codes AS codes FROM demo_belts WHERE id = ${belt.id}`);
    expect(belt.members.map((m) => m.code)).toEqual([...stored!.codes].sort());
    const [name] = await db().rows<{ name: string }>(sql`SELECT name FROM regions WHERE code = ${belt.members[0]!.code}`);
    expect(belt.members[0]!.name).toBe(name!.name);
  });

  it('creates a belt from a route: corridor buffered 300 m, members by intersection, audit row', async () => {
    const [a, b] = await db().rows<{ x: number; y: number }>(sql`SELECT ST_X(label_point) AS x, ST_Y(label_point) AS y FROM regions WHERE level = 'street' ORDER BY code LIMIT 2`);
    const route = {
      type: 'LineString',
      coordinates: [
        [Number(a!.x), Number(a!.y)],
        [Number(b!.x), Number(b!.y)],
      ],
    };
    const created = await call('POST', '/api/demonstrations/belts', { name: '测试示范带', description: '两街道之间', route, corridorM: 300 });
    expect(created.status).toBe(201);
    expect(created.body.name).toBe('测试示范带');
    const expected = await intersecting(route, 300);
    expect(expected.length).toBeGreaterThan(1);
    expect(created.body.members.map((m) => m.code)).toEqual(expected);
    // The corridor is 300 m either side: its area is about 600 m × length (+ round caps).
    const [geo] = await db().rows<{ len: number; area: number }>(sql`
      SELECT ST_Length(route::geography) AS len, ST_Area(corridor::geography) AS area FROM demo_belts WHERE id = ${created.body.id}`);
    const expectedArea = 600 * Number(geo!.len) + Math.PI * 300 ** 2;
    expect(Math.abs(Number(geo!.area) - expectedArea) / expectedArea).toBeLessThan(0.02);
    const [audit] = await db().rows<{ actor: string; action: string }>(sql`SELECT actor, action FROM audit_log WHERE entity = 'demo_belt' AND entity_id = ${String(created.body.id)}`);
    expect(audit).toEqual({ actor: '测试管理员', action: 'create' });

    // Renaming keeps geometry and members; a new route recomputes both.
    const renamed = await call('PUT', `/api/demonstrations/belts/${created.body.id}`, { name: '改名示范带' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('改名示范带');
    expect(renamed.body.members.map((m) => m.code)).toEqual(expected);
    const shorter = { type: 'LineString', coordinates: [route.coordinates[0], [(route.coordinates[0]![0]! + route.coordinates[1]![0]!) / 2, (route.coordinates[0]![1]! + route.coordinates[1]![1]!) / 2]] };
    const moved = await call('PUT', `/api/demonstrations/belts/${created.body.id}`, { route: shorter, corridorM: 100 });
    expect(moved.body.members.map((m) => m.code)).toEqual(await intersecting(shorter, 100));

    const removed = await call('DELETE', `/api/demonstrations/belts/${created.body.id}`);
    expect(removed.status).toBe(200);
    expect((await call('GET', `/api/demonstrations/belts/${created.body.id}`)).status).toBe(404);
  });

  it('creates a circle from centre and radius, and keeps member communities when they are given', async () => {
    const [centre] = await db().rows<{ x: number; y: number; code: string }>(sql`SELECT ST_X(label_point) AS x, ST_Y(label_point) AS y, code FROM regions WHERE level = 'community' ORDER BY code LIMIT 1`);
    const point = { type: 'Point', coordinates: [Number(centre!.x), Number(centre!.y)] };
    const created = await call('POST', '/api/demonstrations/circles', { name: '测试示范圈', centre: point.coordinates, radiusM: 800 });
    expect(created.status).toBe(201);
    expect(created.body.members.map((m) => m.code)).toEqual(await intersecting(point, 800));
    expect(created.body.members.map((m) => m.code)).toContain(centre!.code);
    const [area] = await db().rows<{ a: number }>(sql`SELECT ST_Area(geom::geography) AS a FROM demo_circles WHERE id = ${created.body.id}`);
    expect(Math.abs(Number(area!.a) - Math.PI * 800 ** 2) / (Math.PI * 800 ** 2)).toBeLessThan(0.01);

    const chosen = await call('PUT', `/api/demonstrations/circles/${created.body.id}`, { memberCommunityCodes: [centre!.code] });
    expect(chosen.status).toBe(200);
    expect(chosen.body.members).toEqual([{ code: centre!.code, name: expect.any(String) }]);
    const [stored] = await db().rows<{ codes: string[] }>(sql`SELECT member_community_codes AS codes FROM demo_circles WHERE id = ${created.body.id}`);
    expect(stored!.codes).toEqual([centre!.code]);
  });

  it('records the 认定日期: given on create, changed and cleared on update, never in the future', async () => {
    const chinaDay = (offsetDays: number) => new Date(Date.now() + 8 * 3600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
    const created = await call('POST', '/api/demonstrations/circles', { name: '认定日期示范圈', centre: [110.15, 22.64], radiusM: 500, designatedOn: '2026-03-01' });
    expect(created.status).toBe(201);
    expect(created.body.designatedOn).toBe('2026-03-01');
    const [stored] = await db().rows<{ d: string }>(sql`SELECT designated_on::text AS d FROM demo_circles WHERE id = ${created.body.id}`);
    expect(stored!.d).toBe('2026-03-01');
    const listed = await call('GET', '/api/demonstrations');
    expect(listed.body.circles!.find((c) => c.id === created.body.id)!.designatedOn).toBe('2026-03-01');
    // Today (China) is allowed; tomorrow is refused with the field and a Chinese reason, and nothing changes.
    const today = await call('PUT', `/api/demonstrations/circles/${created.body.id}`, { designatedOn: chinaDay(0) });
    expect(today.status).toBe(200);
    expect(today.body.designatedOn).toBe(chinaDay(0));
    const future = await call('PUT', `/api/demonstrations/circles/${created.body.id}`, { designatedOn: chinaDay(2) });
    expect(future.status).toBe(400);
    expect(future.type).toContain('application/problem+json');
    expect(future.body.errors?.[0]?.field).toBe('designatedOn');
    expect(future.body.errors?.[0]?.reason).toContain('不能晚于今天');
    const cleared = await call('PUT', `/api/demonstrations/circles/${created.body.id}`, { designatedOn: null });
    expect(cleared.body.designatedOn).toBeNull();
    const [belt] = await db().rows<{ id: number }>(sql`SELECT id FROM demo_belts ORDER BY id LIMIT 1`);
    const beltFuture = await call('POST', '/api/demonstrations/belts', {
      name: '未来示范带',
      route: {
        type: 'LineString',
        coordinates: [
          [110.15, 22.64],
          [110.16, 22.65],
        ],
      },
      designatedOn: '2099-01-01',
    });
    expect(beltFuture.status).toBe(400);
    expect(beltFuture.body.errors?.map((e) => e.field)).toEqual(['designatedOn']);
    const impossible = await call('PUT', `/api/demonstrations/belts/${belt!.id}`, { designatedOn: '2026-02-30' });
    expect(impossible.status).toBe(400);
    expect(impossible.body.errors?.[0]).toEqual({ field: 'designatedOn', reason: expect.stringContaining('2 月只有 28 天') });
    const [count] = await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM demo_belts WHERE name = '未来示范带'`);
    expect(count!.n).toBe(0);
    await call('DELETE', `/api/demonstrations/circles/${created.body.id}`);
  });

  it('refuses bad input with Chinese problem details and writes nothing', async () => {
    const [before] = await db().rows<{ n: number }>(sql`SELECT ((SELECT count(*) FROM demo_belts) + (SELECT count(*) FROM demo_circles))::int AS n`);
    const noRoute = await call('POST', '/api/demonstrations/belts', { name: '无路线' });
    expect(noRoute.status).toBe(400);
    expect(noRoute.type).toContain('application/problem+json');
    expect(noRoute.body.errors?.[0]).toEqual({ field: 'route', reason: '请提供示范带的路线 route' });
    const emptyName = await call('POST', '/api/demonstrations/circles', { name: ' ', centre: [110.15, 22.64] });
    expect(emptyName.body.errors?.map((e) => e.field)).toContain('name');
    const openRing = await call('POST', '/api/demonstrations/circles', {
      name: '开环',
      area: {
        type: 'Polygon',
        coordinates: [
          [
            [110, 22],
            [110.1, 22],
            [110.1, 22.1],
          ],
        ],
      },
    });
    expect(openRing.status).toBe(400);
    const unknownMember = await call('POST', '/api/demonstrations/circles', { name: '未知社区', centre: [110.15, 22.64], memberCommunityCodes: ['450902999999'] });
    expect(unknownMember.status).toBe(422);
    expect(unknownMember.body.errors?.[0]?.field).toBe('memberCommunityCodes');
    expect(unknownMember.body.detail).toContain('450902999999');
    const missing = await call('PUT', '/api/demonstrations/circles/999999', { name: '不存在' });
    expect(missing.status).toBe(404);
    expect(missing.body.title).toBe('未找到');
    const badJson = await request(db(), '/api/demonstrations/belts', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(badJson.status).toBe(400);
    const [after] = await db().rows<{ n: number }>(sql`SELECT ((SELECT count(*) FROM demo_belts) + (SELECT count(*) FROM demo_circles))::int AS n`);
    expect(after!.n).toBe(before!.n);
  });
});
