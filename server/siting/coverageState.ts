/**
 * The city's coverage state, kept in memory for the siting analysis: per grid,
 * the land (m²) covered by the current 15-minute circles of a kind (or of every
 * kind) and its households and population — the whole-city overlay of
 * coverage.ts, computed once and reused until the data it rests on changes.
 * A what-if then overlays only the grids its candidate circles touch against this
 * state, and the suggestion's demand is read off it, instead of both redoing the
 * city's overlay per request (seconds at 30,000 grids).
 *
 * The state is keyed by a data version read in one cheap statement: the facility
 * set (count, id sum, latest change), the road network's version and the grid set
 * (count, id sum, latest change). Any change there and the next use recomputes it.
 */
import { sql } from 'drizzle-orm';
import type { FacilityKind } from '../../kernel/facilityKinds';
import type { DbHandle } from '../../db/client';
import { coverageSummary } from '../coverage/coverage';
import { versionedCache } from './versionedCache';

export interface GridState {
  id: number;
  code: string;
  communityCode: string;
  streetCode: string;
  households: number;
  population: number;
  areaM2: number;
  coveredM2: number;
  /** 0..1 of the grid's land inside a circle. */
  share: number;
  position: [number, number] | null;
}

export interface CoverageState {
  version: string;
  networkVersion: number;
  kind: FacilityKind | 'all';
  grids: GridState[];
  byId: Map<number, GridState>;
  /** Communities' and streets' names (regions), code → name. */
  names: Map<string, string>;
  /** How long the overlay took, ms. */
  computedMs: number;
}

/** The data version the state rests on: facilities, road network, grids. */
export async function dataVersion(db: DbHandle): Promise<string> {
  const [row] = await db.rows<{ v: string }>(sql`
    SELECT concat_ws('|',
      (SELECT concat_ws(':', count(*), coalesce(sum(id), 0), coalesce(max(updated_at)::text, '')) FROM service_centres),
      coalesce((SELECT value #>> '{}' FROM meta WHERE key = 'network_version'), '0'),
      (SELECT concat_ws(':', count(*), coalesce(sum(id), 0), coalesce(max(updated_at)::text, '')) FROM grids)) AS v`);
  return String(row!.v);
}

const states = versionedCache<CoverageState>();

async function computeState(db: DbHandle, version: string, speed: number, kind: FacilityKind | undefined): Promise<CoverageState> {
  const t0 = performance.now();
  const summary = await coverageSummary(db, 'grid', { speedMPerMin: speed, kind });
  const covered = new Map(summary.rows.map((r) => [r.code, r.coveredAreaM2]));
  const rows = await db.rows<{ id: number; code: string; community_code: string; street_code: string; households: number; population: number; area_m2: number; lon: number | null; lat: number | null }>(sql`
    SELECT id, code, community_code, street_code, households, population, area_m2, ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM grids ORDER BY code`);
  const names = new Map((await db.rows<{ code: string; name: string }>(sql`SELECT code, name FROM regions WHERE level IN ('street', 'community')`)).map((r) => [r.code, r.name]));
  const grids = rows.map((r): GridState => {
    const areaM2 = Number(r.area_m2);
    const coveredM2 = Math.min(covered.get(r.code) ?? 0, areaM2);
    return {
      id: Number(r.id),
      code: r.code,
      communityCode: r.community_code,
      streetCode: r.street_code,
      households: Number(r.households),
      population: Number(r.population),
      areaM2,
      coveredM2,
      share: areaM2 > 0 ? Math.min(1, coveredM2 / areaM2) : 0,
      position: r.lon === null || r.lat === null ? null : [Number(r.lon), Number(r.lat)],
    };
  });
  return { version, networkVersion: summary.networkVersion, kind: kind ?? 'all', grids, byId: new Map(grids.map((g) => [g.id, g])), names, computedMs: performance.now() - t0 };
}

/** The state for `kind` (absent: every kind) at `speed`, recomputed if the data version moved on. */
export async function coverageState(db: DbHandle, speed: number, kind: FacilityKind | undefined): Promise<CoverageState> {
  const version = await dataVersion(db);
  return states.get(db, `${speed}|${kind ?? 'all'}`, version, () => computeState(db, version, speed, kind));
}

/** Drops every cached state of this database (tests: a fresh computation to compare with). */
export function forgetCoverageStates(db: DbHandle): void {
  states.forget(db);
}
