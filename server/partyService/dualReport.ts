/**
 * 双报到 (issue 16 point 4): units (机关企事业单位) registered at communities and their
 * in-service members registered at their residential communities — lists with
 * personal data per PERSONAL_DATA_POLICY (names withheld outside the reader's rule,
 * phones masked) and the figures per region (kernel/partyService.ts reportRate).
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { nameFor, phoneFor } from '../../kernel/personalData';
import { reportRate, type UnitKind } from '../../kernel/partyService';
import type { SessionUser } from '../../kernel/roles';
import { peopleView } from '../auth/personalData';
import { levelOf } from '../screen/scope';
import { PartyServiceProblem } from './errors';
import { communityPrefix, inRegion, requireRegion } from './regionScope';

interface UnitRow {
  id: number;
  name: string;
  kind: string;
  community_code: string;
  community_name: string;
  contact_name: string | null;
  contact_phone: string | null;
  member_count: number;
  reported_on: string;
  reported_members: number;
}

export async function listUnits(db: DbHandle, reader: SessionUser | null, region: string) {
  await requireRegion(db, region, 'region');
  const rows = await db.rows<UnitRow>(sql`
    SELECT u.id, u.name, u.kind, u.community_code, r.name AS community_name, u.contact_name, u.contact_phone, u.member_count,
           to_char(u.reported_on, 'YYYY-MM-DD') AS reported_on,
           (SELECT count(*)::int FROM party_members m WHERE m.unit_id = u.id AND m.reported_on IS NOT NULL) AS reported_members
    FROM party_units u JOIN regions r ON r.code = u.community_code
    WHERE ${inRegion(sql`u.community_code`, region)} ORDER BY u.community_code, u.name LIMIT 2000`);
  return {
    units: rows.map((r) => {
      const view = peopleView(reader, r.community_code);
      return {
        id: Number(r.id),
        name: r.name,
        kind: r.kind,
        communityCode: r.community_code,
        communityName: r.community_name,
        contactName: nameFor(view, r.contact_name),
        contactPhone: phoneFor(view, r.contact_phone),
        personalDataWithheld: !view.names,
        memberCount: Number(r.member_count),
        reportedMembers: Number(r.reported_members),
        reportedOn: r.reported_on,
      };
    }),
  };
}

export async function listMembers(db: DbHandle, reader: SessionUser | null, region: string) {
  await requireRegion(db, region, 'region');
  const rows = await db.rows<{
    id: number;
    name: string;
    unit_id: number;
    unit_name: string;
    unit_community: string;
    phone: string | null;
    community_code: string | null;
    community_name: string | null;
    reported_on: string | null;
  }>(sql`
    SELECT m.id, m.name, m.unit_id, u.name AS unit_name, u.community_code AS unit_community, m.phone, m.community_code, r.name AS community_name,
           to_char(m.reported_on, 'YYYY-MM-DD') AS reported_on
    FROM party_members m JOIN party_units u ON u.id = m.unit_id LEFT JOIN regions r ON r.code = m.community_code
    WHERE ${inRegion(sql`coalesce(m.community_code, u.community_code)`, region)} ORDER BY m.community_code, m.id LIMIT 5000`);
  return {
    members: rows.map((r) => {
      const view = peopleView(reader, r.community_code ?? r.unit_community);
      return {
        id: Number(r.id),
        name: nameFor(view, r.name),
        phone: phoneFor(view, r.phone),
        personalDataWithheld: !view.names,
        unitId: Number(r.unit_id),
        unitName: r.unit_name,
        communityCode: r.community_code,
        communityName: r.community_name,
        reportedOn: r.reported_on,
      };
    }),
  };
}

export interface UnitInput {
  name: string;
  kind: UnitKind;
  communityCode: string;
  contactName?: string | null | undefined;
  contactPhone?: string | null | undefined;
  memberCount: number;
  reportedOn: string;
  lon?: number | undefined;
  lat?: number | undefined;
}

/** A unit reports at a community: its planner/dispatcher or an admin registers it. */
export async function createUnit(db: DbHandle, user: SessionUser, input: UnitInput): Promise<{ id: number }> {
  await requireRegion(db, input.communityCode, 'communityCode', true);
  assertCommunityStaff(user, input.communityCode);
  const location = input.lon !== undefined && input.lat !== undefined ? sql`ST_SetSRID(ST_MakePoint(${input.lon}, ${input.lat}), 4326)` : sql`NULL`;
  const [row] = await db.rows<{ id: number }>(sql`
    INSERT INTO party_units (name, kind, community_code, contact_name, contact_phone, member_count, reported_on, location)
    VALUES (${input.name}, ${input.kind}, ${input.communityCode}, ${input.contactName ?? null}, ${input.contactPhone ?? null}, ${input.memberCount}, ${input.reportedOn}::date, ${location})
    RETURNING id`);
  return { id: Number(row!.id) };
}

export interface MemberInput {
  name: string;
  unitId: number;
  phone?: string | null | undefined;
  communityCode?: string | null | undefined;
  reportedOn?: string | null | undefined;
}

export async function createMember(db: DbHandle, user: SessionUser, input: MemberInput): Promise<{ id: number }> {
  const [unit] = await db.rows<{ community_code: string }>(sql`SELECT community_code FROM party_units WHERE id = ${input.unitId}`);
  if (!unit) throw new PartyServiceProblem(404, 'unitId', `报到单位 ${input.unitId} 不存在`);
  const community = input.communityCode ?? null;
  if (community) await requireRegion(db, community, 'communityCode', true);
  if ((community === null) !== (input.reportedOn == null)) throw new PartyServiceProblem(422, 'reportedOn', '报到社区和报到日期须同时填写或同时留空');
  assertCommunityStaff(user, community ?? unit.community_code);
  const [row] = await db.rows<{ id: number }>(sql`
    INSERT INTO party_members (name, unit_id, phone, community_code, reported_on)
    VALUES (${input.name}, ${input.unitId}, ${input.phone ?? null}, ${community}, ${input.reportedOn ?? null}::date) RETURNING id`);
  return { id: Number(row!.id) };
}

function assertCommunityStaff(user: SessionUser, communityCode: string) {
  const ok = user.role === 'admin' || ((user.role === 'planner' || user.role === 'dispatcher') && !!user.jurisdictionCode && communityCode.startsWith(user.jurisdictionCode));
  if (!ok) throw new PartyServiceProblem(403, 'communityCode', '只能登记本辖区社区的报到单位和党员');
}

export interface DualReportFigures {
  code: string;
  name: string;
  /** Units registered at the region's communities. */
  units: number;
  /** Members who reported at the region's communities (by where they reported). */
  membersReported: number;
  /** 报到率 inputs: members of the region's units who reported anywhere ÷ those units' member counts. */
  unitMembers: number;
  unitMembersReported: number;
  reportRate: number | null;
  /** Services done: confirmed 红绳/微心愿 plus completed 共建项目 of the region's communities. */
  wishesConfirmed: number;
  projectsDone: number;
  servicesDone: number;
}

/** The key of the child a community code belongs to, one level below `code`. */
function childLength(code: string): number | null {
  const level = levelOf(code);
  if (level === 'city') return 6;
  if (level === 'district') return 9;
  if (level === 'street') return 12;
  return null;
}

async function figuresBy(db: DbHandle, code: string, keyLength: number): Promise<Map<string, Omit<DualReportFigures, 'name'>>> {
  const prefix = `${communityPrefix(code)}%`;
  const rows = await db.rows<Record<string, string | number>>(sql`
    WITH u AS (
      SELECT left(u.community_code, ${keyLength}) AS k, count(*)::int AS units, coalesce(sum(u.member_count), 0)::int AS unit_members,
             coalesce(sum((SELECT count(*) FROM party_members m WHERE m.unit_id = u.id AND m.reported_on IS NOT NULL)), 0)::int AS unit_members_reported
      FROM party_units u WHERE u.community_code LIKE ${prefix} GROUP BY 1),
    m AS (SELECT left(m.community_code, ${keyLength}) AS k, count(*)::int AS n FROM party_members m WHERE m.community_code LIKE ${prefix} AND m.reported_on IS NOT NULL GROUP BY 1),
    w AS (SELECT left(w.community_code, ${keyLength}) AS k, count(*)::int AS n FROM service_wishes w WHERE w.community_code LIKE ${prefix} AND w.status = 'confirmed' GROUP BY 1),
    p AS (SELECT left(p.community_code, ${keyLength}) AS k, count(*)::int AS n FROM co_build_projects p WHERE p.community_code LIKE ${prefix} AND p.status = 'done' GROUP BY 1),
    keys AS (SELECT k FROM u UNION SELECT k FROM m UNION SELECT k FROM w UNION SELECT k FROM p)
    SELECT keys.k, coalesce(u.units, 0) AS units, coalesce(u.unit_members, 0) AS unit_members, coalesce(u.unit_members_reported, 0) AS unit_members_reported,
           coalesce(m.n, 0) AS members_reported, coalesce(w.n, 0) AS wishes, coalesce(p.n, 0) AS projects
    FROM keys LEFT JOIN u USING (k) LEFT JOIN m USING (k) LEFT JOIN w USING (k) LEFT JOIN p USING (k)`);
  return new Map(
    rows.map((r) => {
      const n = (k: string) => Number(r[k] ?? 0);
      return [
        String(r.k),
        {
          code: String(r.k),
          units: n('units'),
          membersReported: n('members_reported'),
          unitMembers: n('unit_members'),
          unitMembersReported: n('unit_members_reported'),
          reportRate: reportRate(n('unit_members_reported'), n('unit_members')),
          wishesConfirmed: n('wishes'),
          projectsDone: n('projects'),
          servicesDone: n('wishes') + n('projects'),
        },
      ];
    }),
  );
}

const EMPTY = { units: 0, membersReported: 0, unitMembers: 0, unitMembersReported: 0, reportRate: null, wishesConfirmed: 0, projectsDone: 0, servicesDone: 0 };

/** The region's 双报到 figures and its children's (street → communities …). */
export async function dualReportFigures(db: DbHandle, code: string) {
  const region = await requireRegion(db, code, 'region');
  const own = (await figuresBy(db, code, communityPrefix(code).length)).get(communityPrefix(code));
  const length = childLength(code);
  const children: DualReportFigures[] = [];
  if (length) {
    const by = await figuresBy(db, code, length);
    const kids = await db.rows<{ code: string; name: string }>(sql`SELECT code, name FROM regions WHERE parent_code = ${code} ORDER BY code`);
    for (const k of kids) children.push({ ...EMPTY, ...by.get(k.code), code: k.code, name: k.name });
  }
  return {
    region: { code: region.code, name: region.name, level: region.level },
    figures: { ...EMPTY, ...own, code: region.code, name: region.name } as DualReportFigures,
    children,
    definitions: {
      reportRate: '报到率 = 在本区域社区报到的单位中，已到社区报到的在职党员人数 ÷ 这些单位应报到的在职党员人数（单位登记的党员数）',
      servicesDone: '服务完成数 = 已确认的为民红绳/微心愿 + 已完成的共建项目',
    },
  };
}
