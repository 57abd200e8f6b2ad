/**
 * 网格队伍 import: one row per person of a grid's roster, matched by grid + role + name
 * (updated if there, added if not), optionally linked to a sign-in account by username;
 * 公开字段 lists what the public page and the 民情联系卡 show. Photos are uploaded on the
 * roster page, not imported.
 */
import { sql } from 'drizzle-orm';
import { executeRows } from '../../db/client';
import { withinOwnArea } from '../../kernel/roles';
import { PUBLIC_FIELD_LABELS, PUBLIC_FIELDS, type PublicField, ROSTER_ROLE_LABELS, ROSTER_ROLES, type RosterRole, rosterRoleFrom } from '../../kernel/rosterRoles';
import { defineImportEntity, type ImportColumn, type ImportContext, type RowError } from '../imports/importEntity';
import { columnLabels, RowCells } from '../imports/rowCells';

const COLUMNS: readonly ImportColumn[] = [
  { key: 'gridCode', header: '网格编码', required: true, example: '450902005001001' },
  { key: 'role', header: '岗位', required: true, example: '网格长', note: ROSTER_ROLES.map((r) => ROSTER_ROLE_LABELS[r]).join('、') },
  { key: 'name', header: '姓名', required: true, example: '王建华' },
  { key: 'phone', header: '电话', example: '13900001234' },
  { key: 'duties', header: '职责', example: '统筹网格内党建、治理和服务工作' },
  { key: 'building', header: '负责楼栋', example: '', note: '楼栋长填写，如 3号楼' },
  { key: 'partyMember', header: '党员', example: '是', note: '是/否' },
  { key: 'username', header: '关联账号', example: '', note: '网格员登录账号（用户名），可留空' },
  { key: 'public', header: '公开字段', example: '姓名、电话、职责', note: `公开页和联系卡显示的字段：${PUBLIC_FIELDS.map((f) => PUBLIC_FIELD_LABELS[f]).join('、')}，用顿号分隔` },
];
const LABELS = columnLabels(COLUMNS);
const FIELD_BY_LABEL = Object.fromEntries(PUBLIC_FIELDS.map((f) => [PUBLIC_FIELD_LABELS[f], f])) as Record<string, PublicField>;

export interface RosterRow {
  gridId: number;
  role: RosterRole;
  name: string;
  phone: string | null;
  duties: string | null;
  building: string | null;
  partyMember: boolean;
  userId: number | null;
  publicFields: PublicField[];
}

interface RosterContext extends ImportContext {
  grids: Map<string, number>;
  accounts: Map<string, { id: number; role: string }>;
}

export const rosterImport = defineImportEntity<RosterRow, RosterContext>({
  key: 'rosters',
  label: '网格队伍',
  columns: COLUMNS,
  async prepare(db, user) {
    const [grids, accounts] = await Promise.all([
      executeRows<{ code: string; id: number }>(db, sql`SELECT code, id FROM grids`),
      executeRows<{ username: string; id: number; role: string }>(db, sql`SELECT lower(username) AS username, id, role::text FROM users`),
    ]);
    return { user, grids: new Map(grids.map((g) => [g.code, g.id])), accounts: new Map(accounts.map((a) => [a.username, { id: a.id, role: a.role }])) };
  },
  parseRow(cells, ctx) {
    const r = new RowCells(cells, LABELS);
    const gridCode = r.raw('gridCode');
    const gridId = ctx.grids.get(gridCode);
    if (gridCode === '') r.fail('gridCode', '网格编码不能为空');
    else if (gridId === undefined) r.fail('gridCode', `网格 ${gridCode} 不存在`);
    else if (ctx.user && !withinOwnArea(ctx.user, gridCode)) r.fail('gridCode', `网格 ${gridCode} 不在您的管辖范围内`);
    const role = r.raw('role') === '' ? r.fail('role', '岗位不能为空') : rosterRoleFrom(r.raw('role'));
    if (r.raw('role') !== '' && role === null) r.fail('role', `岗位只能取 ${ROSTER_ROLES.map((x) => ROSTER_ROLE_LABELS[x]).join('、')}，实际为“${r.raw('role')}”`);
    const name = r.name('name', { required: true, max: 30 });
    const phone = r.phone('phone');
    const duties = r.text('duties', 200);
    const building = r.text('building', 40);
    const partyMember = r.bool('partyMember');
    const username = r.raw('username').toLowerCase();
    const account = username ? ctx.accounts.get(username) : undefined;
    if (username && !account) r.fail('username', `账号 ${r.raw('username')} 不存在`);
    else if (account && account.role !== 'grid_worker') r.fail('username', `账号 ${r.raw('username')} 不是网格员账号`);
    const publicFields: PublicField[] = [];
    for (const part of r
      .raw('public')
      .split(/[、,，;；\s]+/)
      .filter(Boolean)) {
      const field = FIELD_BY_LABEL[part] ?? (PUBLIC_FIELDS as readonly string[]).find((f) => f === part);
      if (!field) r.fail('public', `公开字段只能取 ${Object.keys(FIELD_BY_LABEL).join('、')}，实际为“${part}”`);
      else if (!publicFields.includes(field as PublicField)) publicFields.push(field as PublicField);
    }
    return r.result<RosterRow>({
      gridId: gridId!,
      role: role!,
      name: name!,
      phone,
      duties,
      building,
      partyMember: partyMember ?? false,
      userId: account?.id ?? null,
      publicFields: r.raw('public') === '' ? ['name', 'duties'] : publicFields,
    });
  },
  checkAll(rows) {
    const errors: RowError[] = [];
    const seen = new Map<string, number>();
    for (const { row, value } of rows) {
      const key = `${value.gridId}|${value.role}|${value.name}`;
      const at = seen.get(key);
      if (at !== undefined) errors.push({ row, field: 'name', reason: `与第 ${at} 行重复（同一网格、岗位和姓名）` });
      else seen.set(key, row);
    }
    return errors;
  },
  async write(tx, rows, _ctx, actor) {
    let inserted = 0;
    for (const r of rows) {
      const [res] = await executeRows<{ id: number }>(
        tx,
        sql`
        UPDATE grid_roster SET phone = ${r.phone}, duties = ${r.duties}, building = ${r.building}, party_member = ${r.partyMember}, user_id = ${r.userId},
          public_fields = ${JSON.stringify(r.publicFields)}::jsonb, updated_at = now(), updated_by = ${actor}
        WHERE grid_id = ${r.gridId} AND role = ${r.role} AND name = ${r.name} RETURNING id`,
      );
      if (res) continue;
      await tx.execute(sql`
        INSERT INTO grid_roster (grid_id, role, name, phone, duties, building, party_member, user_id, public_fields, sort, updated_by)
        VALUES (${r.gridId}, ${r.role}, ${r.name}, ${r.phone}, ${r.duties}, ${r.building}, ${r.partyMember}, ${r.userId}, ${JSON.stringify(r.publicFields)}::jsonb,
                (SELECT coalesce(max(sort), 0) + 1 FROM grid_roster WHERE grid_id = ${r.gridId}), ${actor})`);
      inserted++;
    }
    return { inserted, updated: rows.length - inserted };
  },
});
