/**
 * What-if siting: the change in households and population covered if candidate
 * facilities were built, before anything is saved. Incremental, not whole-city:
 * only grids of the communities the candidates' circles touch are overlaid —
 * per grid, the covered area before (the union of the existing circles of the
 * chosen kind(s) that touch it) and the area the candidates add outside it.
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
  /** Communities the circles touch (only these were overlaid). */
  communities: AreaDelta[];
  /** Streets of those communities: sums over the affected communities. */
  streets: AreaDelta[];
  total: { householdsGained: number; populationGained: number; gridsOverlaid: number };
  elapsedMs: { circles: number; delta: number };
}

interface DeltaRow {
  community_code: string;
  community_name: string | null;
  street_code: string;
  street_name: string | null;
  households: number;
  population: number;
  hh_before: number;
  hh_after: number;
  pop_before: number;
  pop_after: number;
  grids: number;
}

/** Texts as one array literal parameter ('{"…","…"}'), quotes and backslashes escaped. */
const textArray = (values: readonly string[]) => `{${values.map((v) => `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;

const share = (covered: number, total: number) => (total > 0 ? covered / total : 0);

function areaDelta(code: string, name: string, r: { households: number; population: number; hhBefore: number; hhAfter: number; popBefore: number; popAfter: number }): AreaDelta {
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

/** Per affected community: households and population covered before and after adding `circles` (GeoJSON texts). */
async function deltaRows(db: DbHandle, circles: readonly string[], speed: number, version: number, kind: FacilityKind | undefined): Promise<DeltaRow[]> {
  const circleArray = textArray(circles);
  const expectedGrids = async () => {
    const [row] = await db.rows<{ n: number }>(sql`
      WITH cand AS (SELECT ST_SetSRID(ST_Union(ST_GeomFromGeoJSON(x)), 4326) AS g FROM unnest(${circleArray}::text[]) x)
      SELECT count(*)::int AS n FROM grids g WHERE g.community_code IN (SELECT DISTINCT g2.community_code FROM grids g2, cand WHERE ST_Intersects(g2.geom, cand.g))`);
    return Number(row!.n);
  };
  const expected = await expectedGrids();
  return withPrecisionFallback(
    async (gridSize) => {
      const rows = await db.rows<DeltaRow>(sql`
        WITH cand AS MATERIALIZED (SELECT ST_SetSRID(ST_Union(ST_GeomFromGeoJSON(x)), 4326) AS g FROM unnest(${circleArray}::text[]) x),
        existing AS MATERIALIZED (
          SELECT i.geom FROM isochrones i JOIN service_centres c ON c.id = i.centre_id
          WHERE i.minutes = ${COVERAGE_MINUTES} AND i.speed_m_per_min = ${speed}::float8 AND i.network_version = ${version}
            AND i.computed_at >= c.updated_at AND ${kindCondition(sql`c.kind`, kind)}
        ),
        affected AS (SELECT DISTINCT g.community_code FROM grids g, cand WHERE ST_Intersects(g.geom, cand.g)),
        per_grid AS (
          SELECT g.id, g.community_code, g.street_code, g.households, g.population, g.area_m2, g.geom, e.u,
                 CASE WHEN ST_Intersects(g.geom, cand.g) THEN ST_Intersection(g.geom, cand.g, ${gridSize}::float8) END AS inc
          FROM grids g CROSS JOIN cand
          LEFT JOIN LATERAL (SELECT ST_Union(x.geom, ${gridSize}::float8) AS u FROM existing x WHERE ST_Intersects(x.geom, g.geom)) e ON true
          WHERE g.community_code IN (SELECT community_code FROM affected)
        ),
        areas AS (
          SELECT p.community_code, p.street_code, p.households, p.population, p.area_m2,
                 CASE WHEN p.u IS NULL THEN 0 ELSE ST_Area(ST_Intersection(p.geom, p.u, ${gridSize}::float8)::geography) END AS before_m2,
                 CASE WHEN p.inc IS NULL OR ST_IsEmpty(p.inc) THEN 0
                      WHEN p.u IS NULL THEN ST_Area(p.inc::geography)
                      ELSE ST_Area(ST_Difference(p.inc, p.u, ${gridSize}::float8)::geography) END AS gain_m2
          FROM per_grid p
        ),
        shares AS (
          SELECT a.*, least(1, a.before_m2 / nullif(a.area_m2, 0)) AS s0, least(1, (a.before_m2 + a.gain_m2) / nullif(a.area_m2, 0)) AS s1 FROM areas a
        )
        SELECT s.community_code, rc.name AS community_name, s.street_code, rs.name AS street_name,
               sum(s.households) AS households, sum(s.population) AS population,
               sum(s.households * coalesce(s.s0, 0)) AS hh_before, sum(s.households * coalesce(s.s1, 0)) AS hh_after,
               sum(s.population * coalesce(s.s0, 0)) AS pop_before, sum(s.population * coalesce(s.s1, 0)) AS pop_after,
               count(*) AS grids
        FROM shares s LEFT JOIN regions rc ON rc.code = s.community_code LEFT JOIN regions rs ON rs.code = s.street_code
        GROUP BY s.community_code, rc.name, s.street_code, rs.name
        ORDER BY s.community_code`);
      if (rows.reduce((n, r) => n + Number(r.grids), 0) !== expected) throw new OverlayIncomplete('what-if overlay lost grids');
      return rows;
    },
    FIXED_DEGREES,
    precisionMemory(db, 'coverage'),
  );
}

export async function whatIf(db: DbHandle, candidates: readonly Candidate[], options: { speedMPerMin: number; kind?: FacilityKind }): Promise<WhatIfResult> {
  const version = await ensureCoverageIsochrones(db, options.speedMPerMin);
  const t0 = performance.now();
  const circles = await candidateCircles(db, candidates, options.speedMPerMin);
  const t1 = performance.now();
  const rows = circles.length
    ? await deltaRows(
        db,
        circles.map((c) => c.geometry),
        options.speedMPerMin,
        version,
        options.kind,
      )
    : [];
  const t2 = performance.now();
  const num = (r: DeltaRow) => ({
    households: Number(r.households),
    population: Number(r.population),
    hhBefore: Number(r.hh_before),
    hhAfter: Number(r.hh_after),
    popBefore: Number(r.pop_before),
    popAfter: Number(r.pop_after),
  });
  const communities = rows.map((r) => areaDelta(r.community_code, r.community_name ?? r.community_code, num(r)));
  const byStreet = new Map<string, { name: string; sums: ReturnType<typeof num> }>();
  for (const r of rows) {
    const n = num(r);
    const s = byStreet.get(r.street_code) ?? { name: r.street_name ?? r.street_code, sums: { households: 0, population: 0, hhBefore: 0, hhAfter: 0, popBefore: 0, popAfter: 0 } };
    for (const k of Object.keys(n) as (keyof typeof n)[]) s.sums[k] += n[k];
    byStreet.set(r.street_code, s);
  }
  const streets = [...byStreet.entries()].map(([code, s]) => areaDelta(code, s.name, s.sums));
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
      gridsOverlaid: rows.reduce((n, r) => n + Number(r.grids), 0),
    },
    elapsedMs: { circles: Math.round(t1 - t0), delta: Math.round(t2 - t1) },
  };
}
