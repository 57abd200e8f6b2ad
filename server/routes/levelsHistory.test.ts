/**
 * A 微网格's edits and history on both engines: two reshapes by two people (siblings adjusted so
 * the base grid stays tiled) appear in its history with their actors, actions and areas; one
 * version's outline is served; a revert restores that version's geometry as a new version and
 * keeps the base grid tiled; a planner of another street is refused (403) and a stale version
 * is a 409 with the stored shape. Grids are picked by query, shapes derived from the data.
 */
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { levelViolations } from '../grids/levelTopology';
import { rulesFromEnv } from '../grids/rules';
import { describeEachEngine } from '../testing/databases';
import { TEST_ADMIN, testPlanner } from '../testing/principals';
import { requestAs } from '../testing/requestAs';
import type { SessionUser } from '../../kernel/roles';

async function send(db: DbHandle, user: SessionUser, method: string, path: string, body?: unknown) {
  const res = await requestAs(db, user, path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

/** The base grid's area, the sum of its micro grids' areas and their pairwise overlap (m²). */
async function tiling(db: DbHandle, parent: string) {
  const [row] = await db.rows<{ base: number; sum: number; overlap: number }>(sql`
    SELECT ST_Area(g.geom::geography) AS base, (SELECT sum(area_m2) FROM sub_grids WHERE level = 'micro' AND parent_grid_code = g.code) AS sum,
           (SELECT coalesce(sum(ST_Area(ST_Intersection(a.geom, b.geom)::geography)), 0) FROM sub_grids a JOIN sub_grids b ON a.id < b.id
              AND a.parent_grid_code = g.code AND b.parent_grid_code = g.code WHERE ST_Relate(a.geom, b.geom, '2********')) AS overlap
    FROM grids g WHERE g.code = ${parent}`);
  return { base: Number(row!.base), sum: Number(row!.sum), overlap: Number(row!.overlap) };
}

describeEachEngine('微网格 edits and history', (db) => {
  let micro: { code: string; parent: string; street: string; version: number };
  let planner: SessionUser;
  let outsider: SessionUser;

  beforeAll(async () => {
    // A micro grid of a base grid with at least two of them.
    const [row] = await db().rows<{ code: string; parent: string; street: string; version: number }>(sql`
      SELECT m.code, m.parent_grid_code AS parent, m.street_code AS street, m.version FROM sub_grids m
      WHERE m.level = 'micro' AND (SELECT count(*) FROM sub_grids s WHERE s.parent_grid_code = m.parent_grid_code) >= 2
      ORDER BY m.code LIMIT 1`);
    micro = { ...row!, version: Number(row!.version) };
    planner = testPlanner(micro.street);
    const [other] = await db().rows<{ code: string }>(sql`SELECT code FROM regions WHERE level = 'street' AND code <> ${micro.street} ORDER BY code LIMIT 1`);
    outsider = testPlanner(other!.code);
  });

  /** The micro grid grown (`metres` > 0) or shrunk by a buffer, kept inside its base grid, as GeoJSON. */
  async function reshaped(metres: number) {
    const [row] = await db().rows<{ g: string; area: number }>(sql`
      WITH s AS (SELECT ST_Multi(ST_CollectionExtract(ST_Intersection(ST_Buffer(m.geom::geography, ${metres}, 2)::geometry, g.geom), 3)) AS geom
                 FROM sub_grids m JOIN grids g ON g.code = m.parent_grid_code WHERE m.code = ${micro.code})
      SELECT ST_AsGeoJSON(geom, 7) AS g, ST_Area(ST_SetSRID(ST_GeomFromGeoJSON(ST_AsGeoJSON(geom, 7)), 4326)::geography) AS area FROM s`);
    return { geometry: JSON.parse(row!.g) as GeoJSON.MultiPolygon, area: Number(row!.area) };
  }

  it('lists two reshapes by two people in the history, the base grid tiled after each', async () => {
    const before = await tiling(db(), micro.parent);
    const [v1] = await db().rows<{ area: number }>(sql`SELECT area_m2 AS area FROM sub_grids WHERE code = ${micro.code}`);
    const grown = await reshaped(6);
    expect(grown.area).toBeGreaterThan(Number(v1!.area) + 10);
    const first = await send(db(), TEST_ADMIN, 'PUT', `/api/levels/${micro.code}?adjustSiblings=true`, { level: 'micro', name: '测试微网格', geometry: grown.geometry, version: micro.version });
    expect(first.status).toBe(200);
    expect(first.body.version).toBe(micro.version + 1);
    // The siblings that gave up the area are reported as changed.
    expect(first.body.changes.filter((c: { code: string }) => c.code !== micro.code).length).toBeGreaterThan(0);
    const mid = await tiling(db(), micro.parent);
    expect(Math.abs(mid.base - mid.sum)).toBeLessThan(1);
    expect(mid.overlap).toBeLessThan(1);
    expect(Math.abs(mid.base - before.base)).toBeLessThan(0.01);

    const shrunk = await reshaped(-4);
    const second = await send(db(), planner, 'PUT', `/api/levels/${micro.code}?adjustSiblings=true`, { level: 'micro', name: '测试微网格', geometry: shrunk.geometry, version: micro.version + 1 });
    expect(second.status).toBe(200);
    expect(second.body.version).toBe(micro.version + 2);
    const after = await tiling(db(), micro.parent);
    expect(Math.abs(after.base - after.sum)).toBeLessThan(1);
    expect(after.overlap).toBeLessThan(1);

    const history = await send(db(), outsider, 'GET', `/api/levels/${micro.code}/history`);
    expect(history.status).toBe(200);
    expect(history.body.currentVersion).toBe(micro.version + 2);
    const top = history.body.versions.slice(0, 2) as { version: number; action: string; actor: string; areaBeforeM2: number; areaAfterM2: number }[];
    expect(top.map((v) => [v.version, v.action, v.actor])).toEqual([
      [micro.version + 2, 'update', planner.displayName],
      [micro.version + 1, 'update', TEST_ADMIN.displayName],
    ]);
    expect(top[1]!.areaBeforeM2).toBeCloseTo(Number(v1!.area), 0);
    expect(top[1]!.areaAfterM2).toBeCloseTo(grown.area, 0);
    expect(top[0]!.areaBeforeM2).toBeCloseTo(grown.area, 0);
    expect(top[0]!.areaAfterM2).toBeCloseTo(shrunk.area, 0);
    expect(history.body.versions.at(-1).version).toBe(1);

    const outline = await send(db(), TEST_ADMIN, 'GET', `/api/levels/${micro.code}/versions/${micro.version + 1}`);
    expect(outline.status).toBe(200);
    expect(outline.body.after).toEqual(grown.geometry);
    expect((await send(db(), TEST_ADMIN, 'GET', `/api/levels/${micro.code}/versions/999`)).status).toBe(404);
  });

  it('refuses a planner of another street (403) and a stale version (409)', async () => {
    const current = micro.version + 2;
    const revert = { toVersion: micro.version, version: current };
    const foreign = await send(db(), outsider, 'POST', `/api/levels/${micro.code}/revert?adjustSiblings=true`, revert);
    expect(foreign.status).toBe(403);
    const { geometry } = await reshaped(0);
    expect((await send(db(), outsider, 'PUT', `/api/levels/${micro.code}`, { level: 'micro', name: '测试微网格', geometry, version: current })).status).toBe(403);

    const stale = await send(db(), TEST_ADMIN, 'PUT', `/api/levels/${micro.code}?adjustSiblings=true`, { level: 'micro', name: '测试微网格', geometry, version: current - 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.current.version).toBe(current);
    expect(stale.body.current.geometry.type).toBe('MultiPolygon');
    const staleRevert = await send(db(), planner, 'POST', `/api/levels/${micro.code}/revert`, { toVersion: micro.version, version: current - 1 });
    expect(staleRevert.status).toBe(409);
    // Without a version a reshape is invalid input, with the field named.
    const missing = await send(db(), TEST_ADMIN, 'PUT', `/api/levels/${micro.code}`, { level: 'micro', name: '测试微网格', geometry });
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toContain('version');
    const [row] = await db().rows<{ version: number }>(sql`SELECT version FROM sub_grids WHERE code = ${micro.code}`);
    expect(Number(row!.version)).toBe(current);
  });

  it('reverts to the first version: its geometry restored as a new version, the base grid still tiled', async () => {
    const current = micro.version + 2;
    const res = await send(db(), planner, 'POST', `/api/levels/${micro.code}/revert?adjustSiblings=true`, { toVersion: micro.version, version: current });
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(current + 1);
    const [same] = await db().rows<{ diff: number; version: number; action: string; actor: string }>(sql`
      SELECT ST_Area(ST_SymDifference(s.geom, v.after_geom)::geography) AS diff, s.version, n.action, n.actor
      FROM sub_grids s JOIN sub_grid_versions v ON v.sub_grid_id = s.id AND v.version = ${micro.version}
           JOIN sub_grid_versions n ON n.sub_grid_id = s.id AND n.version = s.version
      WHERE s.code = ${micro.code}`);
    expect(Number(same!.diff)).toBeLessThan(0.01);
    expect([Number(same!.version), same!.action, same!.actor]).toEqual([current + 1, 'revert', planner.displayName]);
    const t = await tiling(db(), micro.parent);
    expect(Math.abs(t.base - t.sum)).toBeLessThan(1);
    expect(t.overlap).toBeLessThan(1);
    const ids = (await db().rows<{ id: number }>(sql`SELECT id FROM sub_grids WHERE parent_grid_code = ${micro.parent}`)).map((r) => r.id);
    expect(await db().db.transaction((tx) => levelViolations(tx, ids, rulesFromEnv({})))).toEqual([]);
  });
});
