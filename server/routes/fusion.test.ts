/**
 * 多网融合 on both engines, on a hand-made network of known areas: F1 is the union of two
 * neighbouring base grids X and Y (spans both; each share is its area over the sum), F2 is X
 * itself (aligned). Imported through POST /api/exports/imports/networks as GeoJSON, reported
 * (JSON and CSV), drawn with spans for the fusion map, and adopted: the adoption draft of F2
 * targets X, and the normal validated save (dry run) accepts it.
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../testing/databases';
import { request, requestJson } from '../testing/request';

describeEachEngine('foreign grid networks', (db) => {
  it('imports a network as it is, reports its overlaps with known shares, exports them, and adopts a boundary', async () => {
    const [pair] = await db().rows<{ x: string; y: string; xg: string; yg: string; ug: string; xa: number; ya: number }>(sql`
      SELECT a.code AS x, b.code AS y, ST_AsGeoJSON(a.geom) AS xg, ST_AsGeoJSON(b.geom) AS yg, ST_AsGeoJSON(ST_Union(a.geom, b.geom)) AS ug,
             ST_Area(a.geom::geography) AS xa, ST_Area(b.geom::geography) AS ya
      FROM grids a JOIN grids b ON a.community_code = b.community_code AND a.code < b.code AND ST_Relate(a.geom, b.geom, '****1****')
      WHERE a.community_code = '450902005001' ORDER BY a.code, b.code LIMIT 1`);
    const file = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { WGBM: 'ZZ-001', WGMC: '综治一网格', 网格长: '张三' }, geometry: JSON.parse(pair!.ug) },
        { type: 'Feature', properties: { WGBM: 'ZZ-002', WGMC: '综治二网格' }, geometry: JSON.parse(pair!.xg) },
        { type: 'Feature', properties: { WGBM: 'ZZ-003', WGMC: '无面要素' }, geometry: { type: 'Point', coordinates: [110.1, 22.6] } },
      ],
    };
    const imported = await request(db(), `/api/exports/imports/networks?name=${encodeURIComponent('测试综治网格')}&department=${encodeURIComponent('综治')}`, {
      method: 'POST',
      headers: { 'content-type': 'application/geo+json' },
      body: JSON.stringify(file),
    });
    expect(imported.status).toBe(200);
    const network = (await imported.json()) as { id: number; grids: number; skipped: number };
    expect([network.grids, network.skipped]).toEqual([2, 1]);
    const [stored] = await db().rows<{ attributes: Record<string, unknown> }>(sql`SELECT attributes FROM foreign_grids WHERE network_id = ${network.id} AND code = 'ZZ-001'`);
    expect(stored!.attributes.网格长).toBe('张三');

    const report = await requestJson<{
      pairs: { foreignCode: string; gridCode: string; ofForeignPct: number; ofGridPct: number; areaM2: number }[];
      foreign: { code: string; spans: number }[];
      ours: { code: string; splitInto: number }[];
      summary: { spanningSeveral: number; aligned: number };
    }>(db(), `/api/fusion/networks/${network.id}/overlaps`);
    expect(report.status).toBe(200);
    const pct = (part: number, whole: number) => Math.round((1000 * part) / whole) / 10;
    const [xa, ya] = [Number(pair!.xa), Number(pair!.ya)];
    const f1 = report.body.pairs.filter((p) => p.foreignCode === 'ZZ-001').sort((a, b) => a.gridCode.localeCompare(b.gridCode));
    expect(f1.map((p) => p.gridCode)).toEqual([pair!.x, pair!.y]);
    expect(f1[0]!.ofForeignPct).toBeCloseTo(pct(xa, xa + ya), 0);
    expect(f1[1]!.ofForeignPct).toBeCloseTo(pct(ya, xa + ya), 0);
    expect(f1.map((p) => p.ofGridPct)).toEqual([100, 100]);
    expect(Math.abs(f1[0]!.areaM2 - xa)).toBeLessThan(1);
    expect(report.body.foreign.find((f) => f.code === 'ZZ-001')!.spans).toBe(2);
    expect(report.body.ours.find((o) => o.code === pair!.x)!.splitInto).toBe(2);
    expect(report.body.summary).toMatchObject({ spanningSeveral: 1, aligned: 1 });

    const csv = await request(db(), `/api/fusion/networks/${network.id}/overlaps?format=csv`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines).toHaveLength(1 + report.body.pairs.length);
    expect(lines[0]).toContain('占基础网格(%)');

    const map = await requestJson<{ features: { properties: { code: string; spans: number } }[] }>(db(), `/api/fusion/networks/${network.id}/grids`);
    expect(map.body.features.map((f) => [f.properties.code, f.properties.spans]).sort()).toEqual([
      ['ZZ-001', 2],
      ['ZZ-002', 1],
    ]);

    const [f2] = await db().rows<{ id: number }>(sql`SELECT id FROM foreign_grids WHERE network_id = ${network.id} AND code = 'ZZ-002'`);
    const draft = await requestJson<{ communityCode: string; target: { code: string; version: number }; geometry: GeoJSON.MultiPolygon }>(db(), `/api/fusion/adopt/${f2!.id}`);
    expect(draft.status).toBe(200);
    expect(draft.body.communityCode).toBe('450902005001');
    expect(draft.body.target.code).toBe(pair!.x);
    const save = await request(db(), `/api/grids/${draft.body.target.code}?dryRun=true`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ version: draft.body.target.version, geometry: draft.body.geometry, adjustNeighbours: true }),
    });
    expect(save.status).toBe(200);
  });
});
