/**
 * The demand model of the siting analysis, one row per grid: its uncovered
 * households (households × the share of its land outside every 15-minute circle
 * of the chosen kind(s), the apportioning of coverage.ts) placed at the grid's
 * label point, plus optionally `incidentWeight` households per incident of the
 * chosen categories reported in the grid in the last 365 days, scaled by the same
 * uncovered share (incidents in a covered grid already have a facility nearby).
 */
import { sql } from 'drizzle-orm';
import type { FacilityKind } from '../../kernel/facilityKinds';
import type { DbHandle } from '../../db/client';
import { coverageSummary } from '../coverage/coverage';

export interface DemandOptions {
  speedMPerMin: number;
  kind?: FacilityKind;
  region?: string;
  /** Incident category codes (or major-category prefixes); empty: households only. */
  categories: string[];
  /** Households one incident counts as. */
  incidentWeight: number;
}

export interface DemandPoint {
  gridCode: string;
  gridName: string;
  communityCode: string;
  streetCode: string;
  position: [number, number];
  households: number;
  population: number;
  uncoveredShare: number;
  uncoveredHouseholds: number;
  uncoveredPopulation: number;
  incidents: number;
  weight: number;
}

export async function demandPoints(db: DbHandle, options: DemandOptions): Promise<DemandPoint[]> {
  const summary = await coverageSummary(db, 'grid', { speedMPerMin: options.speedMPerMin, kind: options.kind, region: options.region });
  const shareOf = new Map(summary.rows.map((r) => [r.code, r.areaM2 > 0 ? Math.min(1, r.coveredAreaM2 / r.areaM2) : 0]));
  const rows = await db.rows<{ code: string; name: string; community_code: string; street_code: string; lon: number; lat: number; households: number; population: number; incidents: number }>(sql`
    SELECT g.code, g.name, g.community_code, g.street_code, ST_X(g.label_point) AS lon, ST_Y(g.label_point) AS lat, g.households, g.population,
           coalesce(i.n, 0) AS incidents
    FROM grids g
    LEFT JOIN (
      SELECT grid_code, count(*)::int AS n FROM incidents
      WHERE ${options.categories.length > 0} AND reported_at >= now() - interval '365 days'
        AND category_code LIKE ANY (${`{${options.categories.map((c) => `${c.replace(/[^0-9A-Za-z_-]/g, '')}%`).join(',')}}`}::text[])
      GROUP BY grid_code
    ) i ON i.grid_code = g.code
    WHERE (${options.region ?? null}::text IS NULL OR g.code LIKE ${`${options.region ?? ''}%`})
    ORDER BY g.code`);
  return rows.map((r) => {
    const uncoveredShare = 1 - (shareOf.get(r.code) ?? 0);
    const households = Number(r.households);
    const population = Number(r.population);
    const incidents = Number(r.incidents);
    return {
      gridCode: r.code,
      gridName: r.name,
      communityCode: r.community_code,
      streetCode: r.street_code,
      position: [Number(r.lon), Number(r.lat)] as [number, number],
      households,
      population,
      uncoveredShare,
      uncoveredHouseholds: households * uncoveredShare,
      uncoveredPopulation: population * uncoveredShare,
      incidents,
      weight: (households + options.incidentWeight * incidents) * uncoveredShare,
    };
  });
}
