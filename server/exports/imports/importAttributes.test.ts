/** Why: the grid import maps households, population, party organisation and grid workers too; bad values are reported per row and field, and nothing is written. */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { DbHandle } from '../../../db/client';
import { describeEachEngine } from '../../testing/databases';
import { request } from '../../testing/request';

const COMMUNITY = '450902005001';
const GRIDS = [`${COMMUNITY}001`, `${COMMUNITY}002`] as const;
const MAPPING = JSON.stringify({ code: 'WGBM', name: 'WGMC', households: 'HS', population: 'RK', partyOrgName: 'DZZ', gridWorkers: 'WGY' });

async function post(db: DbHandle, query: string, body: string) {
  const res = await request(db, `/api/exports/imports?${query}`, { method: 'POST', body });
  return { status: res.status, body: (await res.json()) as any };
}

/** The two grids' shapes as stored, with the given attributes. */
async function file(db: DbHandle, properties: Record<string, unknown>[]) {
  const rows = await db.rows<{ code: string; geojson: string }>(sql`SELECT code, ST_AsGeoJSON(geom) AS geojson FROM grids WHERE code IN (${GRIDS[0]}, ${GRIDS[1]}) ORDER BY code`);
  return JSON.stringify({
    type: 'FeatureCollection',
    features: rows.map((r, i) => ({ type: 'Feature', properties: { WGBM: r.code, ...properties[i] }, geometry: JSON.parse(r.geojson) })),
  });
}

const stored = (db: DbHandle) =>
  db.rows<{ code: string; name: string; households: number; population: number; party_org_name: string | null; grid_workers: string[] | string; version: number }>(
    sql`SELECT code, name, households, population, party_org_name, grid_workers, version FROM grids WHERE code IN (${GRIDS[0]}, ${GRIDS[1]}) ORDER BY code`,
  );
const workers = (v: string[] | string) => (typeof v === 'string' ? (JSON.parse(v) as string[]) : v);

describeEachEngine('grid import attributes', (db) => {
  it('reports each bad value with its row, field and a Chinese reason, and writes nothing', async () => {
    const before = await stored(db());
    const body = await file(db(), [
      { WGMC: '第一网格', HS: -3, RK: 400, DZZ: '第一党支部', WGY: '张三、李四' },
      { WGMC: '第二网格', HS: '120', RK: '很多', DZZ: '第二党支部', WGY: ['王五', 7] },
    ]);
    for (const dryRun of ['true', 'false']) {
      const { status, body: problem } = await post(db(), `dryRun=${dryRun}&mapping=${encodeURIComponent(MAPPING)}`, body);
      expect(status).toBe(422);
      const bad = problem.report.issues.filter((i: any) => i.kind === 'bad_attribute').map((i: any) => ({ feature: i.feature, field: i.field, sourceField: i.sourceField, reason: i.reason }));
      expect(bad).toEqual([
        { feature: 1, field: 'households', sourceField: 'HS', reason: '户数（字段 HS）：不能为负数，实际为“-3”' },
        { feature: 2, field: 'population', sourceField: 'RK', reason: '人口（字段 RK）：应为数字，实际为“很多”' },
        { feature: 2, field: 'gridWorkers', sourceField: 'WGY', reason: '网格员（字段 WGY）：列表中的每一项都应为姓名文字' },
      ]);
      expect(problem.report.errors).toBe(3);
      expect(problem.report.committed).toBe(false);
      expect(await stored(db())).toEqual(before);
    }
  });

  it('refuses fractional counts and a mapped field the file does not have', async () => {
    const fractional = await post(
      db(),
      `dryRun=true&mapping=${encodeURIComponent(MAPPING)}`,
      await file(db(), [
        { HS: 12.5, RK: '', DZZ: null, WGY: '' },
        { HS: 7, RK: '3.2', DZZ: '', WGY: [] },
      ]),
    );
    expect(fractional.status).toBe(422);
    expect(fractional.body.report.issues.filter((i: any) => i.kind === 'bad_attribute').map((i: any) => [i.feature, i.field, i.reason])).toEqual([
      [1, 'households', '户数（字段 HS）：应为整数，实际为“12.5”'],
      [2, 'population', '人口（字段 RK）：应为整数，实际为“3.2”'],
    ]);
    const typo = await post(db(), `dryRun=true&mapping=${encodeURIComponent(JSON.stringify({ code: 'WGBM', households: 'HUSHU' }))}`, await file(db(), [{ HS: 1 }, { HS: 2 }]));
    expect(typo.status).toBe(422);
    expect(typo.body.errors).toEqual([{ field: 'mapping', reason: '文件中没有字段 HUSHU（字段对应中指定的属性字段），请检查字段名' }]);
    const unknownKey = await post(db(), `dryRun=true&mapping=${encodeURIComponent(JSON.stringify({ code: 'WGBM', phone: 'DH' }))}`, await file(db(), [{}, {}]));
    expect(unknownKey.status).toBe(400);
    expect(unknownKey.body.errors[0].field).toBe('mapping');
  });

  it('stores every mapped attribute in one commit, keeps what the file leaves empty, and records the versions', async () => {
    const before = await stored(db());
    const body = await file(db(), [
      { WGMC: '第一网格', HS: 321, RK: '987', DZZ: '五里桥第一网格党支部', WGY: '张三、李四，王五' },
      // Empty cells keep the stored values.
      { WGMC: '', HS: '', RK: 55, DZZ: '', WGY: ['赵六'] },
    ]);
    const dry = await post(db(), `dryRun=true&mapping=${encodeURIComponent(MAPPING)}`, body);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ errors: 0, updates: 2, creates: 0 });
    expect(await stored(db())).toEqual(before);

    const { status, body: report } = await post(db(), `dryRun=false&mapping=${encodeURIComponent(MAPPING)}`, body);
    expect(status).toBe(200);
    expect(report).toMatchObject({ committed: true, updates: 2, unchanged: 0 });
    const after = await stored(db());
    expect(after.map((r) => ({ ...r, grid_workers: workers(r.grid_workers) }))).toEqual([
      { code: GRIDS[0], name: '第一网格', households: 321, population: 987, party_org_name: '五里桥第一网格党支部', grid_workers: ['张三', '李四', '王五'], version: before[0]!.version + 1 },
      {
        code: GRIDS[1],
        name: before[1]!.name,
        households: before[1]!.households,
        population: 55,
        party_org_name: before[1]!.party_org_name,
        grid_workers: ['赵六'],
        version: before[1]!.version + 1,
      },
    ]);
    const [version] = await db().rows<{ before_attrs: any; after_attrs: any }>(sql`SELECT before_attrs, after_attrs FROM grid_versions WHERE grid_code = ${GRIDS[0]} AND action = 'import' ORDER BY version DESC LIMIT 1`);
    const attrs = (v: any) => (typeof v === 'string' ? JSON.parse(v) : v);
    expect(attrs(version!.before_attrs)).toMatchObject({ households: before[0]!.households, population: before[0]!.population });
    expect(attrs(version!.after_attrs)).toMatchObject({ households: 321, population: 987, partyOrgName: '五里桥第一网格党支部', gridWorkers: ['张三', '李四', '王五'] });

    // The same file again changes nothing.
    const again = await post(db(), `dryRun=false&mapping=${encodeURIComponent(MAPPING)}`, body);
    expect(again.body).toMatchObject({ committed: true, updates: 0, unchanged: 2 });
  });
});
