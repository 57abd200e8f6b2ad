/**
 * The demand model of the siting analysis, one row per grid: its uncovered
 * households (households × the share of its land outside every 15-minute circle
 * of the chosen kind(s), the apportioning of coverage.ts) placed at the grid's
 * label point, plus optionally `incidentWeight` households per incident of the
 * chosen categories reported in the grid in the last 365 days, scaled by the same
 * uncovered share (incidents in a covered grid already have a facility nearby).
 * The covered shares come from the cached coverage state (coverageState.ts).
 */
import { sql } from 'drizzle-orm';
import type { FacilityKind } from '../../kernel/facilityKinds';
import type { DbHandle } from '../../db/client';
import { coverageState } from './coverageState';

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
  gridId: number;
  gridCode: string;
  communityCode: string;
  streetCode: string;
  /** The grid's label point (null: none, unreachable). */
  position: [number, number] | null;
  households: number;
  population: number;
  uncoveredShare: number;
  uncoveredHouseholds: number;
  uncoveredPopulation: number;
  incidents: number;
  weight: number;
}

/** One point per grid of the region, in the coverage state's grid order (code order). */
export async function demandPoints(db: DbHandle, options: DemandOptions): Promise<DemandPoint[]> {
  const state = await coverageState(db, options.speedMPerMin, options.kind);
  const incidents = new Map<string, number>();
  if (options.categories.length > 0) {
    const rows = await db.rows<{ grid_code: string; n: number }>(sql`
      SELECT grid_code, count(*)::int AS n FROM incidents
      WHERE reported_at >= now() - interval '365 days'
        AND category_code LIKE ANY (${`{${options.categories.map((c) => `${c.replace(/[^0-9A-Za-z_-]/g, '')}%`).join(',')}}`}::text[])
      GROUP BY grid_code`);
    for (const r of rows) incidents.set(r.grid_code, Number(r.n));
  }
  const prefix = options.region ?? '';
  return state.grids
    .filter((g) => g.code.startsWith(prefix))
    .map((g) => {
      const uncoveredShare = 1 - g.share;
      const n = incidents.get(g.code) ?? 0;
      return {
        gridId: g.id,
        gridCode: g.code,
        communityCode: g.communityCode,
        streetCode: g.streetCode,
        position: g.position,
        households: g.households,
        population: g.population,
        uncoveredShare,
        uncoveredHouseholds: g.households * uncoveredShare,
        uncoveredPopulation: g.population * uncoveredShare,
        incidents: n,
        weight: (g.households + options.incidentWeight * n) * uncoveredShare,
      };
    });
}
