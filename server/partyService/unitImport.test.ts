/**
 * 双报到 imports on both engines: units from a GBK CSV and members from an .xlsx, bad
 * rows reported by row, column and Chinese reason on the dry run, nothing written while
 * any row is bad, rows outside the importer's jurisdiction refused, then committed.
 */
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import type { SessionUser } from '../../kernel/roles';
import { describeEachEngine } from '../testing/databases';
import { TEST_ADMIN, testPlanner } from '../testing/principals';
import { requestAs } from '../testing/requestAs';

const upload = async (db: DbHandle, u: SessionUser, entity: string, bytes: Uint8Array, dryRun: boolean) => {
  const res = await requestAs(db, u, `/api/imports/${entity}?dryRun=${dryRun}`, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: bytes as unknown as BodyInit });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};
const count = async (db: DbHandle, q: ReturnType<typeof sql>) => Number((await db.rows<{ n: number }>(q))[0]!.n);

describeEachEngine('双报到 imports', (db) => {
  it('imports units from a GBK CSV: bad kind, date, count and a foreign community reported; then committed', async () => {
    const text = [
      '报到社区编码,单位名称,单位类型,联系人,联系电话,在职党员数,报到日期',
      '450902005001,导入测试中学党委,事业单位,王老师,13900001234,12,2026-03-01',
      '450902005001,导入测试公司,公司,,,5,2026-03-01',
      '450902003001,城西某局,机关,,,-3,2026/13/01',
      '450902005001,导入测试中学党委,事业单位,,,3,2026-03-02',
    ].join('\r\n');
    const planner = testPlanner('450902005');
    const dry = await upload(db(), planner, 'party-units', new Uint8Array(iconv.encode(text, 'gbk')), true);
    // Row 5 repeats row 2: both parse, the duplicate is the file check's error.
    expect(dry.body).toMatchObject({ encoding: 'gb18030', rows: 4, valid: 1, committed: false });
    expect(dry.body.errors).toEqual([
      { row: 3, field: '单位类型', reason: '单位类型只能取 机关、企业、事业单位、社会组织，实际为“公司”' },
      { row: 4, field: '报到社区编码', reason: '社区 450902003001 不在您的管辖范围内' },
      expect.objectContaining({ row: 4, field: '在职党员数' }),
      expect.objectContaining({ row: 4, field: '报到日期' }),
      { row: 5, field: '单位名称', reason: '与第 2 行重复（同一社区和单位名称）' },
    ]);
    const before = await count(db(), sql`SELECT count(*)::int AS n FROM party_units`);
    expect((await upload(db(), planner, 'party-units', new Uint8Array(iconv.encode(text, 'gbk')), false)).status).toBe(422);
    expect(await count(db(), sql`SELECT count(*)::int AS n FROM party_units`)).toBe(before);
    const good = text.split('\r\n').slice(0, 2).join('\r\n');
    expect((await upload(db(), planner, 'party-units', new Uint8Array(iconv.encode(good, 'gbk')), false)).body).toMatchObject({ committed: true, inserted: 1, updated: 0 });
    const [unit] = await db().rows<{ kind: string; member_count: number; contact_phone: string }>(sql`SELECT kind, member_count, contact_phone FROM party_units WHERE name = '导入测试中学党委'`);
    expect(unit).toEqual({ kind: '事业单位', member_count: 12, contact_phone: '13900001234' });
  });

  it('imports members from .xlsx: unknown unit and half a report refused, then committed', async () => {
    await db().rows(sql`INSERT INTO party_units (name, kind, community_code, member_count, reported_on) VALUES ('导入测试医院', '事业单位', '450902005002', 3, '2026-01-01')`);
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('在职党员');
    sheet.addRow(['单位报到社区编码', '所在单位', '姓名', '电话', '报到社区编码', '报到日期']);
    sheet.addRow(['450902005002', '导入测试医院', '刘医生', '13800005678', '450902005001', '2026-04-01']);
    sheet.addRow(['450902005002', '不存在的单位', '张三', '', '', '']);
    sheet.addRow(['450902005002', '导入测试医院', '陈护士', '', '450902005001', '']);
    const bytes = new Uint8Array(await book.xlsx.writeBuffer());
    const dry = await upload(db(), TEST_ADMIN, 'party-members', bytes, true);
    expect(dry.body).toMatchObject({ format: 'xlsx', rows: 3, valid: 1 });
    expect(dry.body.errors).toEqual([
      { row: 3, field: '所在单位', reason: '社区 450902005002 没有报到单位“不存在的单位”（请先导入单位）' },
      { row: 4, field: '报到日期', reason: '报到社区编码和报到日期须同时填写或同时留空' },
    ]);
    const goodBook = new ExcelJS.Workbook();
    const goodSheet = goodBook.addWorksheet('在职党员');
    goodSheet.addRow(['单位报到社区编码', '所在单位', '姓名', '电话', '报到社区编码', '报到日期']);
    goodSheet.addRow(['450902005002', '导入测试医院', '刘医生', '13800005678', '450902005001', '2026-04-01']);
    const ok = await upload(db(), TEST_ADMIN, 'party-members', new Uint8Array(await goodBook.xlsx.writeBuffer()), false);
    expect(ok.body).toMatchObject({ committed: true, inserted: 1 });
    const [m] = await db().rows<{ community_code: string; reported_on: string }>(sql`SELECT community_code, to_char(reported_on, 'YYYY-MM-DD') AS reported_on FROM party_members WHERE name = '刘医生'`);
    expect(m).toEqual({ community_code: '450902005001', reported_on: '2026-04-01' });
  });
});
