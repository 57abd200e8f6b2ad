/**
 * 党组织 import: one row per organisation, upserted by its code; the parent by code (in
 * the database or elsewhere in the same file, any order), checked against the tree rule
 * (kernel/partyOrgs.ts) and for cycles; the place by grid, estate or region code; a
 * planner only inside their jurisdiction.
 */
import { sql } from 'drizzle-orm';
import { executeRows } from '../../db/client';
import { ATTACH_LABELS, PARTY_ORG_ATTACH, PARTY_ORG_KINDS, type PartyOrgAttach, type PartyOrgKind, parentRuleViolation } from '../../kernel/partyOrgs';
import { withinJurisdiction } from '../../kernel/roles';
import { defineImportEntity, type ImportColumn, type ImportContext, type RowError } from '../imports/importEntity';
import { columnLabels, RowCells } from '../imports/rowCells';

const COLUMNS: readonly ImportColumn[] = [
  { key: 'code', header: '组织编码', required: true, example: '450902005001001-ZB', note: '唯一编码；已存在则更新' },
  { key: 'name', header: '组织名称', required: true, example: '五里桥社区第1网格党支部' },
  { key: 'kind', header: '组织类别', required: true, example: '党支部', note: PARTY_ORG_KINDS.join('、') },
  { key: 'parentCode', header: '上级组织编码', example: '450902005001-DZZ', note: '党总支、党支部、党小组必填；可引用本文件中的其他行' },
  { key: 'attach', header: '挂靠类型', required: true, example: '网格', note: Object.values(ATTACH_LABELS).join('、') },
  { key: 'regionCode', header: '所属区域编码', example: '450902005001', note: '街道（9 位）或社区（12 位）；挂靠网格或小区时可留空' },
  { key: 'gridCode', header: '网格编码', example: '450902005001001', note: '挂靠网格或楼栋时填写' },
  { key: 'estateCode', header: '小区编码', example: '', note: '挂靠小区时填写' },
  { key: 'building', header: '楼栋', example: '', note: '挂靠楼栋时填写，如 3号楼' },
  { key: 'joint', header: '联合组建', example: '否', note: '是/否' },
  { key: 'secretary', header: '书记', example: '王建华' },
  { key: 'secretaryPhone', header: '书记电话', example: '13900001234' },
  { key: 'members', header: '党员数', example: '12' },
  { key: 'foundedOn', header: '成立日期', example: '2021-07-01' },
];
const LABELS = columnLabels(COLUMNS);
const ATTACH_BY_LABEL = Object.fromEntries(PARTY_ORG_ATTACH.map((a) => [ATTACH_LABELS[a], a])) as Record<string, PartyOrgAttach>;

export interface OrgRow {
  code: string;
  name: string;
  kind: PartyOrgKind;
  parentCode: string | null;
  attach: PartyOrgAttach;
  regionCode: string;
  gridId: number | null;
  estateId: number | null;
  building: string | null;
  joint: boolean;
  secretary: string | null;
  secretaryPhone: string | null;
  members: number;
  foundedOn: string | null;
}

interface OrgContext extends ImportContext {
  existing: Map<string, { kind: PartyOrgKind; parentCode: string | null }>;
  regions: Map<string, string>;
  grids: Map<string, { id: number; community: string }>;
  estates: Map<string, { id: number; community: string }>;
}

export const orgImport = defineImportEntity<OrgRow, OrgContext>({
  key: 'organisations',
  label: '党组织',
  columns: COLUMNS,
  async prepare(db, user) {
    const [orgs, regions, grids, estates] = await Promise.all([
      executeRows<{ code: string; kind: PartyOrgKind; parent_code: string | null }>(db, sql`SELECT o.code, o.kind, p.code AS parent_code FROM party_orgs o LEFT JOIN party_orgs p ON p.id = o.parent_id`),
      executeRows<{ code: string; level: string }>(db, sql`SELECT code, level::text FROM regions WHERE level IN ('street', 'community')`),
      executeRows<{ code: string; id: number; community_code: string }>(db, sql`SELECT code, id, community_code FROM grids`),
      executeRows<{ code: string; id: number; community_code: string }>(db, sql`SELECT code, id, community_code FROM estates`),
    ]);
    return {
      user,
      existing: new Map(orgs.map((o) => [o.code, { kind: o.kind, parentCode: o.parent_code }])),
      regions: new Map(regions.map((r) => [r.code, r.level])),
      grids: new Map(grids.map((g) => [g.code, { id: g.id, community: g.community_code }])),
      estates: new Map(estates.map((e) => [e.code, { id: e.id, community: e.community_code }])),
    };
  },
  parseRow(cells, ctx) {
    const r = new RowCells(cells, LABELS);
    const code = r.raw('code');
    if (code === '') r.fail('code', '组织编码不能为空');
    else if (!/^[A-Za-z0-9_-]{1,40}$/.test(code)) r.fail('code', '组织编码应为 1~40 位字母、数字、- 或 _');
    const name = r.name('name', { required: true, max: 80 });
    const kind = r.choice('kind', PARTY_ORG_KINDS, { required: true });
    const attachLabel = r.choice('attach', Object.keys(ATTACH_BY_LABEL), { required: true });
    const attach = attachLabel ? ATTACH_BY_LABEL[attachLabel]! : null;
    const gridCode = r.raw('gridCode');
    const estateCode = r.raw('estateCode');
    const grid = gridCode ? ctx.grids.get(gridCode) : undefined;
    const estate = estateCode ? ctx.estates.get(estateCode) : undefined;
    if (gridCode && !grid) r.fail('gridCode', `网格 ${gridCode} 不存在`);
    if (estateCode && !estate) r.fail('estateCode', `小区 ${estateCode} 不存在`);
    if ((attach === 'grid' || attach === 'building') && !gridCode) r.fail('gridCode', `挂靠${ATTACH_LABELS[attach]}时网格编码不能为空`);
    if (attach === 'estate' && !estateCode) r.fail('estateCode', '挂靠小区时小区编码不能为空');
    const building = r.text('building', 40, { required: attach === 'building' });
    let regionCode = r.raw('regionCode') || grid?.community || estate?.community || '';
    if (r.raw('regionCode') && !ctx.regions.has(r.raw('regionCode'))) r.fail('regionCode', `区域 ${r.raw('regionCode')} 不存在（应为街道或社区代码）`);
    else if (!regionCode && attach === 'region') r.fail('regionCode', '挂靠区域时所属区域编码不能为空');
    if (grid && r.raw('regionCode') && !grid.community.startsWith(r.raw('regionCode'))) r.fail('gridCode', `网格 ${gridCode} 不在区域 ${r.raw('regionCode')} 内`);
    if (regionCode && ctx.user && !withinJurisdiction(ctx.user, regionCode)) r.fail('regionCode', `区域 ${regionCode} 不在您的管辖范围内`);
    if (!regionCode) regionCode = '';
    const joint = r.bool('joint');
    const secretary = r.name('secretary', { max: 30 });
    const secretaryPhone = r.phone('secretaryPhone');
    const members = r.int('members', { max: 100_000 });
    const foundedOn = r.date('foundedOn');
    return r.result<OrgRow>({
      code,
      name: name!,
      kind: kind!,
      parentCode: r.raw('parentCode') || null,
      attach: attach!,
      regionCode,
      gridId: grid?.id ?? null,
      estateId: estate?.id ?? null,
      building,
      joint: joint ?? false,
      secretary,
      secretaryPhone,
      members: members ?? 0,
      foundedOn,
    });
  },
  checkAll(rows, ctx) {
    const errors: RowError[] = [];
    const inFile = new Map<string, { row: number; value: OrgRow }>();
    for (const r of rows) {
      const first = inFile.get(r.value.code);
      if (first) errors.push({ row: r.row, field: 'code', reason: `组织编码 ${r.value.code} 与第 ${first.row} 行重复` });
      else inFile.set(r.value.code, r);
    }
    const kindOf = (code: string) => inFile.get(code)?.value.kind ?? ctx.existing.get(code)?.kind;
    const parentOf = (code: string) => (inFile.has(code) ? inFile.get(code)!.value.parentCode : (ctx.existing.get(code)?.parentCode ?? null));
    for (const { row, value } of rows) {
      if (value.parentCode !== null && kindOf(value.parentCode) === undefined) {
        errors.push({ row, field: 'parentCode', reason: `上级组织 ${value.parentCode} 不存在（数据库和本文件中都没有）` });
        continue;
      }
      const violation = parentRuleViolation(value.kind, value.parentCode === null ? null : kindOf(value.parentCode)!);
      if (violation) errors.push({ row, field: 'parentCode', reason: violation });
      const seen = new Set([value.code]);
      for (let up = value.parentCode; up !== null; up = parentOf(up)) {
        if (seen.has(up)) {
          errors.push({ row, field: 'parentCode', reason: `上级关系形成循环（${[...seen].join(' → ')} → ${up}）` });
          break;
        }
        seen.add(up);
      }
    }
    return errors;
  },
  async write(tx, rows, ctx, actor) {
    // Parents before children: by depth within the file.
    const codes = new Map(rows.map((r) => [r.code, r]));
    const depth = (r: OrgRow, n = 0): number => (r.parentCode && codes.has(r.parentCode) && n < 50 ? depth(codes.get(r.parentCode)!, n + 1) + 1 : 0);
    const ordered = [...rows].sort((a, b) => depth(a) - depth(b));
    let inserted = 0;
    for (const r of ordered) {
      const [res] = await executeRows<{ inserted: boolean }>(
        tx,
        sql`
        INSERT INTO party_orgs (code, name, kind, parent_id, attach_kind, region_code, grid_id, estate_id, building, joint, secretary, secretary_phone, members, founded_on, updated_at, updated_by)
        VALUES (${r.code}, ${r.name}, ${r.kind}, (SELECT id FROM party_orgs WHERE code = ${r.parentCode}), ${r.attach}, ${r.regionCode}, ${r.gridId}, ${r.estateId}, ${r.building},
                ${r.joint}, ${r.secretary}, ${r.secretaryPhone}, ${r.members}, ${r.foundedOn}::date, now(), ${actor})
        ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, parent_id = excluded.parent_id, attach_kind = excluded.attach_kind,
          region_code = excluded.region_code, grid_id = excluded.grid_id, estate_id = excluded.estate_id, building = excluded.building, joint = excluded.joint,
          secretary = excluded.secretary, secretary_phone = excluded.secretary_phone, members = excluded.members, founded_on = excluded.founded_on,
          updated_at = now(), updated_by = excluded.updated_by
        RETURNING (xmax = 0) AS inserted`,
      );
      if (res?.inserted) inserted++;
    }
    void ctx;
    return { inserted, updated: rows.length - inserted };
  },
});
