/**
 * Grid levels on both engines: the sample's 微网格 tile their base grid (checked independently by
 * area arithmetic), saves are refused when a micro grid overlaps its sibling or leaves its base
 * grid, 专属网格 are checked for overlap only against their own kind, new codes follow the code
 * rule, and the tiles carry micro grids only at high zoom and 专属网格 in their own set.
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { parseLevelCode } from '../../kernel/gridCode';
import { tileForLonLat } from '../../kernel/webMercator';
import { levelViolations } from '../grids/levelTopology';
import { rulesFromEnv } from '../grids/rules';
import { describeEachEngine } from '../testing/databases';
import { testPlanner } from '../testing/principals';
import { request } from '../testing/request';
import { requestAs } from '../testing/requestAs';
import { decodeTile } from '../tiles/decodeMvt';

async function send(db: DbHandle, method: string, path: string, body?: unknown) {
  const res = await request(db, path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

const geometryOf = async (db: DbHandle, table: 'grids' | 'sub_grids', code: string) => {
  const [row] = await db.rows<{ g: string }>(sql`SELECT ST_AsGeoJSON(geom) AS g FROM ${sql.raw(table)} WHERE code = ${code}`);
  return JSON.parse(row!.g) as GeoJSON.MultiPolygon;
};

describeEachEngine('grid levels', (db) => {
  it('has micro grids that tile their base grid exactly, and the rules agree', async () => {
    const rows = await db().rows<{ parent: string; base: number; sum: number; overlap: number; n: number }>(sql`
      SELECT m.parent_grid_code AS parent, ST_Area(g.geom::geography) AS base, sum(ST_Area(m.geom::geography)) AS sum, count(*)::int AS n,
             (SELECT coalesce(sum(ST_Area(ST_Intersection(a.geom, b.geom)::geography)), 0) FROM sub_grids a JOIN sub_grids b
                ON a.id < b.id AND a.parent_grid_code = g.code AND b.parent_grid_code = g.code WHERE ST_Relate(a.geom, b.geom, '2********')) AS overlap
      FROM sub_grids m JOIN grids g ON g.code = m.parent_grid_code WHERE m.level = 'micro' GROUP BY m.parent_grid_code, g.geom, g.code`);
    expect(rows.length).toBeGreaterThan(10);
    for (const r of rows) {
      expect(r.n).toBeGreaterThan(1);
      expect(Math.abs(Number(r.base) - Number(r.sum))).toBeLessThan(1);
      expect(Number(r.overlap)).toBeLessThan(1);
    }
    const ids = (await db().rows<{ id: number }>(sql`SELECT id FROM sub_grids`)).map((r) => r.id);
    expect(await db().db.transaction((tx) => levelViolations(tx, ids, rulesFromEnv({})))).toEqual([]);
    const kinds = await db().rows<{ kind: string; code: string }>(sql`SELECT kind, code FROM sub_grids WHERE level = 'exclusive' ORDER BY code`);
    expect(new Set(kinds.map((k) => k.kind))).toEqual(new Set(['学校', '医院', '产业园区', '商务楼宇', '市场']));
    for (const k of kinds) expect(parseLevelCode(k.code)).toMatchObject({ level: 'exclusive', kind: k.kind });
  });

  it('refuses a micro grid overlapping its sibling or leaving its base grid; accepts a reshape that keeps the tiling', async () => {
    const [first] = await db().rows<{ code: string; parent: string; version: number }>(sql`SELECT code, parent_grid_code AS parent, version FROM sub_grids WHERE level = 'micro' ORDER BY code LIMIT 1`);
    const base = await geometryOf(db(), 'grids', first!.parent);
    // The whole base grid as one micro grid overlaps every sibling.
    const overlap = await send(db(), 'POST', '/api/levels?dryRun=true', { level: 'micro', parentGridCode: first!.parent, name: '测试微网格', geometry: base });
    expect(overlap.status).toBe(422);
    expect(overlap.body.violations.map((v: { rule: string }) => v.rule)).toContain('overlap');
    // Shifted off the base grid: outside it.
    const shifted = { type: 'MultiPolygon', coordinates: base.coordinates.map((p) => p.map((r) => r.map(([x, y]) => [x! + 0.01, y!]))) };
    const outside = await send(db(), 'PUT', `/api/levels/${first!.code}?dryRun=true`, { level: 'micro', name: '测试微网格', geometry: shifted, version: first!.version });
    expect(outside.status).toBe(422);
    expect(outside.body.violations.map((v: { rule: string }) => v.rule)).toContain('outside_community');
    // Saved as it is: no violation, a new version.
    const same = await geometryOf(db(), 'sub_grids', first!.code);
    const saved = await send(db(), 'PUT', `/api/levels/${first!.code}`, { level: 'micro', name: '测试微网格', geometry: same, households: 12, version: first!.version });
    expect(saved.status).toBe(200);
    const versions = await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM sub_grid_versions WHERE code = ${first!.code}`);
    expect(versions[0]!.n).toBe(2);
    expect(saved.body.version).toBe(2);
  });

  it('checks 专属网格 for overlaps only among their own kind, and numbers a new one by the code rule', async () => {
    const [school] = await db().rows<{ code: string; community: string }>(sql`SELECT code, community_code AS community FROM sub_grids WHERE kind = '学校' LIMIT 1`);
    const geometry = await geometryOf(db(), 'sub_grids', school!.code);
    const sameKind = await send(db(), 'POST', '/api/levels?dryRun=true', { level: 'exclusive', kind: '学校', communityCode: school!.community, name: '第二小学', geometry });
    expect(sameKind.status).toBe(422);
    expect(sameKind.body.violations.map((v: { rule: string; otherGridCode?: string }) => [v.rule, v.otherGridCode])).toContainEqual(['overlap', school!.code]);
    // A market on the same ground (another kind) and across base grids is fine.
    const otherKind = await send(db(), 'POST', '/api/levels', { level: 'exclusive', kind: '市场', communityCode: school!.community, name: '校门口市场', geometry });
    expect(otherKind.status).toBe(200);
    expect(parseLevelCode(otherKind.body.code)).toMatchObject({ level: 'exclusive', kind: '市场', communityCode: school!.community });
    // A planner of another street may not add one here.
    const res = await requestAs(db(), testPlanner('450902003'), '/api/levels?dryRun=true', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ level: 'exclusive', kind: '医院', communityCode: school!.community, name: '某医院', geometry }),
    });
    expect(res.status).toBe(403);
  });

  it('serves micro grids in the grid tiles only at high zoom, 专属网格 in their own set', async () => {
    const [m] = await db().rows<{ lon: number; lat: number; code: string }>(
      sql`SELECT code, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM sub_grids WHERE level = 'micro' ORDER BY code LIMIT 1`,
    );
    const tile = async (set: string, z: number) => {
      const { x, y } = tileForLonLat(z, m!.lon, m!.lat);
      const res = await request(db(), `/tiles/${set}/${z}/${x}/${y}.mvt`);
      expect(res.status).toBe(200);
      return decodeTile(new Uint8Array(await res.arrayBuffer()));
    };
    const high = await tile('grids', 16);
    expect(high.micro_grids?.map((f) => f.properties.code)).toContain(m!.code);
    expect((await tile('grids', 13)).micro_grids).toBeUndefined();
    const [e] = await db().rows<{ lon: number; lat: number; code: string }>(
      sql`SELECT code, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM sub_grids WHERE level = 'exclusive' ORDER BY code LIMIT 1`,
    );
    const { x, y } = tileForLonLat(14, e!.lon, e!.lat);
    const exclusive = decodeTile(new Uint8Array(await (await request(db(), `/tiles/exclusive/14/${x}/${y}.mvt`)).arrayBuffer()));
    expect(exclusive.exclusive_grids?.map((f) => f.properties.code)).toContain(e!.code);
  });
});
