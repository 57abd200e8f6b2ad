/**
 * What-if siting: the change in households and population covered if candidate
 * facilities were built, before anything is saved. Incremental, not whole-city:
 * the covered land before is the cached coverage state (coverageState.ts); only
 * the grids the candidates' circles touch are overlaid — per grid, the land the
 * candidates add outside the existing circles of the chosen kind(s).
 * Households and population are apportioned by area share, as in coverage.ts,
 * so the figures agree with a full recomputation after the facility is built.
 */
import { sql } from 'drizzle-orm';
import type { FacilityKind } from '../../kernel/facilityKinds';
import type { DbHandle } from '../../db/client';
import { ensureCoverageIsochrones, kindCondition } from '../coverage/coverage';
import { FIXED_DEGREES, OverlayIncomplete, precisionMemory, withPrecisionFallback } from '../coverage/precision';
import { COVERAGE_MINUTES } from '../coverage/walking';
import { candidateCircles, type Candidate, type CandidateCircle } from './candidateIsochrones';
import { coverageState, type CoverageState } from './coverageState';

export interface AreaDelta {
  code: string;
  name: string;
  households: number;
  population: number;
  coveredHouseholdsBefore: number;
  coveredHouseholdsAfter: number;
  coveredPopulationBefore: number;
  coveredPopulationAfter: number;
  /** after − before */
  householdsGained: number;
  populationGained: number;
  /** 0..1 */
  shareBefore: number;
  shareAfter: number;
}

export interface WhatIfResult {
  kind: FacilityKind | 'all';
  minutes: number;
  speedMPerMin: number;
  networkVersion: number;
  circles: (CandidateCircle & { name: string; kind: FacilityKind })[];
  /** Communities the circles touch (only their touched grids were overlaid). */
  communities: AreaDelta[];
  /** Streets of those communities: sums over the affected communities. */
  streets: AreaDelta[];
  total: { householdsGained: number; populationGained: number; gridsOverlaid: number };
  /** state: the cached coverage state (0 unless the data changed); delta: the touched grids' overlay. */
  elapsedMs: { state: number; circles: number; delta: number };
}

interface GainRow {
  id: number;
  gain_m2: number;
}

/** Texts as one array literal parameter ('{"…","…"}'), quotes and backslashes escaped. */
const textArray = (values: readonly string[]) => `{${values.map((v) => `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;

const share = (covered: number, total: number) => (total > 0 ? covered / total : 0);

interface Sums {
  households: number;
  population: number;
  hhBefore: number;
  hhAfter: number;
  popBefore: number;
  popAfter: number;
}

function areaDelta(code: string, name: string, r: Sums): AreaDelta {
  return {
    code,
    name,
    households: r.households,
    population: r.population,
    coveredHouseholdsBefore: r.hhBefore,
    coveredHouseholdsAfter: r.hhAfter,
    coveredPopulationBefore: r.popBefore,
    coveredPopulationAfter: r.popAfter,
    householdsGained: r.hhAfter - r.hhBefore,
    populationGained: r.popAfter - r.popBefore,
    shareBefore: share(r.hhBefore, r.households),
    shareAfter: share(r.hhAfter, r.households),
  };
}

/** Per grid the candidates' circles touch: the land (m²) they add outside the existing circles of `kind`. */
async function gainRows(db: DbHandle, circles: readonly string[], speed: number, version: number, kind: FacilityKind | undefined): Promise<GainRow[]> {
  const circleArray = textArray(circles);
  const cand = sql`SELECT ST_SetSRID(ST_Union(ST_GeomFromGeoJSON(x)), 4326) AS g FROM unnest(${circleArray}::text[]) x`;
  const [count] = await db.rows<{ n: number }>(sql`WITH cand AS MATERIALIZED (${cand}) SELECT count(*)::int AS n FROM grids g, cand WHERE ST_Intersects(g.geom, cand.g)`);
  const expected = Number(count!.n);
  return withPrecisionFallback(
    async (gridSize) => {
      const rows = await db.rows<GainRow>(sql`
        WITH cand AS MATERIALIZED (${cand}),
        touched AS MATERIALIZED (
          SELECT g.id, ST_Intersection(g.geom, cand.g, ${gridSize}::float8) AS inc FROM grids g, cand WHERE ST_Intersects(g.geom, cand.g)
        ),
        -- the existing circles near the candidates, unioned once and cut into small pieces: a grid's
        -- difference then unions a few small pieces instead of every whole circle over it again
        existing AS MATERIALIZED (
          SELECT ST_Subdivide(ST_Union(i.geom, ${gridSize}::float8), 128) AS g
          FROM isochrones i JOIN service_centres c ON c.id = i.centre_id, cand
          WHERE ST_Intersects(i.geom, cand.g) AND i.minutes = ${COVERAGE_MINUTES} AND i.speed_m_per_min = ${speed}::float8 AND i.network_version = ${version}
            AND i.computed_at >= c.updated_at AND ${kindCondition(sql`c.kind`, kind)}
        )
        SELECT t.id,
               CASE WHEN ST_IsEmpty(t.inc) THEN 0
                    WHEN e.u IS NULL THEN ST_Area(t.inc::geography)
                    ELSE ST_Area(ST_Difference(t.inc, e.u, ${gridSize}::float8)::geography) END AS gain_m2
        FROM touched t
        LEFT JOIN LATERAL (SELECT ST_Union(x.g, ${gridSize}::float8) AS u FROM existing x WHERE ST_Intersects(x.g, t.inc)) e ON true`);
      if (rows.length !== expected) throw new OverlayIncomplete('what-if overlay lost grids');
      return rows;
    },
    FIXED_DEGREES,
    precisionMemory(db, 'coverage'),
  );
}

const zero = (): Sums => ({ households: 0, population: 0, hhBefore: 0, hhAfter: 0, popBefore: 0, popAfter: 0 });

/**
 * Per community the circles touch: its figures before (the cached state) and
 * after (before + the touched grids' gains, each grid's share capped at 1).
 */
function communitySums(state: CoverageState, gains: readonly GainRow[]): Map<string, Sums> {
  const gainOf = new Map<number, number>();
  for (const r of gains) gainOf.set(Number(r.id), Number(r.gain_m2));
  const affected = new Set<string>();
  for (const id of gainOf.keys()) {
    const g = state.byId.get(id);
    if (g) affected.add(g.communityCode);
  }
  const sums = new Map<string, Sums>();
  for (const g of state.grids) {
    if (!affected.has(g.communityCode)) continue;
    const s = sums.get(g.communityCode) ?? zero();
    const gain = gainOf.get(g.id) ?? 0;
    const after = g.areaM2 > 0 ? Math.min(1, (g.coveredM2 + gain) / g.areaM2) : 0;
    s.households += g.households;
    s.population += g.population;
    s.hhBefore += g.households * g.share;
    s.popBefore += g.population * g.share;
    s.hhAfter += g.households * after;
    s.popAfter += g.population * after;
    sums.set(g.communityCode, s);
  }
  return sums;
}

export async function whatIf(db: DbHandle, candidates: readonly Candidate[], options: { speedMPerMin: number; kind?: FacilityKind }): Promise<WhatIfResult> {
  const version = await ensureCoverageIsochrones(db, options.speedMPerMin);
  const t0 = performance.now();
  const state = await coverageState(db, options.speedMPerMin, options.kind);
  const t1 = performance.now();
  const circles = await candidateCircles(db, candidates, options.speedMPerMin);
  const t2 = performance.now();
  const gains = circles.length
    ? await gainRows(
        db,
        circles.map((c) => c.geometry),
        options.speedMPerMin,
        version,
        options.kind,
      )
    : [];
  const perCommunity = communitySums(state, gains);
  const t3 = performance.now();
  const streetOf = new Map(state.grids.map((g) => [g.communityCode, g.streetCode]));
  const communityCodes = [...perCommunity.keys()].sort();
  const communities = communityCodes.map((code) => areaDelta(code, state.names.get(code) ?? code, perCommunity.get(code)!));
  const byStreet = new Map<string, Sums>();
  for (const code of communityCodes) {
    const street = streetOf.get(code)!;
    const s = byStreet.get(street) ?? zero();
    const n = perCommunity.get(code)!;
    for (const k of Object.keys(n) as (keyof Sums)[]) s[k] += n[k];
    byStreet.set(street, s);
  }
  const streets = [...byStreet.entries()].map(([code, s]) => areaDelta(code, state.names.get(code) ?? code, s));
  return {
    kind: options.kind ?? 'all',
    minutes: COVERAGE_MINUTES,
    speedMPerMin: options.speedMPerMin,
    networkVersion: version,
    circles: circles.map((c) => ({ ...c, name: candidates[c.index]!.name, kind: candidates[c.index]!.kind })),
    communities,
    streets,
    total: {
      householdsGained: communities.reduce((s, c) => s + c.householdsGained, 0),
      populationGained: communities.reduce((s, c) => s + c.populationGained, 0),
      gridsOverlaid: gains.length,
    },
    elapsedMs: { state: Math.round(t1 - t0), circles: Math.round(t2 - t1), delta: Math.round(t3 - t2) },
  };
}
