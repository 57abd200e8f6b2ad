/**
 * 双报到 imports on party-orgs' table-import framework (server/imports): reporting units
 * (matched by community + name: updated if there, added if not) and in-service members
 * (matched by unit + name). Each row is checked against the importer's jurisdiction;
 * the framework gives the dry-run report and the all-or-nothing commit.
 */
import { sql } from 'drizzle-orm';
import { executeRows } from '../../db/client';
import { UNIT_KINDS, type UnitKind } from '../../kernel/partyService';
import { withinOwnArea } from '../../kernel/roles';
import { defineImportEntity, type ImportColumn, type ImportContext, type RowError } from '../imports/importEntity';
import { columnLabels, RowCells } from '../imports/rowCells';

const UNIT_COLUMNS: readonly ImportColumn[] = [
  { key: 'communityCode', header: '报到社区编码', required: true, example: '450902005001' },
  { key: 'name', header: '单位名称', required: true, example: '玉林市第一中学党委' },
  { key: 'kind', header: '单位类型', required: true, example: '事业单位', note: UNIT_KINDS.join('、') },
  { key: 'contactName', header: '联系人', example: '王建华' },
  { key: 'contactPhone', header: '联系电话', example: '13900001234' },
  { key: 'memberCount', header: '在职党员数', required: true, example: '25' },
  { key: 'reportedOn', header: '报到日期', required: true, example: '2026-03-01' },
];
const UNIT_LABELS = columnLabels(UNIT_COLUMNS);

interface UnitRow {
  communityCode: string;
  name: string;
  kind: UnitKind;
  contactName: string | null;
  contactPhone: string | null;
  memberCount: number;
  reportedOn: string;
}

interface CommunitiesContext extends ImportContext {
  communities: Set<string>;
}

const communityProblem = (ctx: CommunitiesContext, r: RowCells, key: string, code: string) => {
  if (code === '') return r.fail(key, `${UNIT_LABELS[key] ?? '社区编码'}不能为空`);
  if (!ctx.communities.has(code)) return r.fail(key, `社区 ${code} 不存在`);
  if (ctx.user && !withinOwnArea(ctx.user, code)) return r.fail(key, `社区 ${code} 不在您的管辖范围内`);
  return code;
};

export const unitImport = defineImportEntity<UnitRow, CommunitiesContext>({
  key: 'party-units',
  label: '双报到单位',
  columns: UNIT_COLUMNS,
  async prepare(db, user) {
    const rows = await executeRows<{ code: string }>(db, sql`SELECT code FROM regions WHERE level = 'community'`);
    return { user, communities: new Set(rows.map((r) => r.code)) };
  },
  parseRow(cells, ctx) {
    const r = new RowCells(cells, UNIT_LABELS);
    const communityCode = communityProblem(ctx, r, 'communityCode', r.raw('communityCode'));
    const name = r.name('name', { required: true, max: 60 });
    const kind = r.choice('kind', UNIT_KINDS, { required: true });
    const contactName = r.name('contactName', { max: 30 });
    const contactPhone = r.phone('contactPhone');
    const memberCount = r.int('memberCount', { required: true, max: 100_000 });
    const reportedOn = r.date('reportedOn', { required: true });
    return r.result<UnitRow>({ communityCode: communityCode!, name: name!, kind: kind!, contactName, contactPhone, memberCount: memberCount!, reportedOn: reportedOn! });
  },
  checkAll(rows) {
    const errors: RowError[] = [];
    const seen = new Map<string, number>();
    for (const { row, value } of rows) {
      const key = `${value.communityCode}|${value.name}`;
      const at = seen.get(key);
      if (at !== undefined) errors.push({ row, field: 'name', reason: `与第 ${at} 行重复（同一社区和单位名称）` });
      else seen.set(key, row);
    }
    return errors;
  },
  async write(tx, rows) {
    let inserted = 0;
    for (const u of rows) {
      const [res] = await executeRows<{ id: number }>(
        tx,
        sql`UPDATE party_units SET kind = ${u.kind}, contact_name = ${u.contactName}, contact_phone = ${u.contactPhone}, member_count = ${u.memberCount}, reported_on = ${u.reportedOn}::date
            WHERE community_code = ${u.communityCode} AND name = ${u.name} RETURNING id`,
      );
      if (res) continue;
      await tx.execute(sql`INSERT INTO party_units (name, kind, community_code, contact_name, contact_phone, member_count, reported_on)
        VALUES (${u.name}, ${u.kind}, ${u.communityCode}, ${u.contactName}, ${u.contactPhone}, ${u.memberCount}, ${u.reportedOn}::date)`);
      inserted++;
    }
    return { inserted, updated: rows.length - inserted };
  },
});

const MEMBER_COLUMNS: readonly ImportColumn[] = [
  { key: 'unitCommunityCode', header: '单位报到社区编码', required: true, example: '450902005001' },
  { key: 'unitName', header: '所在单位', required: true, example: '玉林市第一中学党委' },
  { key: 'name', header: '姓名', required: true, example: '李海燕' },
  { key: 'phone', header: '电话', example: '13900001234' },
  { key: 'communityCode', header: '报到社区编码', example: '450902005002', note: '居住地社区；未报到留空' },
  { key: 'reportedOn', header: '报到日期', example: '2026-04-01', note: '与报到社区同时填写或同时留空' },
];
const MEMBER_LABELS = columnLabels(MEMBER_COLUMNS);

interface MemberRow {
  unitId: number;
  name: string;
  phone: string | null;
  communityCode: string | null;
  reportedOn: string | null;
}

interface MembersContext extends CommunitiesContext {
  units: Map<string, number>;
}

export const memberImport = defineImportEntity<MemberRow, MembersContext>({
  key: 'party-members',
  label: '在职党员（双报到）',
  columns: MEMBER_COLUMNS,
  async prepare(db, user) {
    const [communities, units] = await Promise.all([
      executeRows<{ code: string }>(db, sql`SELECT code FROM regions WHERE level = 'community'`),
      executeRows<{ key: string; id: number }>(db, sql`SELECT community_code || '|' || name AS key, id FROM party_units`),
    ]);
    return { user, communities: new Set(communities.map((r) => r.code)), units: new Map(units.map((u) => [u.key, Number(u.id)])) };
  },
  parseRow(cells, ctx) {
    const r = new RowCells(cells, MEMBER_LABELS);
    const unitCommunity = r.raw('unitCommunityCode');
    const unitName = r.raw('unitName');
    const unitId = ctx.units.get(`${unitCommunity}|${unitName}`);
    if (unitCommunity === '' || unitName === '') r.fail('unitName', '所在单位和单位报到社区编码不能为空');
    else if (unitId === undefined) r.fail('unitName', `社区 ${unitCommunity} 没有报到单位“${unitName}”（请先导入单位）`);
    const name = r.name('name', { required: true, max: 30 });
    const phone = r.phone('phone');
    const code = r.raw('communityCode');
    const communityCode = code === '' ? null : communityProblem(ctx, r, 'communityCode', code);
    const reportedOn = r.date('reportedOn');
    if ((code === '') !== (r.raw('reportedOn') === '')) r.fail('reportedOn', '报到社区编码和报到日期须同时填写或同时留空');
    if (code === '' && ctx.user && unitCommunity && !withinOwnArea(ctx.user, unitCommunity)) r.fail('unitCommunityCode', `社区 ${unitCommunity} 不在您的管辖范围内`);
    return r.result<MemberRow>({ unitId: unitId!, name: name!, phone, communityCode, reportedOn });
  },
  checkAll(rows) {
    const errors: RowError[] = [];
    const seen = new Map<string, number>();
    for (const { row, value } of rows) {
      const key = `${value.unitId}|${value.name}`;
      const at = seen.get(key);
      if (at !== undefined) errors.push({ row, field: 'name', reason: `与第 ${at} 行重复（同一单位和姓名）` });
      else seen.set(key, row);
    }
    return errors;
  },
  async write(tx, rows) {
    let inserted = 0;
    for (const m of rows) {
      const [res] = await executeRows<{ id: number }>(
        tx,
        sql`UPDATE party_members SET phone = ${m.phone}, community_code = ${m.communityCode}, reported_on = ${m.reportedOn}::date WHERE unit_id = ${m.unitId} AND name = ${m.name} RETURNING id`,
      );
      if (res) continue;
      await tx.execute(sql`INSERT INTO party_members (name, unit_id, phone, community_code, reported_on) VALUES (${m.name}, ${m.unitId}, ${m.phone}, ${m.communityCode}, ${m.reportedOn}::date)`);
      inserted++;
    }
    return { inserted, updated: rows.length - inserted };
  },
});
