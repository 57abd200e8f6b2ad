/**
 * Why: a 月报 prints the month's figures of one street or district — KPIs with their
 * month-on-month change, top categories, the overdue list, coverage by child region
 * (compared with last month's printed figures: coverage has no history otherwise) and a
 * map drawn from the data (grids shaded by the month's incidents) as inline SVG, so the
 * PDF needs no tiles and no network. KPIs are regionKpis'; the overdue list is the
 * figure registry's 超期未结 set, so the report and the dashboards agree.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { incidentSets } from '../figures/registry';
import { NotFoundError } from '../http/domainError';
import { regionSql } from '../incidents/filters';
import { regionKpis, type KpiResult } from '../incidents/kpis';
import type { Month } from '../screen/months';
import { coveredGridSql, regionPath, type RegionRef } from '../screen/summary';
import { childKey, gridScope } from '../screen/scope';

export interface KpiLine {
  id: keyof KpiResult;
  name: string;
  kind: 'count' | 'rate';
  value: number | null;
  previous: number | null;
}

export interface BriefingSummary {
  kpis: KpiLine[];
  coverage: { code: string; name: string; households: number; covered: number; share: number | null }[];
}

export interface BriefingData {
  region: RegionRef;
  path: RegionRef[];
  month: string;
  previousMonth: string;
  summary: BriefingSummary;
  /** The previous month's printed coverage, by child code (null: no report last month). */
  previousCoverage: Record<string, number | null> | null;
  categories: { name: string; count: number; previous: number }[];
  overdue: { id: number; category: string; grid: string; deadline: string; daysOver: number }[];
  overdueTotal: number;
  map: { viewBox: string; grids: { path: string; count: number }[]; points: { x: number; y: number }[]; maxCount: number };
}

const KPI_LINES: { id: keyof KpiResult; name: string; kind: 'count' | 'rate' }[] = [
  { id: 'count', name: '受理量（件）', kind: 'count' },
  { id: 'closed', name: '结案（件）', kind: 'count' },
  { id: 'closeRate', name: '结案率', kind: 'rate' },
  { id: 'onTimeRate', name: '按期结案率', kind: 'rate' },
  { id: 'solvedInGridShare', name: '网格内解决率（小事不出网格）', kind: 'rate' },
  { id: 'satisfactionRate', name: '满意率', kind: 'rate' },
  { id: 'overdueOpen', name: '超期未结（件）', kind: 'count' },
];

export const OVERDUE_LIST_MAX = 20;

export async function briefingData(db: DbHandle, regionCode: string, month: Month, previous: Month, now: Date): Promise<BriefingData> {
  const path = await regionPath(db, regionCode);
  if (!path) throw new NotFoundError(`区域编码 ${regionCode} 不存在`, { errors: [{ field: 'region', reason: '区划不存在' }] });
  const region = path[path.length - 1]!;
  const [cur, prev] = [await regionKpis(db, regionCode, month.start, month.end, now), await regionKpis(db, regionCode, previous.start, previous.end, now)];
  const kpis = KPI_LINES.map((l) => ({ ...l, value: cur[l.id] as number | null, previous: prev[l.id] as number | null }));

  const inRegion = regionSql(regionCode);
  const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
  const categories = await db.rows<{ name: string; count: number; previous: number }>(sql`
    SELECT k.major || '/' || k.minor AS name,
           count(*) FILTER (WHERE i.reported_at >= ${ts(month.start)})::int AS count,
           count(*) FILTER (WHERE i.reported_at < ${ts(month.start)})::int AS previous
    FROM incidents i JOIN incident_categories k ON k.code = i.category_code
    WHERE ${inRegion} AND i.reported_at >= ${ts(previous.start)} AND i.reported_at < ${ts(month.end)}
    GROUP BY 1 HAVING count(*) FILTER (WHERE i.reported_at >= ${ts(month.start)}) > 0
    ORDER BY 2 DESC, 1 LIMIT 8`);

  const overdueSet = incidentSets(inRegion, month.start, month.end).overdueOpen;
  const overdue = await db.rows<{ id: number; category: string; grid: string | null; deadline: Date | string; total: number }>(sql`
    SELECT i.id, k.major || '/' || k.minor AS category, coalesce(g.name, i.grid_code, '—') AS grid, i.deadline_at AS deadline, count(*) OVER ()::int AS total
    FROM incidents i JOIN incident_categories k ON k.code = i.category_code LEFT JOIN grids g ON g.code = i.grid_code
    WHERE ${overdueSet} ORDER BY i.deadline_at, i.id LIMIT ${OVERDUE_LIST_MAX}`);

  const key = childKey(regionCode);
  const childName = regionCode.length === 12 ? sql`(SELECT name FROM grids WHERE code = x.code)` : sql`(SELECT name FROM regions WHERE code = x.code)`;
  const { covered } = await coveredGridSql(db);
  const coverage = await db.rows<{ code: string; name: string | null; households: number; covered: number }>(sql`
    SELECT x.code, ${childName} AS name, x.households, x.covered FROM (
      SELECT ${key ?? sql`g.code`} AS code, coalesce(sum(g.households), 0)::bigint AS households,
             coalesce(sum(g.households) FILTER (WHERE ${covered}), 0)::bigint AS covered
      FROM grids g WHERE ${gridScope(regionCode)} GROUP BY 1) x ORDER BY x.code`);

  const [prevReport] = await db.rows<{ summary: BriefingSummary | null }>(sql`SELECT summary FROM briefings WHERE region_code = ${regionCode} AND month = ${previous.key} AND status = 'ready'`);
  const previousCoverage = prevReport?.summary ? Object.fromEntries(prevReport.summary.coverage.map((c) => [c.code, c.share])) : null;

  // The map: grids (simplified) shaded by the month's incidents, incidents as dots; y flipped by ST_AsSVG.
  const [extent] = await db.rows<{ xmin: number; ymin: number; xmax: number; ymax: number }>(sql`
    SELECT ST_XMin(e) AS xmin, ST_YMin(e) AS ymin, ST_XMax(e) AS xmax, ST_YMax(e) AS ymax FROM (SELECT ST_Extent(g.geom)::geometry AS e FROM grids g WHERE ${gridScope(regionCode)}) x`);
  const grids = await db.rows<{ path: string; count: number }>(sql`
    SELECT ST_AsSVG(ST_SimplifyPreserveTopology(g.geom, 0.00005), 0, 6) AS path,
           (SELECT count(*) FROM incidents i WHERE i.grid_code = g.code AND i.reported_at >= ${ts(month.start)} AND i.reported_at < ${ts(month.end)})::int AS count
    FROM grids g WHERE ${gridScope(regionCode)} ORDER BY g.code`);
  const points = await db.rows<{ x: number; y: number }>(sql`
    SELECT ST_X(i.geom) AS x, -ST_Y(i.geom) AS y FROM incidents i
    WHERE ${inRegion} AND i.reported_at >= ${ts(month.start)} AND i.reported_at < ${ts(month.end)} ORDER BY i.id LIMIT 3000`);
  const e = extent && extent.xmin !== null ? extent : { xmin: 0, ymin: 0, xmax: 1, ymax: 1 };
  const pad = Math.max(Number(e.xmax) - Number(e.xmin), Number(e.ymax) - Number(e.ymin)) * 0.03;
  const viewBox = [Number(e.xmin) - pad, -Number(e.ymax) - pad, Number(e.xmax) - Number(e.xmin) + 2 * pad, Number(e.ymax) - Number(e.ymin) + 2 * pad].map((n) => n.toFixed(6)).join(' ');

  return {
    region,
    path,
    month: month.key,
    previousMonth: previous.key,
    summary: {
      kpis,
      coverage: coverage.map((c) => {
        const hh = Number(c.households);
        const cov = Number(c.covered);
        return { code: c.code, name: c.name ?? c.code, households: hh, covered: cov, share: hh > 0 ? cov / hh : null };
      }),
    },
    previousCoverage,
    categories: categories.map((c) => ({ name: c.name, count: Number(c.count), previous: Number(c.previous) })),
    overdue: overdue.map((o) => {
      const deadline = new Date(o.deadline);
      return { id: Number(o.id), category: o.category, grid: o.grid ?? '—', deadline: deadline.toISOString(), daysOver: Math.floor((month.end.getTime() - deadline.getTime()) / 86_400_000) };
    }),
    overdueTotal: Number(overdue[0]?.total ?? 0),
    map: {
      viewBox,
      grids: grids.map((g) => ({ path: g.path, count: Number(g.count) })),
      points: points.map((p) => ({ x: Number(p.x), y: Number(p.y) })),
      maxCount: Math.max(0, ...grids.map((g) => Number(g.count))),
    },
  };
}
