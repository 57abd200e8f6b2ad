import { sql } from 'drizzle-orm';
import { beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../testing/databases';
import { request } from '../testing/request';
import { communityTopology, historyHoles } from '../testing/topologyChecks';
import { decodeTile } from '../tiles/decodeMvt';
import { tileForLonLat } from '../../kernel/webMercator';

import { grid, moveVertex, send, sharedVertexPair, splitLineInTwo, type Multi, type Pos } from '../testing/gridFixtures';

// A community without the sample's micro grids and past boundary change (data/levels.ts), so its shapes are the plain partition.
const COMMUNITY = '450902005007';

describeEachEngine('grid editing with topology rules', (db) => {
  let pair: { a: string; b: string; lon: number; lat: number };
  beforeEach(async () => {
    pair = await sharedVertexPair(db(), COMMUNITY);
  });

  it('moves a shared vertex: both neighbours change, no gap or overlap, history and tiles updated', async () => {
    const a = await grid(db(), pair.a);
    const b = await grid(db(), pair.b);
    const from: Pos = [pair.lon, pair.lat];
    // 30 % of the way towards B's label point: A grows into B.
    const to: Pos = [from[0] + (b.lon - from[0]) * 0.3, from[1] + (b.lat - from[1]) * 0.3];
    const { x, y } = tileForLonLat(16, from[0], from[1]);
    const tileBefore = decodeTile(new Uint8Array(await (await request(db(), `/tiles/grids/16/${x}/${y}.mvt`)).arrayBuffer()));

    const res = await send(db(), 'PUT', `/api/grids/${pair.a}`, { version: a.version, geometry: moveVertex(a.geometry, from, to) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const changed = Object.fromEntries(res.body.changes.map((c: { code: string; version: number }) => [c.code, c.version]));
    expect(changed[pair.a]).toBe(a.version + 1);
    expect(changed[pair.b]).toBe(b.version + 1);

    const topo = await communityTopology(db(), COMMUNITY);
    expect(topo.overlapM2).toBeLessThan(0.01);
    expect(topo.gapM2).toBeLessThan(0.01);

    const history = await send(db(), 'GET', `/api/grids/${pair.a}/history`);
    expect(history.body.versions[0]).toMatchObject({ version: a.version + 1, action: 'update', actor: '测试管理员' });
    expect(history.body.versions[0].areaAfterM2).toBeGreaterThan(history.body.versions[0].areaBeforeM2);
    const v = await send(db(), 'GET', `/api/grids/${pair.a}/versions/${a.version + 1}`);
    expect(v.body.before.type).toBe('MultiPolygon');
    expect(JSON.stringify(v.body.after)).toContain(String(to[0]).slice(0, 8));

    const tileAfter = decodeTile(new Uint8Array(await (await request(db(), `/tiles/grids/16/${x}/${y}.mvt`)).arrayBuffer()));
    const shape = (t: typeof tileAfter) => JSON.stringify(t.grids?.find((f) => f.properties.code === pair.a)?.geometry);
    expect(shape(tileAfter)).not.toBe(shape(tileBefore));
  });

  it('rejects an overlap with 422 and the overlapping geometry when neighbours are not adjusted; nothing is written', async () => {
    const a = await grid(db(), pair.a);
    const b = await grid(db(), pair.b);
    const to: Pos = [pair.lon + (b.lon - pair.lon) * 0.3, pair.lat + (b.lat - pair.lat) * 0.3];
    const res = await send(db(), 'PUT', `/api/grids/${pair.a}`, { version: a.version, geometry: moveVertex(a.geometry, [pair.lon, pair.lat], to), adjustNeighbours: false });
    expect(res.status).toBe(422);
    const overlap = res.body.violations.find((v: { rule: string }) => v.rule === 'overlap');
    expect(overlap).toMatchObject({ gridCode: pair.a, otherGridCode: pair.b });
    expect(overlap.areaM2).toBeGreaterThan(1);
    expect(['Polygon', 'MultiPolygon']).toContain(overlap.geometry.type);
    expect((await grid(db(), pair.a)).version).toBe(a.version);
    expect((await grid(db(), pair.b)).version).toBe(b.version);
  });

  it('rejects a gap with 422 and the gap polygon', async () => {
    const a = await grid(db(), pair.a);
    const toward: Pos = [pair.lon + (a.lon - pair.lon) * 0.3, pair.lat + (a.lat - pair.lat) * 0.3];
    const res = await send(db(), 'PUT', `/api/grids/${pair.a}`, { version: a.version, geometry: moveVertex(a.geometry, [pair.lon, pair.lat], toward), adjustNeighbours: false });
    expect(res.status).toBe(422);
    const gap = res.body.violations.find((v: { rule: string }) => v.rule === 'gap');
    expect(gap.areaM2).toBeGreaterThan(1);
    expect(gap.geometry.type).toBe('Polygon');
  });

  it('fills what a shrinking grid gives up into its neighbour', async () => {
    const a = await grid(db(), pair.a);
    const toward: Pos = [pair.lon + (a.lon - pair.lon) * 0.3, pair.lat + (a.lat - pair.lat) * 0.3];
    const res = await send(db(), 'PUT', `/api/grids/${pair.a}`, { version: a.version, geometry: moveVertex(a.geometry, [pair.lon, pair.lat], toward) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const topo = await communityTopology(db(), COMMUNITY);
    expect(topo.gapM2).toBeLessThan(0.01);
    expect(topo.overlapM2).toBeLessThan(0.01);
  });

  it('fills only what the edit gave up: a gap already elsewhere in the community is reported, no other grid silently grows into it', async () => {
    const [far] = await db().rows<{ code: string; geom: string }>(sql`
      SELECT code, ST_AsEWKT(geom) AS geom FROM grids WHERE community_code = ${COMMUNITY} AND code NOT IN (${pair.a}, ${pair.b})
      ORDER BY ST_Distance(label_point, ST_SetSRID(ST_MakePoint(${pair.lon}, ${pair.lat}), 4326)) DESC LIMIT 1`);
    // An old gap (e.g. from an import): the far grid loses a ~10 m rim behind the editor's back.
    await db().rows(sql`UPDATE grids SET geom = ST_Multi(ST_Buffer(geom, -0.0001)) WHERE code = ${far!.code}`);
    try {
      const a = await grid(db(), pair.a);
      const toward: Pos = [pair.lon + (a.lon - pair.lon) * 0.3, pair.lat + (a.lat - pair.lat) * 0.3];
      const before = await db().rows<{ code: string; version: number }>(sql`SELECT code, version FROM grids WHERE community_code = ${COMMUNITY} ORDER BY code`);
      const res = await send(db(), 'PUT', `/api/grids/${pair.a}`, { version: a.version, geometry: moveVertex(a.geometry, [pair.lon, pair.lat], toward) });
      expect(res.status).toBe(422);
      expect(res.body.violations.map((v: { rule: string }) => v.rule)).toContain('gap');
      expect(await db().rows(sql`SELECT code, version FROM grids WHERE community_code = ${COMMUNITY} ORDER BY code`)).toEqual(before);
    } finally {
      await db().rows(sql`UPDATE grids SET geom = ST_GeomFromEWKT(${far!.geom}) WHERE code = ${far!.code}`);
    }
  });

  it('rejects a grid reaching outside its community', async () => {
    const a = await grid(db(), pair.a);
    const shifted: Multi = { type: 'MultiPolygon', coordinates: a.geometry.coordinates.map((p) => p.map((r) => r.map(([x, y]) => [x + 0.05, y] as Pos))) };
    const res = await send(db(), 'PUT', `/api/grids/${pair.a}`, { version: a.version, geometry: shifted, adjustNeighbours: false });
    expect(res.status).toBe(422);
    expect(res.body.violations.map((v: { rule: string }) => v.rule)).toContain('outside_community');
  });

  it('rejects a bowtie with its self-intersection location, and malformed rings with 400', async () => {
    const a = await grid(db(), pair.a);
    const [x, y] = [a.lon, a.lat];
    const d = 0.001;
    const bowtie = {
      type: 'Polygon',
      coordinates: [
        [
          [x - d, y - d],
          [x + d, y + d],
          [x + d, y - d],
          [x - d, y + d],
          [x - d, y - d],
        ],
      ],
    };
    const res = await send(db(), 'PUT', `/api/grids/${pair.a}`, { version: a.version, geometry: bowtie });
    expect(res.status).toBe(422);
    expect(res.body.violations[0].rule).toBe('invalid');
    expect(res.body.violations[0].message).toContain('自相交');
    const [lon, lat] = res.body.violations[0].geometry.coordinates;
    expect(lon).toBeCloseTo(x, 6);
    expect(lat).toBeCloseTo(y, 6);

    const unclosed = {
      type: 'Polygon',
      coordinates: [
        [
          [x, y],
          [x + d, y],
          [x + d, y + d],
          [x, y + d],
        ],
      ],
    };
    const bad = await send(db(), 'PUT', `/api/grids/${pair.a}`, { version: a.version, geometry: unclosed });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].reason).toContain('未闭合');
    const nan = await request(db(), `/api/grids/${pair.a}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: `{"version":${a.version},"geometry":{"type":"Polygon","coordinates":[[[1e999,0],[1,0],[1,1],[1e999,0]]]}}`,
    });
    expect(nan.status).toBe(400);
    expect((await grid(db(), pair.a)).version).toBe(a.version);
  });

  it('answers a stale version with 409 and the current version', async () => {
    const a = await grid(db(), pair.a);
    // A rating other than the stored one, so the first save is a real change (a new version).
    const [current] = await db().rows<{ star_rating: number | null }>(sql`SELECT star_rating FROM grids WHERE code = ${pair.a}`);
    const stars = current!.star_rating === 5 ? 4 : 5;
    const ok = await send(db(), 'PUT', `/api/grids/${pair.a}`, { version: a.version, attributes: { starRating: stars } });
    expect(ok.status).toBe(200);
    const stale = await send(db(), 'PUT', `/api/grids/${pair.a}`, { version: a.version, attributes: { starRating: 1 } });
    expect(stale.status).toBe(409);
    expect(stale.body.current).toMatchObject({ code: pair.a, version: a.version + 1, updatedBy: '测试管理员' });
    const [row] = await db().rows<{ star_rating: number }>(sql`SELECT star_rating FROM grids WHERE code = ${pair.a}`);
    expect(row!.star_rating).toBe(stars);
  });

  it('lets the database refuse duplicate codes', async () => {
    await expect(db().rows(sql`UPDATE grids SET code = ${pair.b} WHERE code = ${pair.a}`)).rejects.toThrow();
  });

  it('splits a grid by a line: the new part gets the next never-used code, coverage stays exact', async () => {
    const a = await grid(db(), pair.a);
    const box = await splitLineInTwo(db(), pair.a);
    const [{ max }] = (await db().rows<{ max: number }>(sql`
      SELECT greatest((SELECT max(right(code,3)::int) FROM grids WHERE community_code = ${COMMUNITY}),
                      (SELECT max(right(grid_code,3)::int) FROM grid_versions WHERE left(grid_code,12) = ${COMMUNITY})) AS max`)) as [{ max: number }];
    const line = {
      type: 'LineString',
      coordinates: [
        [Number(box!.w), Number(box!.lat)],
        [Number(box!.e), Number(box!.lat)],
      ],
    };
    const before = await communityTopology(db(), COMMUNITY);
    const res = await send(db(), 'POST', `/api/grids/${pair.a}/split`, { version: a.version, line });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const expectedCode = `${COMMUNITY}${String(Number(max) + 1).padStart(3, '0')}`;
    expect(res.body.created).toEqual([expectedCode]);
    const after = await communityTopology(db(), COMMUNITY);
    expect(after.grids).toBe(before.grids + 1);
    expect(after.gapM2).toBeLessThan(0.01);
    expect(after.overlapM2).toBeLessThan(0.01);
    const history = await send(db(), 'GET', `/api/grids/${expectedCode}/history`);
    expect(history.body.versions).toMatchObject([{ version: 1, action: 'split' }]);

    const miss = await send(db(), 'POST', `/api/grids/${pair.a}/split`, {
      version: a.version + 1,
      line: {
        type: 'LineString',
        coordinates: [
          [0, 0],
          [0.001, 0.001],
        ],
      },
    });
    expect(miss.status).toBe(422);
    expect(miss.body.violations[0].rule).toBe('split');
  });

  it('refuses a self-intersecting split line, and one that cuts the grid into more than two parts (422, nothing written)', async () => {
    const code = '450902005001001';
    const target = await grid(db(), code);
    const before = await communityTopology(db(), target.community_code);
    // The line of the report: a Z whose diagonal crosses itself at the grid's label point, inside the grid.
    const [cx, cy] = [Number(target.lon), Number(target.lat)];
    const crossing = {
      type: 'LineString',
      coordinates: [
        [cx - 0.0004, cy - 0.0003],
        [cx + 0.0004, cy + 0.0003],
        [cx + 0.0004, cy - 0.0003],
        [cx - 0.0004, cy + 0.0003],
      ],
    };
    const refused = await send(db(), 'POST', `/api/grids/${code}/split`, { version: target.version, line: crossing });
    expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    expect(refused.body.violations).toHaveLength(1);
    expect(refused.body.violations[0]).toMatchObject({ rule: 'split', gridCode: code, message: expect.stringContaining('自相交') });
    const crossed = refused.body.violations[0].geometry;
    expect(crossed.type).toBe('MultiPoint');
    expect(crossed.coordinates).toHaveLength(1);
    expect(crossed.coordinates[0][0]).toBeCloseTo(cx, 6);
    expect(crossed.coordinates[0][1]).toBeCloseTo(cy, 6);
    expect(refused.body.detail).toContain('分割线');

    // A simple line that goes through the grid twice (east along one row, back west along another) makes three or more pieces.
    const [box] = await db().rows<{ s: number; n: number; w: number; e: number }>(
      sql`SELECT ST_YMin(geom) AS s, ST_YMax(geom) AS n, ST_XMin(geom) - 0.001 AS w, ST_XMax(geom) + 0.001 AS e FROM grids WHERE code = ${code}`,
    );
    const [y1, y2] = [Number(box!.s) + (Number(box!.n) - Number(box!.s)) / 3, Number(box!.s) + (2 * (Number(box!.n) - Number(box!.s))) / 3];
    const [w, e] = [Number(box!.w), Number(box!.e)];
    const zigzag = {
      type: 'LineString',
      coordinates: [
        [w, y1],
        [e, y1],
        [e, y2],
        [w, y2],
      ],
    };
    const twice = await send(db(), 'POST', `/api/grids/${code}/split`, { version: target.version, line: zigzag });
    expect(twice.status, JSON.stringify(twice.body)).toBe(422);
    const pieces = twice.body.violations[0].geometry;
    expect(pieces.type).toBe('MultiPolygon');
    expect(pieces.coordinates.length).toBeGreaterThan(2);
    expect(twice.body.violations[0]).toMatchObject({ rule: 'split', message: expect.stringContaining(`分成 ${pieces.coordinates.length} 部分`) });

    const after = await communityTopology(db(), target.community_code);
    expect(after.grids).toBe(before.grids);
    expect((await grid(db(), code)).version).toBe(target.version);
  });

  it('splits one polygon of a multi-part grid into exactly two grids; the polygons the line misses stay with the code', async () => {
    // Every grid of the sample is one piece: make a two-part grid, giving A a square from the middle of its neighbour B
    // (B keeps a hole, the community stays exactly covered) — in another community, so the other tests' pairs stay one piece.
    const other = await sharedVertexPair(db(), '450902005003');
    const [made] = await db().rows<{ ok: boolean }>(sql`
      WITH b AS (SELECT geom, ST_Expand(label_point, 0.0002) AS sq, ST_Within(ST_Expand(label_point, 0.0003), geom) AS fits FROM grids WHERE code = ${other.b})
      SELECT fits AS ok FROM b`);
    expect(made?.ok, 'the square fits inside B').toBe(true);
    await db().rows(sql`UPDATE grids SET geom = ST_Multi(ST_Difference(geom, (SELECT ST_Expand(label_point, 0.0002) FROM grids WHERE code = ${other.b}))) WHERE code = ${other.b}`);
    await db().rows(sql`UPDATE grids SET geom = ST_Multi(ST_Union(geom, (SELECT ST_Envelope(ST_InteriorRingN(ST_GeometryN(geom, 1), 1)) FROM grids WHERE code = ${other.b}))) WHERE code = ${other.a}`);
    // A two-part grid whose larger part a horizontal line can cross without touching the other part.
    const [g] = await db().rows<{ code: string; community: string; version: number; w: number; e: number; lat: number; parts: number }>(sql`
      WITH two AS (
        SELECT g.code, g.community_code, g.version, g.geom, (SELECT d.geom FROM ST_Dump(g.geom) d ORDER BY ST_Area(d.geom) DESC LIMIT 1) AS big
        FROM grids g WHERE ST_NumGeometries(g.geom) = 2 AND (SELECT min(ST_Area(d.geom::geography)) FROM ST_Dump(g.geom) d) > 1000)
      SELECT code, community_code AS community, version, ST_XMin(big) - 0.0001 AS w, ST_XMax(big) + 0.0001 AS e, ST_Y(ST_PointOnSurface(big)) AS lat, 2 AS parts
      FROM two
      WHERE NOT ST_Intersects(ST_Difference(geom, big), ST_MakeLine(ST_SetSRID(ST_MakePoint(ST_XMin(big) - 0.0001, ST_Y(ST_PointOnSurface(big))), 4326),
                                                                 ST_SetSRID(ST_MakePoint(ST_XMax(big) + 0.0001, ST_Y(ST_PointOnSurface(big))), 4326)))
        AND ST_NumGeometries(ST_Split(big, ST_MakeLine(ST_SetSRID(ST_MakePoint(ST_XMin(big) - 0.0001, ST_Y(ST_PointOnSurface(big))), 4326),
                                                       ST_SetSRID(ST_MakePoint(ST_XMax(big) + 0.0001, ST_Y(ST_PointOnSurface(big))), 4326)))) = 2
      ORDER BY code LIMIT 1`);
    expect(g, 'a two-part grid in the sample data').toBeDefined();
    const before = await communityTopology(db(), g!.community);
    const line = {
      type: 'LineString',
      coordinates: [
        [Number(g!.w), Number(g!.lat)],
        [Number(g!.e), Number(g!.lat)],
      ],
    };
    const res = await send(db(), 'POST', `/api/grids/${g!.code}/split`, { version: g!.version, line });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.created).toHaveLength(1);
    const after = await communityTopology(db(), g!.community);
    expect(after.grids).toBe(before.grids + 1);
    expect(after.gapM2).toBeLessThan(0.01);
    expect(after.overlapM2).toBeLessThan(0.01);
    const [parts] = await db().rows<{ kept: number; created: number }>(sql`
      SELECT (SELECT ST_NumGeometries(geom) FROM grids WHERE code = ${g!.code}) AS kept, (SELECT ST_NumGeometries(geom) FROM grids WHERE code = ${res.body.created[0]}) AS created`);
    expect({ kept: Number(parts!.kept), created: Number(parts!.created) }).toEqual({ kept: 2, created: 1 });
  });

  it('merges adjacent grids and retires the others; refuses grids that do not touch', async () => {
    const a = await grid(db(), pair.a);
    const b = await grid(db(), pair.b);
    const [areas] = await db().rows<{ total: number }>(sql`SELECT sum(area_m2)::float8 AS total FROM grids WHERE code IN (${pair.a}, ${pair.b})`);
    const res = await send(db(), 'POST', '/api/grids/merge', {
      grids: [
        { code: pair.a, version: a.version },
        { code: pair.b, version: b.version },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [keep, gone] = [pair.a, pair.b].sort();
    expect(res.body.deleted).toEqual([gone]);
    const [merged] = await db().rows<{ area: number }>(sql`SELECT area_m2 AS area FROM grids WHERE code = ${keep}`);
    expect(Number(merged!.area)).toBeCloseTo(Number(areas!.total), 0);
    expect((await send(db(), 'GET', `/api/grids/${gone}`)).status).toBe(404);
    const topo = await communityTopology(db(), COMMUNITY);
    expect(topo.gapM2).toBeLessThan(0.01);

    const [far] = await db().rows<{ a: string; b: string; va: number; vb: number }>(sql`
      SELECT a.code AS a, b.code AS b, a.version AS va, b.version AS vb FROM grids a JOIN grids b ON a.community_code = b.community_code AND a.id < b.id
      WHERE a.community_code = ${COMMUNITY} AND NOT ST_Intersects(a.geom, b.geom) LIMIT 1`);
    const refused = await send(db(), 'POST', '/api/grids/merge', {
      grids: [
        { code: far!.a, version: far!.va },
        { code: far!.b, version: far!.vb },
      ],
    });
    expect(refused.status).toBe(422);
    expect(refused.body.violations[0].rule).toBe('not_adjacent');
  });

  it('reverts to an earlier version as a new, validated version', async () => {
    const a = await grid(db(), pair.a);
    const b = await grid(db(), pair.b);
    const to: Pos = [pair.lon + (b.lon - pair.lon) * 0.3, pair.lat + (b.lat - pair.lat) * 0.3];
    expect((await send(db(), 'PUT', `/api/grids/${pair.a}`, { version: a.version, geometry: moveVertex(a.geometry, [pair.lon, pair.lat], to) })).status).toBe(200);
    const res = await send(db(), 'POST', `/api/grids/${pair.a}/revert`, { toVersion: a.version, version: a.version + 1 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [same] = await db().rows<{ equal: boolean; version: number }>(sql`
      SELECT ST_Equals(g.geom, v.after_geom) AS equal, g.version FROM grids g JOIN grid_versions v ON v.grid_id = g.id AND v.version = ${a.version}
      WHERE g.code = ${pair.a}`);
    expect(same).toEqual({ equal: true, version: a.version + 2 });
    const history = await send(db(), 'GET', `/api/grids/${pair.a}/history`);
    expect(history.body.versions[0]).toMatchObject({ action: 'revert', note: `回退到版本 ${a.version}` });
    expect((await communityTopology(db(), COMMUNITY)).gapM2).toBeLessThan(0.01);
  });

  it('previews and applies renumbering west→east / north→south, refusing a stale preview', async () => {
    const preview = await send(db(), 'GET', `/api/grids/renumber/${COMMUNITY}`);
    expect(preview.status).toBe(200);
    const plan = preview.body.plan as { oldCode: string; newCode: string }[];
    expect(new Set(plan.map((p) => p.newCode)).size).toBe(plan.length);
    expect(plan.map((p) => p.newCode).sort()).toEqual(plan.map((_, i) => `${COMMUNITY}${String(i + 1).padStart(3, '0')}`));
    const stale = await send(db(), 'POST', `/api/grids/renumber/${COMMUNITY}`, { expected: plan.slice(1) });
    expect(stale.status).toBe(409);
    const applied = await send(db(), 'POST', `/api/grids/renumber/${COMMUNITY}`, { expected: plan });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    const codes = await db().rows<{ code: string }>(sql`SELECT code FROM grids WHERE community_code = ${COMMUNITY} ORDER BY code`);
    expect(codes.map((c) => c.code)).toEqual(plan.map((p) => p.newCode).sort());
    expect(await historyHoles(db(), COMMUNITY)).toEqual([]);
  });

  it('answers a renumbering list no preview could give with 400 on `expected`; 409 only when the grids changed since the preview', async () => {
    const codesNow = async () => (await db().rows<{ code: string }>(sql`SELECT code FROM grids WHERE community_code = ${COMMUNITY} ORDER BY code`)).map((c) => c.code);
    const preview = await send(db(), 'GET', `/api/grids/renumber/${COMMUNITY}`);
    const plan = (preview.body.plan as { oldCode: string; newCode: string }[]).map(({ oldCode, newCode }) => ({ oldCode, newCode }));
    const [never] = await db().rows<{ code: string }>(sql`
      SELECT ${COMMUNITY} || lpad(s::text, 3, '0') AS code FROM generate_series(999, 1, -1) s
      WHERE ${COMMUNITY} || lpad(s::text, 3, '0') NOT IN (SELECT code FROM grids UNION SELECT grid_code FROM grid_versions) LIMIT 1`);
    const before = await codesNow();
    const madeUp = [
      [{ oldCode: plan[0]!.oldCode, newCode: `${COMMUNITY}999` }],
      [{ oldCode: '123', newCode: '456' }],
      [{ oldCode: '450902005002001', newCode: `${COMMUNITY}001` }],
      [...plan.slice(1), { oldCode: never!.code, newCode: plan[0]!.newCode }],
      [plan[0]!, plan[0]!],
      [],
    ];
    for (const expected of madeUp) {
      const res = await send(db(), 'POST', `/api/grids/renumber/${COMMUNITY}`, { expected });
      expect(res.status, JSON.stringify(expected)).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'expected', reason: expect.stringContaining('与当前编号方案不符') }]);
      expect(res.body.detail).not.toContain('当前版本 0');
    }
    expect(await codesNow()).toEqual(before);

    // A real preview, then a split adds a grid: the plan changed since, which is a conflict.
    const a = await grid(db(), pair.a);
    const box = await splitLineInTwo(db(), pair.a);
    const split = await send(db(), 'POST', `/api/grids/${pair.a}/split`, {
      version: a.version,
      line: {
        type: 'LineString',
        coordinates: [
          [Number(box!.w), Number(box!.lat)],
          [Number(box!.e), Number(box!.lat)],
        ],
      },
    });
    expect(split.status, JSON.stringify(split.body)).toBe(200);
    const stale = await send(db(), 'POST', `/api/grids/renumber/${COMMUNITY}`, { expected: plan });
    expect(stale.status, JSON.stringify(stale.body)).toBe(409);
    expect(stale.body.detail).toContain('预览之后已有变化');
    expect(stale.body.plan).toHaveLength(plan.length + 1);
  });

  it('dry runs report without writing', async () => {
    const a = await grid(db(), pair.a);
    const res = await send(db(), 'PUT', `/api/grids/${pair.a}?dryRun=true`, { version: a.version, attributes: { households: 999 } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dryRun: true, changes: [{ code: pair.a, version: a.version + 1, action: 'update' }] });
    expect((await grid(db(), pair.a)).version).toBe(a.version);
  });

  it('keeps topology and history complete under many parallel saves', async () => {
    // Several planners move shared vertices of the same grids at once, some with stale versions.
    const a = await grid(db(), pair.a);
    const b = await grid(db(), pair.b);
    const attempts = Array.from({ length: 12 }, (_, i) => {
      const t = 0.05 + 0.02 * i;
      const to: Pos = [pair.lon + (b.lon - pair.lon) * t, pair.lat + (b.lat - pair.lat) * t];
      return send(db(), 'PUT', `/api/grids/${pair.a}`, { version: a.version, geometry: moveVertex(a.geometry, [pair.lon, pair.lat], to) });
    });
    const attrs = Array.from({ length: 8 }, (_, i) => send(db(), 'PUT', `/api/grids/${pair.b}`, { version: b.version, attributes: { households: 100 + i } }));
    const results = await Promise.all([...attempts, ...attrs]);
    const statuses = results.map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    const topo = await communityTopology(db(), COMMUNITY);
    expect(topo.overlapM2).toBeLessThan(0.01);
    expect(topo.gapM2).toBeLessThan(0.01);
    expect(await historyHoles(db(), COMMUNITY)).toEqual([]);
    // Exactly one save of A won (all used the same base version).
    expect(results.slice(0, 12).filter((r) => r.status === 200)).toHaveLength(1);
  });
});
