/**
 * 党建 on both engines (issue 16): the tree the migration/sample builds, 组建率 against a
 * hand-built fixture, the import framework with bad rows (CSV UTF-8 and GBK, xlsx; exact
 * rows and reasons on a dry run, nothing written on a rejected commit), the public page
 * and personal data per role.
 */
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { beforeAll, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { ratePercent } from '../../kernel/partyOrgs';
import type { SessionUser } from '../../kernel/roles';
import { describeEachEngine } from '../testing/databases';
import { TEST_ADMIN, testPlanner } from '../testing/principals';
import { requestAs } from '../testing/requestAs';

const COMMUNITY = '450902005001';
const user = (role: SessionUser['role'], extra: Partial<SessionUser> = {}): SessionUser => ({
  id: 0,
  username: `t-${role}-${extra.gridCodes?.join('') ?? ''}`,
  displayName: `测试${role}`,
  role,
  jurisdictionCode: null,
  gridCodes: [],
  departmentId: null,
  ...extra,
});

const get = async (db: DbHandle, u: SessionUser, path: string) => {
  const res = await requestAs(db, u, path);
  return { status: res.status, body: (await res.json()) as any };
};
const upload = async (db: DbHandle, u: SessionUser, entity: string, bytes: Uint8Array | string, dryRun: boolean) => {
  const res = await requestAs(db, u, `/api/imports/${entity}?dryRun=${dryRun}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/octet-stream' },
    body: typeof bytes === 'string' ? bytes : (bytes as unknown as BodyInit),
  });
  return { status: res.status, body: (await res.json()) as any };
};
const count = async (db: DbHandle, query: ReturnType<typeof sql>) => ((await db.rows<{ n: number }>(query))[0]?.n ?? 0) as number;

describeEachEngine('党建: tree, 组建率, imports, people', (db) => {
  let gridCodes: string[];
  beforeAll(async () => {
    gridCodes = (await db().rows<{ code: string }>(sql`SELECT code FROM grids WHERE community_code = ${COMMUNITY} ORDER BY code`)).map((g) => g.code);
  });

  it('the migration turned every grid party organisation into the tree 党工委 → 党总支 → 网格党支部', async () => {
    const grids = await count(db(), sql`SELECT count(*)::int AS n FROM grids WHERE party_org_name IS NOT NULL`);
    expect(await count(db(), sql`SELECT count(DISTINCT grid_id)::int AS n FROM party_orgs WHERE attach_kind = 'grid'`)).toBe(grids);
    const [chain] = await db().rows<{ kinds: string }>(sql`
      SELECT o.kind || '<' || p.kind || '<' || coalesce(pp.kind, '') || '<' || coalesce(ppp.kind, '-') AS kinds
      FROM party_orgs o JOIN party_orgs p ON p.id = o.parent_id LEFT JOIN party_orgs pp ON pp.id = p.parent_id LEFT JOIN party_orgs ppp ON ppp.id = pp.parent_id
      JOIN grids g ON g.id = o.grid_id WHERE o.attach_kind = 'grid' AND g.party_org_type = '党支部' LIMIT 1`);
    expect(chain!.kinds).toBe('党支部<党总支<党工委<-');
    // Every edge of the tree keeps the rule.
    expect(
      await count(
        db(),
        sql`SELECT count(*)::int AS n FROM party_orgs o JOIN party_orgs p ON p.id = o.parent_id WHERE (o.kind = '党小组' AND p.kind <> '党支部') OR (o.kind = '党总支' AND p.kind NOT IN ('党委','党工委'))`,
      ),
    ).toBe(0);
  });

  it('组建率 matches the hand-built fixture of one community', async () => {
    const h = db();
    // Fixture: two grids lose their organisation; four estates — one single, two sharing a joint one, one none.
    const [g1, g2] = gridCodes;
    await h.rows(sql`UPDATE party_orgs SET attach_kind = 'region', grid_id = NULL WHERE grid_id IN (SELECT id FROM grids WHERE code IN (${g1}, ${g2})) AND attach_kind = 'grid'`);
    await h.rows(sql`DELETE FROM estates WHERE community_code = ${COMMUNITY}`);
    const [dzz] = await h.rows<{ id: number }>(sql`SELECT id FROM party_orgs WHERE code = ${`${COMMUNITY}-DZZ`}`);
    const [single] = await h.rows<{ id: number }>(
      sql`INSERT INTO party_orgs (code, name, kind, parent_id, attach_kind, region_code) VALUES ('FX-S', '单建党支部', '党支部', ${dzz!.id}, 'region', ${COMMUNITY}) RETURNING id`,
    );
    const [joint] = await h.rows<{ id: number }>(
      sql`INSERT INTO party_orgs (code, name, kind, parent_id, attach_kind, region_code, joint) VALUES ('FX-J', '联合党支部', '党支部', ${dzz!.id}, 'region', ${COMMUNITY}, true) RETURNING id`,
    );
    const square = (k: number) => sql`ST_Multi(ST_Buffer(ST_PointOnSurface((SELECT geom FROM regions WHERE code = ${COMMUNITY})), 0.0001 * ${k}))`;
    for (const [k, org] of [
      [1, single!.id],
      [2, joint!.id],
      [3, joint!.id],
      [4, null],
    ] as const)
      await h.rows(sql`INSERT INTO estates (code, name, community_code, geom, households, party_org_id) VALUES (${`FX-${k}`}, ${`小区${k}`}, ${COMMUNITY}, ${square(k)}, 100, ${org})`);

    const res = await get(h, TEST_ADMIN, `/api/party/formation?region=${COMMUNITY}`);
    expect(res.status).toBe(200);
    expect(res.body.region).toMatchObject({
      code: COMMUNITY,
      grids: gridCodes.length,
      gridsOrganised: gridCodes.length - 2,
      gridRate: ratePercent(gridCodes.length - 2, gridCodes.length),
      estates: 4,
      estatesSingle: 1,
      estatesJoint: 2,
      estatesNone: 1,
      estateRate: 75,
    });
    const street = await get(h, TEST_ADMIN, '/api/party/formation?region=450902005');
    expect(street.body.children.find((c: { code: string }) => c.code === COMMUNITY)).toEqual(res.body.region);
  });

  it('organisations: a dry run lists every bad row with its column and reason; a commit with bad rows writes nothing', async () => {
    const h = db();
    const csv = [
      '组织编码*,组织名称*,组织类别*,上级组织编码,挂靠类型*,所属区域编码,网格编码,书记,书记电话,党员数,成立日期',
      `IMP-ZB1,导入测试党支部,党支部,${COMMUNITY}-DZZ,网格,,${gridCodes[3]},王测试,13900001111,8,2021-07-01`,
      `IMP-XZ1,导入测试党小组,党小组,${COMMUNITY}-DZZ,区域,${COMMUNITY},,,,3,`,
      'IMP-ZB2,不存在网格党支部,党支部,IMP-NONE,网格,,450902005001999,,,2,',
      `IMP-XZ2,日期错误党小组,党小组,IMP-ZB1,楼栋,,${gridCodes[3]},,,2,2021-02-30`,
      `IMP-XZ3,正确党小组,党小组,IMP-ZB1,区域,${COMMUNITY},,,,2,`,
    ].join('\n');
    const before = await count(h, sql`SELECT count(*)::int AS n FROM party_orgs`);
    const dry = await upload(h, TEST_ADMIN, 'organisations', csv, true);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ rows: 5, valid: 2, format: 'csv', encoding: 'utf-8', committed: false });
    expect(dry.body.errors).toEqual([
      { row: 3, field: '上级组织编码', reason: '党小组不能隶属于党总支，上级只能是党支部' },
      { row: 4, field: '网格编码', reason: '网格 450902005001999 不存在' },
      { row: 5, field: '楼栋', reason: '楼栋不能为空' },
      { row: 5, field: '成立日期', reason: '成立日期不是有效日期：2021-02-30' },
    ]);
    const commit = await upload(h, TEST_ADMIN, 'organisations', csv, false);
    expect(commit.status).toBe(422);
    expect(commit.body.report.errors).toEqual(dry.body.errors);
    expect(await count(h, sql`SELECT count(*)::int AS n FROM party_orgs`)).toBe(before);

    // Cross-row checks see the rows that parsed: an unknown parent is reported for a row otherwise fine.
    const orphan = await upload(h, TEST_ADMIN, 'organisations', `${csv.split('\n')[0]}\nIMP-ZB3,孤儿党支部,党支部,IMP-NONE,区域,${COMMUNITY},,,,2,`, true);
    expect(orphan.body.errors).toEqual([{ row: 2, field: '上级组织编码', reason: '上级组织 IMP-NONE 不存在（数据库和本文件中都没有）' }]);
    const good = csv
      .split('\n')
      .filter((_, k) => k === 0 || k === 1 || k === 5)
      .join('\n');
    const ok = await upload(h, TEST_ADMIN, 'organisations', good, false);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ committed: true, inserted: 2, updated: 0 });
    const [child] = await h.rows<{ parent: string; secretary: string }>(sql`SELECT p.code AS parent, p.secretary FROM party_orgs o JOIN party_orgs p ON p.id = o.parent_id WHERE o.code = 'IMP-XZ3'`);
    expect(child).toEqual({ parent: 'IMP-ZB1', secretary: '王测试' });
    // A planner outside the street is refused row by row.
    const outsider = await upload(h, testPlanner('450902003'), 'organisations', good, true);
    expect(outsider.body.errors.map((e: { row: number; field: string }) => [e.row, e.field])).toEqual([
      [2, '所属区域编码'],
      [3, '所属区域编码'],
    ]);
  });

  it('rosters from a GBK CSV (as Excel saves it): bad role and unknown account reported, then committed', async () => {
    const h = db();
    const text = [
      '网格编码,岗位,姓名,电话,职责,党员,关联账号,公开字段',
      `${gridCodes[0]},楼栋长,赵楼栋,13700002222,负责3号楼,是,,姓名、电话`,
      `${gridCodes[0]},组长,钱错误,,,,,`,
      `${gridCodes[1]},兼职网格员,孙账号,,,否,nobody,姓名`,
    ].join('\r\n');
    const gbk = new Uint8Array(iconv.encode(text, 'gbk'));
    const dry = await upload(h, TEST_ADMIN, 'rosters', gbk, true);
    expect(dry.body).toMatchObject({ encoding: 'gb18030', rows: 3, valid: 1 });
    expect(dry.body.errors).toEqual([
      { row: 3, field: '岗位', reason: '岗位只能取 网格长、专职网格员、兼职网格员、网格指导员、楼栋长，实际为“组长”' },
      { row: 4, field: '关联账号', reason: '账号 nobody 不存在' },
    ]);
    const before = await count(h, sql`SELECT count(*)::int AS n FROM grid_roster`);
    expect((await upload(h, TEST_ADMIN, 'rosters', gbk, false)).status).toBe(422);
    expect(await count(h, sql`SELECT count(*)::int AS n FROM grid_roster`)).toBe(before);
    const good = new Uint8Array(iconv.encode(text.split('\r\n').slice(0, 2).join('\r\n'), 'gbk'));
    expect((await upload(h, TEST_ADMIN, 'rosters', good, false)).body).toMatchObject({ committed: true, inserted: 1 });
    const [row] = await h.rows<{ role: string; public_fields: string[] }>(sql`SELECT role, public_fields FROM grid_roster WHERE name = '赵楼栋'`);
    expect(row).toEqual({ role: 'building_leader', public_fields: ['name', 'phone'] });
  });

  it('estates from .xlsx: unclosed ring and an outline outside the community reported; lon/lat falls back to a square', async () => {
    const h = db();
    const [c] = await h.rows<{ x: number; y: number }>(sql`SELECT ST_X(p) AS x, ST_Y(p) AS y FROM (SELECT ST_PointOnSurface(geom) AS p FROM regions WHERE code = ${COMMUNITY}) s`);
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('小区');
    sheet.addRow(['小区编码*', '小区名称*', '所属社区编码*', '户数*', '物业企业', '业委会', '红色物业', '党群服务阵地面积', '范围', '经度', '纬度']);
    sheet.addRow(['XL-1', '经纬度小区', COMMUNITY, 1200, '金港物业', '是', '是', 300, '', c!.x, c!.y]);
    sheet.addRow(['XL-2', '未闭合小区', COMMUNITY, 100, '', '否', '否', '', `POLYGON((${c!.x} ${c!.y},${c!.x + 0.001} ${c!.y},${c!.x} ${c!.y + 0.001}))`]);
    sheet.addRow([
      'XL-3',
      '远处小区',
      COMMUNITY,
      100,
      '',
      '否',
      '否',
      '',
      JSON.stringify({
        type: 'Polygon',
        coordinates: [
          [
            [100, 20],
            [100.01, 20],
            [100.01, 20.01],
            [100, 20],
          ],
        ],
      }),
    ]);
    sheet.addRow(['XL-4', '户数错误小区', COMMUNITY, '很多', '', '也许', '', '', '', c!.x, c!.y]);
    const bytes = new Uint8Array(await book.xlsx.writeBuffer());
    const dry = await upload(h, TEST_ADMIN, 'estates', bytes, true);
    expect(dry.body).toMatchObject({ format: 'xlsx', rows: 4, valid: 1 });
    expect(dry.body.errors.map((e: { row: number; field: string }) => [e.row, e.field])).toEqual([
      [3, '范围'],
      [4, '范围'],
      [5, '户数'],
      [5, '业委会'],
    ]);
    expect(dry.body.errors[0].reason).toBe('每个环至少需要 4 个点（首尾相同）');
    expect(dry.body.errors[1].reason).toMatch(/^范围超出所属社区 .+（100.0% 在社区外）$/);
    expect(dry.body.errors[2].reason).toBe('户数应为整数，实际为“很多”');
    expect((await upload(h, TEST_ADMIN, 'estates', bytes, false)).status).toBe(422);
    expect(await count(h, sql`SELECT count(*)::int AS n FROM estates WHERE code LIKE 'XL-%'`)).toBe(0);
    const only = new ExcelJS.Workbook();
    const s2 = only.addWorksheet('小区');
    s2.addRow(sheet.getRow(1).values as ExcelJS.CellValue[]);
    s2.addRow(sheet.getRow(2).values as ExcelJS.CellValue[]);
    const ok = await upload(h, TEST_ADMIN, 'estates', new Uint8Array(await only.xlsx.writeBuffer()), false);
    expect(ok.body).toMatchObject({ committed: true, inserted: 1 });
    const list = await get(h, TEST_ADMIN, `/api/party/estates?region=${COMMUNITY}`);
    const xl = list.body.features.find((f: { properties: { code: string } }) => f.properties.code === 'XL-1');
    expect(xl.properties).toMatchObject({ households: 1200, redProperty: true, ownersCommittee: true, orgStatus: 'none', norm: { requiredM2: 360, actualM2: 300, meets: false, shortfallM2: 60 } });
  });

  it('templates download as CSV (BOM, Chinese headers) and xlsx that read back as a valid dry run', async () => {
    const csv = await requestAs(db(), TEST_ADMIN, '/api/imports/rosters/template?format=csv');
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes).startsWith('网格编码*,岗位*,姓名*')).toBe(true);
    // The template's own example row is a valid dry run (the example grid exists in the sample).
    const dry = await upload(db(), TEST_ADMIN, 'rosters', bytes, true);
    expect(dry.body).toMatchObject({ rows: 1, valid: 1, errors: [] });
    const xlsx = await requestAs(db(), TEST_ADMIN, '/api/imports/organisations/template?format=xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsx.arrayBuffer());
    expect(book.worksheets.map((w) => w.name)).toEqual(['党组织', '说明']);
  });

  it('a grid’s people per role: leader sees names with masked phones, analyst nothing, a grid worker only their grids; the public page only 公开 fields', async () => {
    const h = db();
    const code = gridCodes[2]!;
    const [leaderRow] = await h.rows<{ name: string; phone: string }>(sql`SELECT r.name, r.phone FROM grid_roster r JOIN grids g ON g.id = r.grid_id WHERE g.code = ${code} AND r.role = 'grid_leader'`);
    const leader = await get(h, user('leader'), `/api/party/grids/${code}/people`);
    const gl = leader.body.roster.find((r: { role: string }) => r.role === 'grid_leader');
    expect(gl.name).toBe(leaderRow!.name);
    expect(gl.phone).toBe(`${leaderRow!.phone.slice(0, 3)}****${leaderRow!.phone.slice(-4)}`);
    expect(leader.body.organisations.map((o: { kind: string }) => o.kind).slice(0, 3)).toEqual(['党工委', '党总支', '党支部']);
    const analyst = await get(h, user('analyst'), `/api/party/grids/${code}/people`);
    expect(analyst.body.personalDataWithheld).toBe(true);
    expect(analyst.body.roster.every((r: { name: unknown; phone: unknown }) => r.name === null && r.phone === null)).toBe(true);
    expect(analyst.body.organisations.every((o: { secretary: unknown }) => o.secretary === null)).toBe(true);
    const own = await get(h, user('grid_worker', { gridCodes: [code] }), `/api/party/grids/${code}/people`);
    expect(own.body.personalDataWithheld).toBe(false);
    const other = await get(h, user('grid_worker', { gridCodes: [gridCodes[0]!] }), `/api/party/grids/${code}/people`);
    expect(other.body.personalDataWithheld).toBe(true);

    const pub = await get(h, user('analyst'), `/api/public/grids/${code}`);
    expect(pub.status).toBe(200);
    const published = await h.rows<{ role: string; public_fields: string[]; phone: string | null }>(sql`SELECT role, public_fields, phone FROM grid_roster r JOIN grids g ON g.id = r.grid_id WHERE g.code = ${code}`);
    for (const entry of pub.body.roster as { role: string; phone: string | null }[]) {
      const source = published.find((p) => p.role === entry.role)!;
      expect(entry.phone).toBe(source.public_fields.includes('phone') ? source.phone : null);
    }
    expect(pub.body.roster.find((r: { role: string }) => r.role === 'grid_leader').phone).toBe(leaderRow!.phone);
    expect(pub.body.roster.find((r: { role: string }) => r.role === 'instructor').phone).toBeNull();
  });
});
