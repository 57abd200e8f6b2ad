import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../testing/databases';
import { request } from '../testing/request';
import { parseCsv, wktToGeoJson } from './importBuildings';

it('reads quoted CSV fields and WKT points and polygons, and says why bad WKT is bad', () => {
  expect(parseCsv('code,address\r\nA1,"玉州区""一号"",楼"\n')).toEqual([
    ['code', 'address'],
    ['A1', '玉州区"一号",楼'],
  ]);
  expect(wktToGeoJson('POINT (110.1 22.6)')).toEqual({ type: 'Point', coordinates: [110.1, 22.6] });
  expect(wktToGeoJson('POLYGON((0 0,1 0,1 1,0 0))')).toEqual({
    type: 'Polygon',
    coordinates: [
      [
        [0, 0],
        [1, 0],
        [1, 1],
        [0, 0],
      ],
    ],
  });
  expect(wktToGeoJson('LINESTRING(0 0,1 1)')).toContain('POINT');
  expect(wktToGeoJson('POINT((1 2)')).toContain('格式错误');
});

const post = async (db: Parameters<typeof request>[0], body: string, dryRun: boolean) => {
  const res = await request(db, `/api/buildings/imports?format=csv&dryRun=${dryRun}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

describeEachEngine('building import', (db) => {
  it('reports every bad row (row, field, reason) and writes nothing; a clean file commits all rows', async () => {
    const [g] = await db().rows<{ code: string; lon: number; lat: number }>(sql`SELECT code, ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM grids WHERE code = '450902005001001'`);
    const bad = [
      'code,address,floors,households,population,lon,lat',
      `IMP-1,一号楼,6,40,120,${g!.lon},${g!.lat}`,
      `IMP-1,重复,6,40,120,${g!.lon},${g!.lat}`,
      `IMP-3,三号楼,6,很多,120,${g!.lon},${g!.lat}`,
      'IMP-4,四号楼,6,30,90,10.0,10.0',
      'IMP-5,五号楼,6,30,90,,',
    ].join('\n');
    const res = await post(db(), bad, false);
    expect(res.status).toBe(422);
    const errors = res.body.report.errors as { row: number; field: string; reason: string }[];
    expect(errors.map((e) => [e.row, e.field])).toEqual([
      [3, 'code'],
      [4, 'households'],
      [5, 'geometry'],
      [6, 'lon'],
    ]);
    expect(errors[2]!.reason).toBe('楼栋位置不在任何网格内');
    expect((await db().rows(sql`SELECT 1 FROM buildings WHERE code LIKE 'IMP-%'`)).length).toBe(0);

    const good = ['code,address,floors,households,population,wkt', `IMP-1,一号楼,6,40,120,"POINT(${g!.lon} ${g!.lat})"`, `IMP-2,二号楼,3,25,70,${g!.lon + 1e-5},${g!.lat}`]
      .join('\n')
      .replace(`IMP-2,二号楼,3,25,70,${g!.lon + 1e-5},${g!.lat}`, `IMP-2,二号楼,3,25,70,"POINT(${g!.lon + 1e-5} ${g!.lat})"`);
    const dry = await post(db(), good, true);
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body).toMatchObject({ rows: 2, created: 2, updated: 0, dryRun: true, grids: [{ code: g!.code, buildings: 2, households: 65 }] });
    expect((await db().rows(sql`SELECT 1 FROM buildings WHERE code LIKE 'IMP-%'`)).length).toBe(0);
    const done = await post(db(), good, false);
    expect(done.status).toBe(200);
    const rows = await db().rows<{ code: string; grid: string; updated_by: string }>(
      sql`SELECT b.code, g.code AS grid, b.updated_by FROM buildings b JOIN grids g ON g.id = b.grid_id WHERE b.code LIKE 'IMP-%' ORDER BY b.code`,
    );
    expect(rows).toEqual([
      { code: 'IMP-1', grid: g!.code, updated_by: '测试管理员' },
      { code: 'IMP-2', grid: g!.code, updated_by: '测试管理员' },
    ]);
  });
});
