/**
 * 微网格 follow their base grids on both engines: after a shared-vertex move (with the neighbours'
 * adjustment), a split, a merge and a renumbering of a community with the sample's micro grids,
 * every base grid that has micro grids is tiled by them exactly (areas sum, no overlap, no micro
 * grid outside its base grid), codes extend their base grid's code, and the level rules agree.
 * A dry run writes nothing.
 */
import { sql } from 'drizzle-orm';
import { beforeEach, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { describeEachEngine } from '../testing/databases';
import { grid, moveVertex, send, sharedVertexPair, type Pos } from '../testing/gridFixtures';
import { request } from '../testing/request';
import { levelViolations } from './levelTopology';
import { rulesFromEnv } from './rules';

/** Per base grid with micro grids: its area, the micro grids' area sum, their overlaps and the area outside it. */
async function tiling(db: DbHandle, community: string) {
  return db.rows<{ code: string; n: number; base: number; sum: number; overlap: number; outside: number; bad_codes: number }>(sql`
    SELECT g.code, count(m.id)::int AS n, ST_Area(g.geom::geography) AS base, sum(ST_Area(m.geom::geography)) AS sum,
           (SELECT coalesce(sum(ST_Area(ST_Intersection(a.geom, b.geom)::geography)), 0) FROM sub_grids a JOIN sub_grids b
              ON a.id < b.id AND a.parent_grid_code = g.code AND b.parent_grid_code = g.code WHERE ST_Relate(a.geom, b.geom, '2********')) AS overlap,
           sum(CASE WHEN ST_CoveredBy(m.geom, g.geom) THEN 0 ELSE ST_Area(ST_Difference(m.geom, g.geom)::geography) END) AS outside,
           count(*) FILTER (WHERE left(m.code, 15) <> g.code)::int AS bad_codes
    FROM grids g JOIN sub_grids m ON m.level = 'micro' AND m.parent_grid_code = g.code
    WHERE g.community_code = ${community} GROUP BY g.code, g.geom ORDER BY g.code`);
}

async function expectTiled(db: DbHandle, community: string) {
  const rows = await tiling(db, community);
  expect(rows.length).toBeGreaterThan(0);
  for (const r of rows) {
    expect(Math.abs(Number(r.base) - Number(r.sum)), `${r.code}: base ${r.base} vs micro ${r.sum}`).toBeLessThan(1);
    expect(Number(r.overlap), r.code).toBeLessThan(1);
    expect(Number(r.outside), r.code).toBeLessThan(1);
    expect(r.bad_codes).toBe(0);
  }
  // No micro grid of the community points at a base grid that is gone.
  const orphans = await db.rows<{ code: string }>(sql`
    SELECT m.code FROM sub_grids m LEFT JOIN grids g ON g.code = m.parent_grid_code WHERE m.level = 'micro' AND m.community_code = ${community} AND g.id IS NULL`);
  expect(orphans).toEqual([]);
  const ids = (await db.rows<{ id: number }>(sql`SELECT id FROM sub_grids WHERE community_code = ${community} AND level = 'micro'`)).map((r) => r.id);
  expect(await db.db.transaction((tx) => levelViolations(tx, ids, rulesFromEnv({})))).toEqual([]);
  return rows;
}

const microSnapshot = async (db: DbHandle, community: string) =>
  db.rows<{ code: string; version: number; area: number }>(sql`SELECT code, version, area_m2 AS area FROM sub_grids WHERE community_code = ${community} AND level = 'micro' ORDER BY code`);

describeEachEngine('micro grids follow their base grids', (db) => {
  let community: string;
  let pair: { a: string; b: string; lon: number; lat: number };
  beforeEach(async () => {
    const [row] = await db().rows<{ c: string }>(sql`SELECT min(community_code) AS c FROM sub_grids WHERE level = 'micro'`);
    community = row!.c;
    pair = await sharedVertexPair(db(), community);
  });

  it('a shared-vertex move: both base grids stay tiled by their micro grids, with versions by the editor', async () => {
    await expectTiled(db(), community);
    const a = await grid(db(), pair.a);
    const b = await grid(db(), pair.b);
    const from: Pos = [pair.lon, pair.lat];
    const to: Pos = [from[0] + (b.lon - from[0]) * 0.3, from[1] + (b.lat - from[1]) * 0.3];
    const before = await microSnapshot(db(), community);

    const dry = await send(db(), 'PUT', `/api/grids/${pair.a}?dryRun=true`, { version: a.version, geometry: moveVertex(a.geometry, from, to) });
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(await microSnapshot(db(), community)).toEqual(before);

    const res = await send(db(), 'PUT', `/api/grids/${pair.a}`, { version: a.version, geometry: moveVertex(a.geometry, from, to) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const rows = await expectTiled(db(), community);
    const [areaA, areaB] = [pair.a, pair.b].map((code) => Number(rows.find((r) => r.code === code)?.sum));
    const [gridA, gridB] = await Promise.all([grid(db(), pair.a), grid(db(), pair.b)]);
    expect(gridA.version).toBe(a.version + 1);
    expect(gridB.version).toBe(b.version + 1);
    expect(areaA).toBeGreaterThan(0);
    expect(areaB).toBeGreaterThan(0);
    const changed = (await microSnapshot(db(), community)).filter((m) => !before.some((o) => o.code === m.code && o.version === m.version));
    expect(changed.length).toBeGreaterThan(0);
    const [version] = await db().rows<{ actor: string; action: string }>(sql`
      SELECT actor, action FROM sub_grid_versions WHERE code = ${changed[0]!.code} ORDER BY id DESC LIMIT 1`);
    expect(version).toEqual({ actor: '测试管理员', action: 'update' });
  });

  it('a split: micro grids mostly in the new part move under its code', async () => {
    const a = await grid(db(), pair.a);
    const [box] = await db().rows<{ w: number; e: number; lat: number }>(sql`SELECT ST_XMin(geom) - 0.001 AS w, ST_XMax(geom) + 0.001 AS e, ST_Y(ST_Centroid(geom)) AS lat FROM grids WHERE code = ${pair.a}`);
    const microsOfA = (await microSnapshot(db(), community)).filter((m) => m.code.startsWith(pair.a)).length;
    const line = {
      type: 'LineString',
      coordinates: [
        [Number(box!.w), Number(box!.lat)],
        [Number(box!.e), Number(box!.lat)],
      ],
    };
    const split = await send(db(), 'POST', `/api/grids/${pair.a}/split`, { version: a.version, line });
    expect(split.status, JSON.stringify(split.body)).toBe(200);
    const created = split.body.created[0] as string;
    const rows = await expectTiled(db(), community);
    const inNew = rows.find((r) => r.code === created);
    const inOld = rows.find((r) => r.code === pair.a);
    // Both halves have micro grids (a line through the centroid of a grid tiled by 2–6 micro grids).
    expect(inNew?.n ?? 0).toBeGreaterThan(0);
    expect((inNew?.n ?? 0) + (inOld?.n ?? 0)).toBeGreaterThanOrEqual(microsOfA);
    const newCodes = (await microSnapshot(db(), community)).filter((m) => m.code.startsWith(created)).map((m) => m.code);
    expect(newCodes).toEqual(newCodes.map((_, i) => `${created}${String(i + 1).padStart(2, '0')}`));
  });

  it('a merge: the retired grid’s micro grids continue the survivor’s sequence', async () => {
    const [x, y] = [await grid(db(), pair.a), await grid(db(), pair.b)];
    const survivorMax = Math.max(...(await microSnapshot(db(), community)).filter((m) => m.code.startsWith(pair.a)).map((m) => Number(m.code.slice(15))));
    const fromB = (await microSnapshot(db(), community)).filter((m) => m.code.startsWith(pair.b)).length;
    // New sequences under the survivor are ones never used under it (history included), consecutive.
    const [used] = await db().rows<{ n: number }>(sql`SELECT coalesce(max(substr(code, 16, 2)::int), 0) AS n FROM sub_grid_versions WHERE left(code, 15) = ${pair.a}`);
    const usedBefore = Number(used!.n);
    expect(usedBefore).toBeGreaterThanOrEqual(survivorMax);
    const merged = await send(db(), 'POST', '/api/grids/merge', {
      grids: [
        { code: pair.a, version: x.version },
        { code: pair.b, version: y.version },
      ],
    });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(merged.body.deleted).toEqual([pair.b]);
    await expectTiled(db(), community);
    const survivor = (await microSnapshot(db(), community)).filter((m) => m.code.startsWith(pair.a)).map((m) => Number(m.code.slice(15)));
    const added = survivor.filter((s) => s > survivorMax).sort((p, q) => p - q);
    expect(added).toEqual(Array.from({ length: fromB }, (_, i) => usedBefore + i + 1));
  });

  it('a renumbering: micro codes follow their base grid’s new code, none lost', async () => {
    const a = await grid(db(), pair.a);
    const [box] = await db().rows<{ w: number; e: number; lat: number }>(sql`SELECT ST_XMin(geom) - 0.001 AS w, ST_XMax(geom) + 0.001 AS e, ST_Y(ST_Centroid(geom)) AS lat FROM grids WHERE code = ${pair.a}`);
    const line = {
      type: 'LineString',
      coordinates: [
        [Number(box!.w), Number(box!.lat)],
        [Number(box!.e), Number(box!.lat)],
      ],
    };
    expect((await send(db(), 'POST', `/api/grids/${pair.a}/split`, { version: a.version, line })).status).toBe(200);
    await expectTiled(db(), community);
    const before = await microSnapshot(db(), community);
    // Each micro grid's base grid by id, to check it stays under the same base grid after the codes move.
    const parentIdOf = async () =>
      new Map(
        (await db().rows<{ id: number; gid: number }>(sql`SELECT m.id, g.id AS gid FROM sub_grids m JOIN grids g ON g.code = m.parent_grid_code WHERE m.community_code = ${community} AND m.level = 'micro'`)).map((r) => [
          r.id,
          r.gid,
        ]),
      );
    const parents = await parentIdOf();
    const preview = await send(db(), 'GET', `/api/grids/renumber/${community}`);
    const plan = preview.body.plan as { oldCode: string; newCode: string }[];
    expect(plan.some((p) => p.oldCode !== p.newCode)).toBe(true);
    const applied = await send(db(), 'POST', `/api/grids/renumber/${community}`, { expected: plan });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);

    await expectTiled(db(), community);
    const after = await microSnapshot(db(), community);
    expect(after.length).toBe(before.length);
    expect(await parentIdOf()).toEqual(parents);
    const moved = new Map(plan.map((p) => [p.oldCode, p.newCode]));
    expect(after.map((m) => m.code).sort()).toEqual(before.map((m) => `${moved.get(m.code.slice(0, 15)) ?? m.code.slice(0, 15)}${m.code.slice(15)}`).sort());
  });

  it('an import that moves a boundary carries the micro grids along', async () => {
    // A takes a 25 m disc of B around their shared vertex; both re-imported as GeoJSON.
    const shapes = await db().rows<{ code: string; name: string; g: string }>(sql`
      WITH piece AS (
        SELECT ST_CollectionExtract(ST_Intersection(b.geom, ST_Buffer(ST_SetSRID(ST_MakePoint(${pair.lon}, ${pair.lat}), 4326)::geography, 25)::geometry), 3) AS geom
        FROM grids b WHERE b.code = ${pair.b})
      SELECT a.code, a.name, ST_AsGeoJSON(ST_Multi(ST_Union(a.geom, p.geom)), 9) AS g FROM grids a, piece p WHERE a.code = ${pair.a}
      UNION ALL
      SELECT b.code, b.name, ST_AsGeoJSON(ST_Multi(ST_Difference(b.geom, p.geom)), 9) FROM grids b, piece p WHERE b.code = ${pair.b}`);
    const body = JSON.stringify({
      type: 'FeatureCollection',
      features: shapes.map((s) => ({ type: 'Feature', properties: { code: s.code, name: s.name }, geometry: JSON.parse(s.g) })),
    });
    const before = await tiling(db(), community);
    const res = await request(db(), '/api/exports/imports?dryRun=false', { method: 'POST', body, headers: { 'content-type': 'application/geo+json' } });
    expect(res.status, await res.clone().text()).toBe(200);
    const after = await expectTiled(db(), community);
    const sumOf = (rows: typeof before, code: string) => Number(rows.find((r) => r.code === code)?.sum);
    expect(sumOf(after, pair.a)).toBeGreaterThan(sumOf(before, pair.a) + 100);
    expect(sumOf(after, pair.b)).toBeLessThan(sumOf(before, pair.b) - 100);
  });

  it('a drawn micro grid takes its area from its siblings; the first one of a base grid gets a remainder', async () => {
    // A 30 m square around the base grid's label point.
    const square = (lon: number, lat: number) => {
      const d = 0.0003;
      return {
        type: 'Polygon',
        coordinates: [
          [
            [lon - d, lat - d],
            [lon + d, lat - d],
            [lon + d, lat + d],
            [lon - d, lat + d],
            [lon - d, lat - d],
          ],
        ],
      };
    };
    const a = await grid(db(), pair.a);
    const refused = await send(db(), 'POST', '/api/levels?dryRun=true', { level: 'micro', parentGridCode: pair.a, name: '新微网格', geometry: square(a.lon, a.lat) });
    expect(refused.status).toBe(422);
    const drawn = await send(db(), 'POST', '/api/levels?adjustSiblings=true', { level: 'micro', parentGridCode: pair.a, name: '新微网格', geometry: square(a.lon, a.lat), households: 40 });
    expect(drawn.status, JSON.stringify(drawn.body)).toBe(200);
    await expectTiled(db(), community);
    const [mine] = await db().rows<{ area: number }>(sql`SELECT area_m2 AS area FROM sub_grids WHERE code = ${drawn.body.code}`);
    const [want] = await db().rows<{ area: number }>(sql`SELECT ST_Area(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(square(a.lon, a.lat))}), 4326)::geography) AS area`);
    expect(Math.abs(Number(mine!.area) - Number(want!.area))).toBeLessThan(0.5);

    // A base grid without micro grids: the drawn one and a remainder tile it; households add up to the base grid's.
    const [plain] = await db().rows<{ code: string; lon: number; lat: number; households: number }>(sql`
      SELECT g.code, ST_X(g.label_point) AS lon, ST_Y(g.label_point) AS lat, g.households FROM grids g
      WHERE g.community_code = '450902005007' AND NOT EXISTS (SELECT 1 FROM sub_grids m WHERE m.parent_grid_code = g.code) ORDER BY g.code LIMIT 1`);
    const first = await send(db(), 'POST', '/api/levels?adjustSiblings=true', {
      level: 'micro',
      parentGridCode: plain!.code,
      name: '第一个微网格',
      geometry: square(Number(plain!.lon), Number(plain!.lat)),
      households: 10,
    });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.code).toBe(`${plain!.code}01`);
    const rows = await expectTiled(db(), '450902005007');
    expect(rows.find((r) => r.code === plain!.code)?.n).toBe(2);
    const [sum] = await db().rows<{ hh: number }>(sql`SELECT sum(households)::int AS hh FROM sub_grids WHERE parent_grid_code = ${plain!.code}`);
    expect(Number(sum!.hh)).toBe(Math.max(Number(plain!.households), 10));
  });
});
