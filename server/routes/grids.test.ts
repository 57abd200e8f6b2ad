import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../testing/databases';
import { requestJson } from '../testing/request';

const WULIQIAO_GRID = '450902005001001';

describeEachEngine('grids API', (db) => {
  it('returns a grid by code with its community, street and party organisation', async () => {
    const { status, body } = await requestJson<Record<string, any>>(db(), `/api/grids/${WULIQIAO_GRID}`);
    expect(status).toBe(200);
    expect(body.code).toBe(WULIQIAO_GRID);
    expect(body.community).toEqual({ code: '450902005001', name: '五里桥社区居委会' });
    expect(body.street).toEqual({ code: '450902005', name: '名山街道' });
    expect(body.district).toEqual({ code: '450902', name: '玉州区' });
    expect(body.geometry.type).toBe('MultiPolygon');
    expect(body.partyOrg.name).toMatch(/^五里桥社区第1网格(党支部|联合党支部|党小组)$/);
    expect(body.starRating).toBeGreaterThanOrEqual(0);
    expect(body.starRating).toBeLessThanOrEqual(5);
    const [row] = await db().rows<{ area: number }>(sql`SELECT ST_Area(geom::geography) AS area FROM grids WHERE code = ${WULIQIAO_GRID}`);
    expect(body.areaM2).toBeCloseTo(Number(row!.area), 3);
    expect(body.areaM2).toBeGreaterThan(1000);
  });

  it('answers 404 problem details for an unknown grid', async () => {
    const { status, contentType, body } = await requestJson(db(), '/api/grids/450902005001999');
    expect(status).toBe(404);
    expect(contentType).toContain('application/problem+json');
    expect(body).toMatchObject({ status: 404, title: '未找到', detail: '网格编码 450902005001999 不存在' });
  });

  it.each(['abc', '45090200500100', '4509020050010011', '45090200500100x'])('rejects malformed code %s with 400', async (code) => {
    const { status, body } = await requestJson<Record<string, any>>(db(), `/api/grids/${code}`);
    expect(status).toBe(400);
    expect(body.errors).toEqual([{ field: 'code', reason: '网格编码应为 15 位数字' }]);
  });

  it('lists grids intersecting a bbox as GeoJSON, truncating at the limit', async () => {
    const bbox = '110.15,22.63,110.16,22.64';
    const { status, body } = await requestJson<Record<string, any>>(db(), `/api/grids?bbox=${bbox}`);
    expect(status).toBe(200);
    expect(body.type).toBe('FeatureCollection');
    const [{ n }] = (await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM grids WHERE geom && ST_MakeEnvelope(110.15, 22.63, 110.16, 22.64, 4326)`)) as [{ n: number }];
    expect(n).toBeGreaterThan(3);
    expect(body.features).toHaveLength(n);
    expect(body.truncated).toBe(false);
    for (const f of body.features) {
      expect(f.properties.code).toMatch(/^\d{15}$/);
      expect(Number.isInteger(f.id)).toBe(true);
    }
    const limited = await requestJson<Record<string, any>>(db(), `/api/grids?bbox=${bbox}&limit=2`);
    expect(limited.body.features).toHaveLength(2);
    expect(limited.body.truncated).toBe(true);
  });

  it.each([
    ['', 'bbox'],
    ['bbox=1,2,3', 'bbox'],
    ['bbox=a,b,c,d', 'bbox'],
    ['bbox=110,22,200,23', 'bbox'],
    ['bbox=110,95,111,96', 'bbox'],
    ['bbox=111,22,110,23', 'bbox'],
    ['bbox=NaN,22,110,23', 'bbox'],
    ['bbox=110,22,111,23&limit=0', 'limit'],
    ['bbox=110,22,111,23&limit=-5', 'limit'],
    ['bbox=110,22,111,23&limit=ten', 'limit'],
  ])('rejects bad query "%s" with a 400 naming %s', async (query, field) => {
    const { status, contentType, body } = await requestJson<Record<string, any>>(db(), `/api/grids?${query}`);
    expect(status).toBe(400);
    expect(contentType).toContain('application/problem+json');
    expect(body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(body.errors[0].reason).toMatch(/[\u4e00-\u9fff]/);
  });
});
