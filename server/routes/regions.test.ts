import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { RegionNode } from '../regions/regionTree';
import { describeEachEngine } from '../testing/databases';
import { request, requestJson } from '../testing/request';

describeEachEngine('regions and service API', (db) => {
  it('builds the tree 市 → 区 → 街道 → 社区 with real codes and names', async () => {
    const { status, body } = await requestJson<{ regions: RegionNode[] }>(db(), '/api/regions/tree');
    expect(status).toBe(200);
    const [city] = body.regions;
    expect(body.regions).toHaveLength(1);
    expect(city).toMatchObject({ code: '450900', name: '玉林市', level: 'city', gridCount: 1200 });
    const district = city!.children.find((d) => d.code === '450902');
    expect(district).toMatchObject({ name: '玉州区', level: 'district' });
    expect(district!.children.map((s) => s.name)).toEqual(['玉城街道', '南江街道', '城西街道', '城北街道', '名山街道', '大塘镇', '茂林镇', '仁东镇', '仁厚镇']);
    const mingshan = district!.children.find((s) => s.code === '450902005')!;
    expect(mingshan.kind).toBe('街道');
    const wuliqiao = mingshan.children.find((c) => c.code === '450902005001')!;
    expect(wuliqiao).toMatchObject({ name: '五里桥社区居委会', level: 'community', kind: '居委会' });
    expect(wuliqiao.gridCount).toBeGreaterThan(0);
    const communities = district!.children.flatMap((s) => s.children);
    expect(communities).toHaveLength(111);
    expect(communities.reduce((n, c) => n + c.gridCount, 0)).toBe(1200);
    // Sample geometry sits at the real place.
    const [w, s, e, n] = district!.bbox;
    expect(w).toBeGreaterThan(109.9);
    expect(e).toBeLessThan(110.4);
    expect(s).toBeGreaterThan(22.4);
    expect(n).toBeLessThan(22.9);
    expect(mingshan.households).toBe(mingshan.children.reduce((h, c) => h + c.households, 0));
  });

  it('counts 微网格 and 专属网格 per node as the sub-grid table holds them', async () => {
    const { body } = await requestJson<{ regions: RegionNode[] }>(db(), '/api/regions/tree');
    const byCode = new Map<string, RegionNode>();
    const walk = (nodes: RegionNode[]) => {
      for (const n of nodes) {
        byCode.set(n.code, n);
        walk(n.children);
      }
    };
    walk(body.regions);
    const rows = await db().rows<{ code: string; micro: number; exclusive: number }>(sql`
      SELECT r.code, count(s.id) FILTER (WHERE s.level = 'micro')::int AS micro, count(s.id) FILTER (WHERE s.level = 'exclusive')::int AS exclusive
      FROM regions r LEFT JOIN sub_grids s ON r.level = 'city' OR s.community_code LIKE r.code || '%'
      GROUP BY r.code`);
    expect(rows.length).toBe(byCode.size);
    for (const r of rows) expect([byCode.get(r.code)?.microCount, byCode.get(r.code)?.exclusiveCount], r.code).toEqual([r.micro, r.exclusive]);
    // The sample has both levels, so the counts are not all zero.
    const [city] = body.regions;
    expect(city!.microCount).toBeGreaterThan(0);
    expect(city!.exclusiveCount).toBeGreaterThan(0);
    const communities = [...byCode.values()].filter((n) => n.level === 'community');
    expect(communities.reduce((n, c) => n + c.microCount, 0)).toBe(city!.microCount);
  });

  it('returns one region with geometry, 404 for unknown and 400 for malformed codes', async () => {
    const ok = await requestJson<Record<string, any>>(db(), '/api/regions/450902005');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ name: '名山街道', level: 'street', parentCode: '450902' });
    expect(ok.body.geometry.type).toBe('MultiPolygon');
    expect((await requestJson(db(), '/api/regions/450902999')).status).toBe(404);
    const bad = await requestJson<Record<string, any>>(db(), '/api/regions/4509');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('code');
  });

  it('reports health, dataset label and an offline basemap by default', async () => {
    const health = await requestJson<Record<string, any>>(db(), '/api/health');
    expect(health.body).toMatchObject({ status: 'ok', grids: 1200 });
    const config = await requestJson<Record<string, any>>(db(), '/api/config');
    expect(config.body.dataset.sample).toBe(true);
    expect(config.body.dataset.label).toContain('示例数据');
    expect(config.body.basemap).toEqual({ kind: 'offline' });
  });

  it('answers unknown paths with a 404 problem, never HTML or a stack trace', async () => {
    const res = await request(db(), '/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 404, title: '未找到' });
  });
});
