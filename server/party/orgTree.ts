/**
 * Reading the party organisation tree: every organisation of a region (or all), flat with
 * its parent, for the web to nest; the secretary's name and phone as the reader's view of
 * personal data allows (withheld outside it, phones masked).
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import type { PartyOrgAttach, PartyOrgKind } from '../../kernel/partyOrgs';
import { nameFor, phoneFor } from '../../kernel/personalData';
import type { SessionUser } from '../../kernel/roles';
import { peopleView } from '../auth/personalData';

export interface PartyOrgNode {
  id: number;
  code: string;
  name: string;
  kind: PartyOrgKind;
  parentId: number | null;
  attachKind: PartyOrgAttach;
  regionCode: string;
  gridCode: string | null;
  estateCode: string | null;
  building: string | null;
  joint: boolean;
  secretary: string | null;
  secretaryPhone: string | null;
  members: number;
  foundedOn: string | null;
  personalDataWithheld: boolean;
}

interface OrgRowDb {
  id: number;
  code: string;
  name: string;
  kind: PartyOrgKind;
  parent_id: number | null;
  attach_kind: PartyOrgAttach;
  region_code: string;
  grid_code: string | null;
  estate_code: string | null;
  building: string | null;
  joint: boolean;
  secretary: string | null;
  secretary_phone: string | null;
  members: number;
  founded_on: string | null;
}

export const ORG_SELECT = sql`
  SELECT o.id, o.code, o.name, o.kind, o.parent_id, o.attach_kind, o.region_code, g.code AS grid_code, e.code AS estate_code, o.building, o.joint,
         o.secretary, o.secretary_phone, o.members, to_char(o.founded_on, 'YYYY-MM-DD') AS founded_on
  FROM party_orgs o LEFT JOIN grids g ON g.id = o.grid_id LEFT JOIN estates e ON e.id = o.estate_id`;

export function orgNode(reader: SessionUser | null, r: OrgRowDb): PartyOrgNode {
  const view = peopleView(reader, r.grid_code ?? r.region_code);
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    kind: r.kind,
    parentId: r.parent_id,
    attachKind: r.attach_kind,
    regionCode: r.region_code,
    gridCode: r.grid_code,
    estateCode: r.estate_code,
    building: r.building,
    joint: r.joint,
    secretary: nameFor(view, r.secretary),
    secretaryPhone: phoneFor(view, r.secretary_phone),
    members: r.members,
    foundedOn: r.founded_on,
    personalDataWithheld: !view.names,
  };
}

/**
 * The organisations of a region — those whose region lies in it, plus their ancestors so
 * the tree has its roots (a community's 党总支 shows under its street's 党工委).
 */
export async function listOrgs(db: DbHandle, reader: SessionUser | null, region: string | null): Promise<PartyOrgNode[]> {
  const rows = await db.rows<OrgRowDb>(sql`
    WITH RECURSIVE picked AS (
      SELECT id, parent_id FROM party_orgs WHERE ${region === null ? sql`TRUE` : sql`starts_with(region_code, ${region})`}
      UNION
      SELECT p.id, p.parent_id FROM party_orgs p JOIN picked c ON c.parent_id = p.id)
    ${ORG_SELECT}
    WHERE o.id IN (SELECT id FROM picked)
    ORDER BY o.region_code, array_position(ARRAY['党委','党工委','党总支','党支部','党小组'], o.kind), o.code`);
  return rows.map((r) => orgNode(reader, r));
}
