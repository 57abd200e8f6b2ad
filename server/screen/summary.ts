/**
 * The figures of the leaders' big screen for one region (city … grid). Each
 * block is one named query over `grids` (alias g), `service_centres` (c) or
 * `incidents` (i), scoped by server/screen/scope.ts.
 *
 * Definitions:
 *  - 网格党组织组建率 = grids with a party organisation (non-empty party_org_name) ÷ grids.
 *  - 党员 / 双报到 = sums over the region's grids (the grid is where members are registered).
 *  - 覆盖率 = households of grids whose label point lies inside a 15-minute walking
 *    isochrone at the default speed — once every centre's circle is cached and current
 *    (the background job, server/coverage/isochroneJob.ts, keeps them so) — else within a
 *    straight 1000 m of a centre (`method: 'buffer'`, the labelled fallback) ÷ all
 *    households of the region. Never a mix: partly computed circles would undercount.
 *  - 本月事件 / 结案率: the incident module's KPIs (server/incidents/kpis.ts) for the
 *    current calendar month (China time), so the screen and the KPI page agree.
 *  - 趋势: incidents reported per calendar month over the last 12 months, and how
 *    many of them are closed by now.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { CENTRE_LEVELS, type CentreLevel } from '../coverage/centres';
import { circleCounts } from '../coverage/isochroneJob';
import { currentNetworkVersion } from '../coverage/networkVersion';
import { DEFAULT_SPEED_M_PER_MIN } from '../coverage/walking';
import { NotFoundError } from '../http/domainError';
import { regionKpis } from '../incidents/kpis';
import { type PatrolFigures, patrolFigures } from '../field/patrolFigures';
import { partyServiceScreen } from '../partyService/screenFigures';
import { cstMonth, lastMonths } from './months';
import { centreScope, childKey, gridScope, levelOf, type ScreenLevel } from './scope';

/** Straight-line fallback radius of the 15-minute circle (≈ 15 min × 67 m/min walking). */
export const BUFFER_FALLBACK_M = 1000;

export interface RegionRef {
  code: string;
  name: string;
  level: ScreenLevel;
}

export interface GridFigures {
  grids: number;
  gridsWithPartyOrg: number;
  /** 组建率 0..1, null without grids */
  partyOrgRate: number | null;
  partyMembers: number;
  dualReportMembers: number;
  households: number;
  population: number;
  /** index = star rating 0..5 */
  stars: number[];
}

export interface CoverageFigure {
  method: 'isochrone' | 'buffer';
  households: number;
  coveredHouseholds: number;
  share: number | null;
}

export interface TrendMonth {
  month: string;
  reported: number;
  closed: number;
}

export interface ChildFigures {
  code: string;
  name: string;
  grids: number;
  partyOrgRate: number | null;
  partyMembers: number;
  averageStars: number | null;
}

export interface ScreenSummary {
  region: RegionRef;
  /** 市 → … → the region itself, for the breadcrumb */
  path: RegionRef[];
  grid: GridFigures;
  centres: Record<CentreLevel, number>;
  coverage: CoverageFigure;
  incidents: { month: string; reported: number; closed: number; closeRate: number | null; overdueOpen: number };
  trend: TrendMonth[];
  children: ChildFigures[];
  /** 巡查 (server/field/patrolFigures.ts): today, active now, hours this week. */
  patrols: PatrolFigures;
  /** 双报到, 认领/完成, star distribution (server/partyService/screenFigures.ts). */
  party: Awaited<ReturnType<typeof partyServiceScreen>>;
  generatedAt: string;
}

/** A grid (alias g) with a party organisation: the one definition of 组建率's numerator. */
export const HAS_PARTY_ORG = sql`coalesce(btrim(g.party_org_name), '') <> ''`;

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

/** The region and its ancestors, or null when the code is unknown. */
export async function regionPath(db: DbHandle, code: string): Promise<RegionRef[] | null> {
  const level = levelOf(code);
  let tail: RegionRef[] = [];
  let regionCode = code;
  if (level === 'grid') {
    const [grid] = await db.rows<{ name: string; community_code: string }>(sql`SELECT name, community_code FROM grids WHERE code = ${code}`);
    if (!grid) return null;
    tail = [{ code, name: grid.name, level: 'grid' }];
    regionCode = grid.community_code;
  }
  const rows = await db.rows<{ code: string; name: string; level: string; depth: number }>(sql`
    WITH RECURSIVE up AS (
      SELECT code, name, level::text AS level, parent_code, 0 AS depth FROM regions WHERE code = ${regionCode}
      UNION ALL
      SELECT r.code, r.name, r.level::text, r.parent_code, up.depth + 1 FROM regions r JOIN up ON r.code = up.parent_code WHERE up.depth < 6
    )
    SELECT code, name, level, depth FROM up ORDER BY depth DESC`);
  if (rows.length === 0) return null;
  // A 6-digit district code ending in 00 would be taken for a city; the table's own level wins.
  return [...rows.map((r) => ({ code: r.code, name: r.name, level: r.level as ScreenLevel })), ...tail];
}

export async function gridFigures(db: DbHandle, code: string): Promise<GridFigures> {
  const [r] = await db.rows<Record<string, number | string | null>>(sql`
    SELECT count(*)::int AS grids,
           count(*) FILTER (WHERE ${HAS_PARTY_ORG})::int AS with_org,
           coalesce(sum(g.party_members), 0)::bigint AS members,
           coalesce(sum(g.dual_report_members), 0)::bigint AS dual,
           coalesce(sum(g.households), 0)::bigint AS households,
           coalesce(sum(g.population), 0)::bigint AS population,
           count(*) FILTER (WHERE g.star_rating = 0)::int AS s0,
           count(*) FILTER (WHERE g.star_rating = 1)::int AS s1,
           count(*) FILTER (WHERE g.star_rating = 2)::int AS s2,
           count(*) FILTER (WHERE g.star_rating = 3)::int AS s3,
           count(*) FILTER (WHERE g.star_rating = 4)::int AS s4,
           count(*) FILTER (WHERE g.star_rating = 5)::int AS s5
    FROM grids g WHERE ${gridScope(code)}`);
  const n = (k: string) => Number(r?.[k] ?? 0);
  return {
    grids: n('grids'),
    gridsWithPartyOrg: n('with_org'),
    partyOrgRate: ratio(n('with_org'), n('grids')),
    partyMembers: n('members'),
    dualReportMembers: n('dual'),
    households: n('households'),
    population: n('population'),
    stars: [0, 1, 2, 3, 4, 5].map((s) => n(`s${s}`)),
  };
}

export async function centresByLevel(db: DbHandle, code: string): Promise<Record<CentreLevel, number>> {
  const rows = await db.rows<{ level: CentreLevel; n: number }>(sql`
    SELECT c.level::text AS level, count(*)::int AS n FROM service_centres c WHERE c.kind = 'party_centre' AND ${centreScope(code)} GROUP BY c.level`);
  const counts = Object.fromEntries(CENTRE_LEVELS.map((l) => [l, 0])) as Record<CentreLevel, number>;
  for (const r of rows) counts[r.level] = Number(r.n);
  return counts;
}

/** Whether every centre has a current 15-minute circle at the default speed (then coverage is computed from them). */
async function circlesComplete(db: DbHandle): Promise<boolean> {
  const { total, ready } = await circleCounts(db, [15], DEFAULT_SPEED_M_PER_MIN, await currentNetworkVersion(db));
  return total > 0 && ready === total;
}

/** Whether a grid (alias g) is covered, by the method in force now (also the figure registry's filter, server/figures). */
export async function coveredGridSql(db: DbHandle): Promise<{ method: CoverageFigure['method']; covered: SQL }> {
  const speed = (await circlesComplete(db)) ? DEFAULT_SPEED_M_PER_MIN : null;
  const point = sql`coalesce(g.label_point, ST_PointOnSurface(g.geom))`;
  const covered =
    speed === null
      ? // 1000 m ≈ 0.009° of latitude; the degree box (0.011° also covers longitude at 22°N) lets the index prefilter.
        sql`EXISTS (SELECT 1 FROM service_centres c WHERE c.geom && ST_Expand(${point}, 0.011) AND ST_DWithin(c.geom::geography, (${point})::geography, ${BUFFER_FALLBACK_M}))`
      : sql`EXISTS (SELECT 1 FROM isochrones iso WHERE iso.minutes = 15 AND iso.speed_m_per_min = ${speed}::float8 AND iso.geom && ${point} AND ST_Intersects(iso.geom, ${point}))`;
  return { method: speed === null ? 'buffer' : 'isochrone', covered };
}

export async function coverageFigure(db: DbHandle, code: string): Promise<CoverageFigure> {
  const { method, covered } = await coveredGridSql(db);
  const [r] = await db.rows<{ households: number; covered: number }>(sql`
    SELECT coalesce(sum(g.households), 0)::bigint AS households,
           coalesce(sum(g.households) FILTER (WHERE ${covered}), 0)::bigint AS covered
    FROM grids g WHERE ${gridScope(code)}`);
  const households = Number(r?.households ?? 0);
  const coveredHouseholds = Number(r?.covered ?? 0);
  return { method, households, coveredHouseholds, share: ratio(coveredHouseholds, households) };
}

/** Incidents of a region (alias i) by the codes assigned at ingestion. */
export function incidentScope(code: string) {
  const level = levelOf(code);
  if (level === 'grid') return sql`i.grid_code = ${code}`;
  if (level === 'community') return sql`i.community_code = ${code}`;
  if (level === 'street') return sql`i.street_code = ${code}`;
  return sql`i.street_code LIKE ${`${level === 'city' ? code.slice(0, 4) : code}%`}`;
}

export async function incidentTrend(db: DbHandle, code: string, now: Date): Promise<TrendMonth[]> {
  const months = lastMonths(now, 12);
  const from = months[0]!.start.toISOString();
  const to = months[months.length - 1]!.end.toISOString();
  const rows = await db.rows<{ month: string; reported: number; closed: number }>(sql`
    SELECT to_char((i.reported_at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM') AS month,
           count(*)::int AS reported,
           count(*) FILTER (WHERE i.closed_at IS NOT NULL AND i.closed_at <= ${now.toISOString()}::timestamptz)::int AS closed
    FROM incidents i
    WHERE ${incidentScope(code)} AND i.reported_at >= ${from}::timestamptz AND i.reported_at < ${to}::timestamptz
    GROUP BY 1`);
  const byMonth = new Map(rows.map((r) => [r.month, r]));
  return months.map((m) => ({ month: m.key, reported: Number(byMonth.get(m.key)?.reported ?? 0), closed: Number(byMonth.get(m.key)?.closed ?? 0) }));
}

export async function childFigures(db: DbHandle, code: string): Promise<ChildFigures[]> {
  const key = childKey(code);
  if (!key) return [];
  const names = levelOf(code) === 'community' ? sql`(SELECT name FROM grids WHERE code = k.code)` : sql`(SELECT name FROM regions WHERE code = k.code)`;
  const rows = await db.rows<{ code: string; name: string | null; grids: number; with_org: number; members: number; stars: number | null }>(sql`
    WITH k AS (
      SELECT ${key} AS code, count(*)::int AS grids,
             count(*) FILTER (WHERE coalesce(btrim(g.party_org_name), '') <> '')::int AS with_org,
             coalesce(sum(g.party_members), 0)::bigint AS members,
             avg(g.star_rating) FILTER (WHERE g.star_rating > 0) AS stars
      FROM grids g WHERE ${gridScope(code)} GROUP BY 1
    )
    SELECT k.code, ${names} AS name, k.grids, k.with_org, k.members, k.stars FROM k ORDER BY k.code`);
  return rows.map((r) => ({
    code: r.code,
    name: r.name ?? r.code,
    grids: Number(r.grids),
    partyOrgRate: ratio(Number(r.with_org), Number(r.grids)),
    partyMembers: Number(r.members),
    averageStars: r.stars === null ? null : Number(r.stars),
  }));
}

/** Everything the screen shows for a region; null when the region does not exist. */
export async function screenSummary(db: DbHandle, code: string, now = new Date()): Promise<ScreenSummary | null> {
  const path = await regionPath(db, code);
  if (!path) return null;
  const region = path[path.length - 1]!;
  const month = cstMonth(now);
  // The embedded engine serialises queries anyway; on PostGIS these run in parallel.
  const [grid, centres, coverage, kpis, trend, children, patrols, party] = await Promise.all([
    gridFigures(db, code),
    centresByLevel(db, code),
    coverageFigure(db, code),
    regionKpis(db, code, month.start, month.end),
    incidentTrend(db, code, now),
    childFigures(db, code),
    patrolFigures(db, code, now),
    partyServiceScreen(db, code, now),
  ]);
  return {
    region,
    path,
    grid,
    centres,
    coverage,
    incidents: { month: month.key, reported: kpis.count, closed: kpis.closed, closeRate: kpis.closeRate, overdueOpen: kpis.overdueOpen },
    trend,
    children,
    patrols,
    party,
    generatedAt: now.toISOString(),
  };
}

/** GET /api/screen/summary: the summary plus the definitions the screen labels its figures with. */
export interface ScreenSummaryReport extends ScreenSummary {
  definitions: { bufferFallbackM: number };
}

/**
 * The summary of `region`, or of the root region (the city) when none is given; 404 when it does not exist.
 * Computed from the tables every time: the route answers through summaryCache.ts.
 */
export async function computeScreenSummaryReport(db: DbHandle, region: string | undefined, now = new Date()): Promise<ScreenSummaryReport> {
  let code = region;
  if (!code) {
    const [root] = await db.rows<{ code: string }>(sql`SELECT code FROM regions WHERE parent_code IS NULL ORDER BY code LIMIT 1`);
    if (!root) throw new NotFoundError('数据库中没有区划数据');
    code = root.code;
  }
  const summary = await screenSummary(db, code, now);
  if (!summary) throw new NotFoundError(`区域编码 ${code} 不存在`);
  return { ...summary, definitions: { bufferFallbackM: BUFFER_FALLBACK_M } };
}
