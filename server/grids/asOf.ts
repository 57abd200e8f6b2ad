/**
 * Why: the map, statistics and KPIs as they stood on a past date. The grid versions (written
 * by the trigger of migration 0002) say which shape and figures each grid had at any instant;
 * "as of D" means at the end of day D, China time. An incident is counted in the grid whose
 * version was valid when it was reported and covered its point — not the grid holding the point
 * today — so moving a boundary never rewrites past figures.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';

/** The end of `date` (YYYY-MM-DD) in China time (UTC+8, no daylight saving), as an instant. */
export function endOfChinaDay(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00+08:00`) + 86_400_000);
}

/** Each grid's versions with the time span they were valid: [valid_from, valid_to). */
const intervals = sql`
  SELECT grid_id, version, after_attrs->>'code' AS code, after_attrs, after_geom AS geom, at AS valid_from,
         lead(at) OVER (PARTITION BY grid_id ORDER BY version) AS valid_to
  FROM grid_versions`;

/** The versions valid at `at` (grids that existed then), optionally under a region code. */
const validAt = (at: Date, region?: string): SQL => sql`
  SELECT * FROM (${intervals}) v
  WHERE v.valid_from <= ${at} AND (v.valid_to IS NULL OR v.valid_to > ${at}) AND v.geom IS NOT NULL
  ${region ? sql`AND v.code LIKE ${`${region}%`}` : sql``}`;

interface AsOfGridRow {
  grid_id: number;
  code: string;
  name: string;
  households: number;
  population: number;
  area_m2: number;
  incidents: number;
  closed: number;
  geometry?: string;
}

async function gridRows(handle: DbHandle, date: string, options: { region?: string; windowDays?: number; geometry: boolean }) {
  const at = endOfChinaDay(date);
  const from = new Date(at.getTime() - (options.windowDays ?? 365) * 86_400_000);
  return handle.rows<AsOfGridRow>(sql`
    WITH g AS MATERIALIZED (${validAt(at, options.region)}),
    counted AS (
      -- The version covering the point that was the grid's latest when the incident was reported (gist on after_geom, then time).
      SELECT v.grid_id, count(*)::int AS incidents, count(*) FILTER (WHERE i.closed_at IS NOT NULL AND i.closed_at <= ${at})::int AS closed
      FROM incidents i JOIN grid_versions v ON v.after_geom && i.geom AND ST_Covers(v.after_geom, i.geom) AND v.at <= i.reported_at
      WHERE i.reported_at > ${from} AND i.reported_at <= ${at} AND v.grid_id IN (SELECT grid_id FROM g)
        AND NOT EXISTS (SELECT 1 FROM grid_versions w WHERE w.grid_id = v.grid_id AND w.version > v.version AND w.at <= i.reported_at)
      GROUP BY v.grid_id)
    SELECT g.grid_id, g.code, g.after_attrs->>'name' AS name, (g.after_attrs->>'households')::int AS households,
           (g.after_attrs->>'population')::int AS population, ST_Area(g.geom::geography) AS area_m2,
           coalesce(c.incidents, 0) AS incidents, coalesce(c.closed, 0) AS closed
           ${options.geometry ? sql`, ST_AsGeoJSON(g.geom, 7) AS geometry` : sql``}
    FROM g LEFT JOIN counted c ON c.grid_id = g.grid_id
    ORDER BY g.code`);
}

/** The grids as they were at the end of `date`, as GeoJSON, with their incidents of the year before (in the grid valid then). */
export async function gridsAsOf(handle: DbHandle, date: string, region?: string) {
  const rows = await gridRows(handle, date, { region, geometry: true });
  return {
    asOf: date,
    type: 'FeatureCollection' as const,
    features: rows.map((r) => ({
      type: 'Feature' as const,
      id: r.grid_id,
      geometry: JSON.parse(r.geometry as string) as GeoJSON.MultiPolygon,
      properties: { code: r.code, name: r.name, households: r.households, population: r.population, areaM2: Math.round(Number(r.area_m2)), incidents: r.incidents, closed: r.closed },
    })),
  };
}

export type GridsAsOf = Awaited<ReturnType<typeof gridsAsOf>>;

/** Figures of a region (or everything) at the end of `date`: per grid and totals, with the 结案率 of the year's incidents. */
export async function statisticsAsOf(handle: DbHandle, date: string, region?: string) {
  const rows = await gridRows(handle, date, { region, geometry: false });
  const sum = (k: 'households' | 'population' | 'incidents' | 'closed') => rows.reduce((s, r) => s + Number(r[k] ?? 0), 0);
  const incidents = sum('incidents');
  return {
    asOf: date,
    region: region ?? null,
    totals: {
      grids: rows.length,
      households: sum('households'),
      population: sum('population'),
      areaM2: Math.round(rows.reduce((s, r) => s + Number(r.area_m2), 0)),
      incidents,
      closed: sum('closed'),
      /** 结案率: closed by the date among the year's incidents, percent. */
      closeRatePct: incidents > 0 ? Math.round((1000 * sum('closed')) / incidents) / 10 : null,
    },
    grids: rows.map((r) => ({ code: r.code, name: r.name, households: r.households, population: r.population, areaM2: Math.round(Number(r.area_m2)), incidents: r.incidents, closed: r.closed })),
  };
}

export type StatisticsAsOf = Awaited<ReturnType<typeof statisticsAsOf>>;

/** The dates on which grids under `region` changed (newest first), for the compare page's date picker. */
export async function changeDates(handle: DbHandle, region?: string) {
  const rows = await handle.rows<{ day: string; changes: number }>(sql`
    SELECT to_char((at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD') AS day, count(*)::int AS changes
    FROM grid_versions ${region ? sql`WHERE grid_code LIKE ${`${region}%`}` : sql``}
    GROUP BY 1 ORDER BY 1 DESC LIMIT 100`);
  return rows;
}
