/**
 * A grid's people: its organisation (and the chain above it), its roster (网格长, 网格员,
 * 指导员, 楼栋长) and its 1+1带N pairs, as the reader's personal-data view allows; the
 * public view of the same grid shows only the fields each entry marks 公开; the roster
 * photo, small, re-encoded (no metadata) from a JPEG/PNG/WebP told by its magic bytes.
 */
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import type { DbHandle } from '../../db/client';
import { nameFor, phoneFor } from '../../kernel/personalData';
import { sniffImageType } from '../../kernel/photos';
import { type SessionUser, withinOwnArea } from '../../kernel/roles';
import type { PublicField, RosterRole } from '../../kernel/rosterRoles';
import { peopleView } from '../auth/personalData';
import { DomainError, ForbiddenError, NotFoundError } from '../http/domainError';
import { ORG_SELECT, orgNode, type PartyOrgNode } from './orgTree';

export interface RosterEntry {
  id: number;
  role: RosterRole;
  name: string | null;
  phone: string | null;
  duties: string | null;
  building: string | null;
  partyMember: boolean;
  username: string | null;
  hasPhoto: boolean;
  publicFields: PublicField[];
}

export interface RosterPair {
  id: number;
  memberName: string | null;
  memberPhone: string | null;
  workerId: number;
  workerName: string | null;
  households: number;
}

export interface GridPeople {
  grid: { code: string; name: string; communityCode: string; communityName: string; streetName: string };
  /** The grid's own organisations (网格党支部, 楼宇党小组) and their ancestors, root first. */
  organisations: PartyOrgNode[];
  roster: RosterEntry[];
  pairs: RosterPair[];
  personalDataWithheld: boolean;
}

interface GridRow {
  id: number;
  code: string;
  name: string;
  community_code: string;
  community_name: string;
  street_name: string;
}

async function gridByCode(db: DbHandle, code: string): Promise<GridRow> {
  const [grid] = await db.rows<GridRow>(sql`
    SELECT g.id, g.code, g.name, g.community_code, c.name AS community_name, s.name AS street_name
    FROM grids g JOIN regions c ON c.code = g.community_code JOIN regions s ON s.code = g.street_code WHERE g.code = ${code}`);
  if (!grid) throw new NotFoundError(`网格 ${code} 不存在`);
  return grid;
}

interface RosterRowDb {
  id: number;
  role: RosterRole;
  name: string;
  phone: string | null;
  duties: string | null;
  building: string | null;
  party_member: boolean;
  username: string | null;
  has_photo: boolean;
  public_fields: PublicField[];
}

const rosterRows = (db: DbHandle, gridId: number) =>
  db.rows<RosterRowDb>(sql`
    SELECT r.id, r.role, r.name, r.phone, r.duties, r.building, r.party_member, u.username, r.photo IS NOT NULL AS has_photo, r.public_fields
    FROM grid_roster r LEFT JOIN users u ON u.id = r.user_id WHERE r.grid_id = ${gridId}
    ORDER BY array_position(ARRAY['grid_leader','full_time','part_time','instructor','building_leader'], r.role), r.sort, r.id`);

export async function gridPeople(db: DbHandle, reader: SessionUser | null, code: string): Promise<GridPeople> {
  const grid = await gridByCode(db, code);
  const view = peopleView(reader, grid.code);
  const [orgs, roster, pairs] = await Promise.all([
    db.rows<Parameters<typeof orgNode>[1]>(sql`
      WITH RECURSIVE chain AS (
        SELECT id, parent_id, 0 AS depth FROM party_orgs WHERE grid_id = ${grid.id}
        UNION
        SELECT p.id, p.parent_id, c.depth + 1 FROM party_orgs p JOIN chain c ON c.parent_id = p.id)
      ${ORG_SELECT} JOIN (SELECT id, max(depth) AS depth FROM chain GROUP BY id) ch ON ch.id = o.id
      ORDER BY ch.depth DESC, o.code`),
    rosterRows(db, grid.id),
    db.rows<{ id: number; member_name: string; member_phone: string | null; worker_id: number; worker_name: string; households: number }>(sql`
      SELECT p.id, p.member_name, p.member_phone, p.worker_id, r.name AS worker_name, p.households
      FROM roster_pairs p JOIN grid_roster r ON r.id = p.worker_id WHERE p.grid_id = ${grid.id} ORDER BY p.id`),
  ]);
  return {
    grid: { code: grid.code, name: grid.name, communityCode: grid.community_code, communityName: grid.community_name, streetName: grid.street_name },
    organisations: orgs.map((o) => orgNode(reader, o)),
    roster: roster.map((r) => ({
      id: r.id,
      role: r.role,
      name: nameFor(view, r.name),
      phone: phoneFor(view, r.phone),
      duties: r.duties,
      building: r.building,
      partyMember: r.party_member,
      username: view.names ? r.username : null,
      hasPhoto: r.has_photo,
      publicFields: r.public_fields,
    })),
    pairs: pairs.map((p) => ({
      id: p.id,
      memberName: nameFor(view, p.member_name),
      memberPhone: phoneFor(view, p.member_phone),
      workerId: p.worker_id,
      workerName: nameFor(view, p.worker_name),
      households: p.households,
    })),
    personalDataWithheld: !view.names,
  };
}

export interface PublicRosterEntry {
  id: number;
  role: RosterRole;
  name: string | null;
  phone: string | null;
  duties: string | null;
  hasPhoto: boolean;
}

/** What anyone may see of a grid (/g/<code>): names, grid leader and the 公开 fields only; phones published in full when marked so. */
export async function publicGrid(db: DbHandle, code: string): Promise<{ grid: GridPeople['grid']; organisation: string | null; roster: PublicRosterEntry[] }> {
  const grid = await gridByCode(db, code);
  const [org] = await db.rows<{ name: string }>(sql`SELECT name FROM party_orgs WHERE grid_id = ${grid.id} AND attach_kind = 'grid' ORDER BY id LIMIT 1`);
  const roster = (await rosterRows(db, grid.id))
    .filter((r) => r.public_fields.includes('name'))
    .map((r) => ({
      id: r.id,
      role: r.role,
      name: r.name,
      phone: r.public_fields.includes('phone') ? r.phone : null,
      duties: r.public_fields.includes('duties') ? r.duties : null,
      hasPhoto: r.has_photo && r.public_fields.includes('photo'),
    }));
  return { grid: { code: grid.code, name: grid.name, communityCode: grid.community_code, communityName: grid.community_name, streetName: grid.street_name }, organisation: org?.name ?? null, roster };
}

/** A roster photo: for readers of the grid's people, or anyone when the entry publishes its photo. */
export async function rosterPhoto(db: DbHandle, reader: SessionUser | null, gridCode: string | null, id: number): Promise<{ mime: string; data: Uint8Array }> {
  const [row] = await db.rows<{ grid_code: string; photo_mime: string | null; photo: Uint8Array | null; public_fields: string[] }>(sql`
    SELECT g.code AS grid_code, r.photo_mime, r.photo, r.public_fields FROM grid_roster r JOIN grids g ON g.id = r.grid_id WHERE r.id = ${id}`);
  if (!row?.photo || !row.photo_mime || (gridCode !== null && row.grid_code !== gridCode)) throw new NotFoundError('没有这张照片');
  const allowed = gridCode !== null ? row.public_fields.includes('photo') && row.public_fields.includes('name') : peopleView(reader, row.grid_code).names;
  if (!allowed) throw new NotFoundError('没有这张照片');
  return { mime: row.photo_mime, data: row.photo };
}

export const ROSTER_PHOTO_MAX_BYTES = 5 * 1024 * 1024;

/** Stores a roster photo (editors of the grid's area): re-encoded as a 240×320 JPEG without metadata. */
export async function putRosterPhoto(db: DbHandle, user: SessionUser | null, id: number, bytes: Uint8Array): Promise<{ id: number; bytes: number }> {
  const [row] = await db.rows<{ grid_code: string }>(sql`SELECT g.code AS grid_code FROM grid_roster r JOIN grids g ON g.id = r.grid_id WHERE r.id = ${id}`);
  if (!row) throw new NotFoundError(`队伍成员 ${id} 不存在`);
  if (!user || !withinOwnArea(user, row.grid_code)) throw new ForbiddenError('只能维护本辖区网格的队伍照片');
  if (bytes.length > ROSTER_PHOTO_MAX_BYTES) throw new DomainError(413, '照片过大', '照片不能超过 5 MB');
  if (!sniffImageType(bytes)) throw new DomainError(415, '不支持的文件类型', '照片应为 JPEG、PNG 或 WebP 图片', { errors: [{ field: 'photo', reason: '文件不是 JPEG、PNG 或 WebP 图片' }] });
  let small: Buffer;
  try {
    small = await sharp(bytes).rotate().resize(240, 320, { fit: 'cover' }).jpeg({ quality: 80 }).toBuffer();
  } catch {
    throw new DomainError(415, '无法读取图片', '图片已损坏或无法解码', { errors: [{ field: 'photo', reason: '图片无法解码' }] });
  }
  await db.rows(sql`UPDATE grid_roster SET photo = ${small}, photo_mime = 'image/jpeg', updated_at = now(), updated_by = ${user.displayName} WHERE id = ${id}`);
  return { id, bytes: small.length };
}
