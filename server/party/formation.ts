/**
 * 组建率, computed from the tree (never typed in): per region and for each of its child
 * regions, the grids with an organisation of their own (a 党支部 or 党小组 attached to
 * the grid) over all grids, and the estates organised singly (their own organisation),
 * jointly (a 联合 one) or not at all.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { ratePercent } from '../../kernel/partyOrgs';
import { NotFoundError } from '../http/domainError';

export interface FormationFigures {
  code: string;
  name: string;
  level: string;
  grids: number;
  gridsOrganised: number;
  gridRate: number;
  estates: number;
  estatesSingle: number;
  estatesJoint: number;
  estatesNone: number;
  estateRate: number;
  organisations: number;
}

interface Row {
  code: string;
  name: string;
  level: string;
  grids: number;
  grids_organised: number;
  estates: number;
  estates_single: number;
  estates_joint: number;
  organisations: number;
}

const figures = (r: Row): FormationFigures => ({
  code: r.code,
  name: r.name,
  level: r.level,
  grids: r.grids,
  gridsOrganised: r.grids_organised,
  gridRate: ratePercent(r.grids_organised, r.grids),
  estates: r.estates,
  estatesSingle: r.estates_single,
  estatesJoint: r.estates_joint,
  estatesNone: r.estates - r.estates_single - r.estates_joint,
  estateRate: ratePercent(r.estates_single + r.estates_joint, r.estates),
  organisations: r.organisations,
});

/** The code prefix of a region's grids: a city's 6-digit code ends in 00, its districts share the first 4 digits. */
const PREFIX = sql.raw(`CASE WHEN level = 'city' THEN left(code, 4) ELSE code END`);

/** The region (default: the whole dataset's top region) and its children. */
export async function formationRates(db: DbHandle, region: string | null): Promise<{ region: FormationFigures; children: FormationFigures[] }> {
  const [top] = await db.rows<{ code: string; prefix: string }>(
    region === null
      ? sql`SELECT code, ${PREFIX} AS prefix FROM regions WHERE parent_code IS NULL OR parent_code NOT IN (SELECT code FROM regions) ORDER BY length(code), code LIMIT 1`
      : sql`SELECT code, ${PREFIX} AS prefix FROM regions WHERE code = ${region}`,
  );
  if (!top) throw new NotFoundError(`区域 ${region} 不存在`);
  const rows = await db.rows<Row>(sql`
    WITH targets AS (
      SELECT code, name, level::text AS level, ${PREFIX} AS prefix, 0 AS ord FROM regions WHERE code = ${top.code}
      UNION ALL
      SELECT code, name, level::text, ${PREFIX}, 1 FROM regions WHERE parent_code = ${top.code}),
    grid_org AS (
      SELECT g.code, EXISTS (SELECT 1 FROM party_orgs o WHERE o.grid_id = g.id AND o.attach_kind = 'grid') AS organised FROM grids g
      WHERE starts_with(g.code, ${top.prefix})),
    estate_org AS (
      SELECT e.community_code, o.id IS NOT NULL AND NOT o.joint AS single, coalesce(o.joint, false) AS joint
      FROM estates e LEFT JOIN party_orgs o ON o.id = e.party_org_id
      WHERE starts_with(e.community_code, ${top.prefix}))
    SELECT t.code, t.name, t.level,
      (SELECT count(*)::int FROM grid_org g WHERE starts_with(g.code, t.prefix)) AS grids,
      (SELECT count(*)::int FROM grid_org g WHERE starts_with(g.code, t.prefix) AND g.organised) AS grids_organised,
      (SELECT count(*)::int FROM estate_org e WHERE starts_with(e.community_code, t.prefix)) AS estates,
      (SELECT count(*)::int FROM estate_org e WHERE starts_with(e.community_code, t.prefix) AND e.single) AS estates_single,
      (SELECT count(*)::int FROM estate_org e WHERE starts_with(e.community_code, t.prefix) AND e.joint) AS estates_joint,
      (SELECT count(*)::int FROM party_orgs o WHERE starts_with(o.region_code, t.prefix)) AS organisations
    FROM targets t ORDER BY t.ord, t.code`);
  const [head, ...children] = rows.map(figures);
  return { region: head!, children };
}
