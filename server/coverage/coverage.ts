/**
 * Coverage of households and population by 15-minute service circles.
 *
 * Households and population are apportioned by area: a grid whose land is 40 %
 * inside the union of all centres' isochrones counts 40 % of its households as
 * covered (grids are small, so this assumes an even spread within each grid).
 * Streets, communities and the city add up their grids' covered figures.
 * Overlays run in floating precision with a fixed-precision retry (precision.ts);
 * every query checks it got a row for each grid it should have.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { FacilityKind } from '../../kernel/facilityKinds';
import { executeRows, type DbHandle } from '../../db/client';
import { ensureIsochrones } from './isochrones';
import { currentNetworkVersion } from './networkVersion';
import { FIXED_DEGREES, OverlayIncomplete, precisionMemory, withPrecisionFallback } from './precision';
import { COVERAGE_MINUTES } from './walking';

export type SummaryLevel = 'street' | 'community' | 'grid';

export interface CoverageFigures {
  code: string;
  name: string;
  households: number;
  population: number;
  coveredHouseholds: number;
  coveredPopulation: number;
  /** 0..1 */
  householdShare: number;
  populationShare: number;
  areaM2: number;
  coveredAreaM2: number;
}

export interface CoverageOptions {
  speedMPerMin: number;
  /** Only rows whose code starts with this region code. */
  region?: string;
  /** Only facilities of this kind (absent: every kind together). */
  kind?: FacilityKind;
}

/** `kind` absent: every kind of facility. */
export const kindCondition = (column: SQL, kind: FacilityKind | undefined) => sql`(${kind ?? null}::text IS NULL OR ${column}::text = ${kind ?? null})`;

/** The union of every facility's (of `kind`'s) current isochrone, cut into small pieces so per-grid overlays stay cheap. */
function coverPieces(speed: number, version: number | SQL, gridSize: number, kind: FacilityKind | undefined): SQL {
  return sql`
    SELECT ST_Subdivide(ST_Union(i.geom, ${gridSize}::float8), 128) AS g
    FROM isochrones i JOIN service_centres c ON c.id = i.centre_id
    WHERE i.minutes = ${COVERAGE_MINUTES} AND i.speed_m_per_min = ${speed}::float8
      AND i.network_version = ${version} AND i.computed_at >= c.updated_at AND ${kindCondition(sql`c.kind`, kind)}`;
}

/**
 * Per grid: covered area (m²) of its land. Grids wholly inside one piece skip the overlay.
 * The pieces drive the join, so each finds its grids through the grids' spatial index
 * (grids LEFT JOIN pieces would test every grid against every piece: 30,000 × ~1,400
 * tests at 30,000 grids, most of the whole-city time); grids no piece touches join as 0.
 */
function gridCoverSql(speed: number, version: number, region: string | undefined, gridSize: number, kind: FacilityKind | undefined): SQL {
  return sql`
    WITH cover AS MATERIALIZED (${coverPieces(speed, version, gridSize, kind)}),
    hits AS (
      SELECT g.id, sum(CASE WHEN ST_Within(g.geom, c.g) THEN g.area_m2
                            ELSE ST_Area(ST_Intersection(g.geom, c.g, ${gridSize}::float8)::geography) END) AS covered_m2
      FROM cover c JOIN grids g ON ST_Intersects(g.geom, c.g)
      WHERE ${inRegion(region)}
      GROUP BY g.id
    )
    SELECT g.id, g.code, g.name, g.community_code, g.street_code, g.households, g.population, g.area_m2, coalesce(h.covered_m2, 0) AS covered_m2
    FROM grids g LEFT JOIN hits h ON h.id = g.id
    WHERE ${inRegion(region)}`;
}

const inRegion = (region: string | undefined) => sql`(${region ?? null}::text IS NULL OR g.code LIKE ${`${region ?? ''}%`})`;

async function gridCount(db: DbHandle, region: string | undefined): Promise<number> {
  const [row] = await db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM grids g WHERE ${inRegion(region)}`);
  return Number(row!.n);
}

/** Computes whatever 15-minute circles are missing or stale; returns the network version they are on. */
export async function ensureCoverageIsochrones(db: DbHandle, speed: number): Promise<number> {
  await ensureIsochrones(db, { centreIds: null, minutes: [COVERAGE_MINUTES], speedMPerMin: speed });
  return currentNetworkVersion(db);
}

interface FigureRow {
  code: string;
  name: string;
  households: number;
  population: number;
  covered_households: number;
  covered_population: number;
  area_m2: number;
  covered_m2: number;
  grids?: number;
}

const toFigures = (r: FigureRow): CoverageFigures => {
  const households = Number(r.households);
  const population = Number(r.population);
  const coveredHouseholds = Number(r.covered_households);
  const coveredPopulation = Number(r.covered_population);
  return {
    code: r.code,
    name: r.name,
    households,
    population,
    coveredHouseholds,
    coveredPopulation,
    householdShare: households > 0 ? coveredHouseholds / households : 0,
    populationShare: population > 0 ? coveredPopulation / population : 0,
    areaM2: Number(r.area_m2),
    coveredAreaM2: Number(r.covered_m2),
  };
};

export interface CoverageSummary {
  /** The facilities counted: one kind, or 'all' kinds together. */
  kind: FacilityKind | 'all';
  minutes: number;
  speedMPerMin: number;
  networkVersion: number;
  /** How households and population are counted as covered. */
  apportioning: 'grid-area-share';
  total: CoverageFigures;
  rows: CoverageFigures[];
}

/** Per-grid covered area rolled up to `level`; `grids` counts the grids in each row. */
function summaryRows(db: DbHandle, level: SummaryLevel, perGrid: SQL): Promise<FigureRow[]> {
  // Covered share per grid is capped at 1 (pieces do not overlap, but area rounding may exceed it by a hair).
  // JIT compilation costs more than it saves on this geometry-bound statement (as in isochrones.ts).
  return db.db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL jit = off`);
    return executeRows<FigureRow>(
      tx,
      sql`
    WITH gc AS (${perGrid}),
    shares AS (SELECT gc.*, least(1, covered_m2 / nullif(area_m2, 0)) AS share FROM gc),
    keyed AS (
      SELECT CASE ${level} WHEN 'grid' THEN s.code WHEN 'community' THEN s.community_code ELSE s.street_code END AS key, s.*
      FROM shares s
    )
    SELECT k.key AS code, coalesce(r.name, min(k.name)) AS name,
           sum(k.households) AS households, sum(k.population) AS population,
           sum(k.households * coalesce(k.share, 0)) AS covered_households, sum(k.population * coalesce(k.share, 0)) AS covered_population,
           sum(k.area_m2) AS area_m2, sum(least(k.covered_m2, k.area_m2)) AS covered_m2, count(*) AS grids
    FROM keyed k LEFT JOIN regions r ON r.code = k.key
    GROUP BY k.key, r.name
    ORDER BY k.key`,
    );
  });
}

/** Coverage for `level` rows (optionally under one region), plus the total over those rows. */
export async function coverageSummary(db: DbHandle, level: SummaryLevel, options: CoverageOptions): Promise<CoverageSummary> {
  const version = await ensureCoverageIsochrones(db, options.speedMPerMin);
  const expected = await gridCount(db, options.region);
  const rows = await withPrecisionFallback(
    async (gridSize) => {
      const result = await summaryRows(db, level, gridCoverSql(options.speedMPerMin, version, options.region, gridSize, options.kind));
      if (result.reduce((n, r) => n + Number(r.grids), 0) !== expected) throw new OverlayIncomplete('coverage overlay lost grids');
      return result;
    },
    FIXED_DEGREES,
    precisionMemory(db, 'coverage'),
  );
  const figures = rows.map(toFigures);
  const sum = (f: (x: CoverageFigures) => number) => figures.reduce((s, x) => s + f(x), 0);
  const [regionRow] = options.region
    ? await db.rows<{ name: string }>(sql`SELECT name FROM regions WHERE code = ${options.region}`)
    : await db.rows<{ name: string }>(sql`SELECT name FROM regions WHERE level = 'city' ORDER BY code LIMIT 1`);
  const total = toFigures({
    code: options.region ?? 'all',
    name: regionRow?.name ?? '全部',
    households: sum((x) => x.households),
    population: sum((x) => x.population),
    covered_households: sum((x) => x.coveredHouseholds),
    covered_population: sum((x) => x.coveredPopulation),
    area_m2: sum((x) => x.areaM2),
    covered_m2: sum((x) => x.coveredAreaM2),
  });
  return { kind: options.kind ?? 'all', minutes: COVERAGE_MINUTES, speedMPerMin: options.speedMPerMin, networkVersion: version, apportioning: 'grid-area-share', total, rows: figures };
}

export interface BlindSpotFeature {
  type: 'Feature';
  geometry: GeoJSON.MultiPolygon;
  properties: {
    gridCode: string;
    gridName: string;
    communityCode: string;
    streetCode: string;
    uncoveredAreaM2: number;
    /** 0..1 of the grid's land. */
    uncoveredShare: number;
    /** Households in the uncovered part (area share). */
    uncoveredHouseholds: number;
  };
}

/** Uncovered parts smaller than this (m²) are slivers along circle edges, not blind spots (the API's default). */
export const BLIND_SPOT_MIN_AREA_M2 = 100;

export interface BlindSpotOptions extends CoverageOptions {
  minAreaM2: number;
}

/**
 * Per grid in the region: the part of its land outside every circle, `gap` (may be empty).
 *
 * Whole region (`page` null): the pieces drive the join and find their grids through the
 * grids' spatial index (grids_geom_gist), as gridCoverSql does; each grid's pieces are then
 * unioned once and subtracted, and grids no piece touches keep their whole land. Testing
 * every grid against every piece (a LATERAL over the un-indexed pieces) is 30,000 × ~1,400
 * tests at 30,000 grids.
 *
 * One keyset page (exports, ids after `page.after`): the per-grid LATERAL stays, because it
 * streams in id order and stops at the page's LIMIT; the index join would union the pieces
 * of every remaining grid for each page.
 */
function gridGapsCte(options: BlindSpotOptions, version: number | SQL, gridSize: number, page: { after: number | null } | null): SQL {
  const cover = sql`cover AS MATERIALIZED (${coverPieces(options.speedMPerMin, version, gridSize, options.kind)})`;
  if (page === null) {
    return sql`
    ${cover},
    hits AS (
      SELECT g.id, ST_Union(c.g, ${gridSize}::float8) AS covered
      FROM cover c JOIN grids g ON ST_Intersects(g.geom, c.g)
      WHERE ${inRegion(options.region)}
      GROUP BY g.id
    ),
    gaps AS (
      SELECT g.id, g.code, g.name, g.community_code, g.street_code, g.households, g.population, g.area_m2,
             CASE WHEN h.id IS NULL THEN g.geom ELSE ST_Difference(g.geom, h.covered, ${gridSize}::float8) END AS gap
      FROM grids g LEFT JOIN hits h ON h.id = g.id
      WHERE ${inRegion(options.region)}
    )`;
  }
  return sql`
    ${cover},
    gaps AS (
      SELECT g.id, g.code, g.name, g.community_code, g.street_code, g.households, g.population, g.area_m2, x.gap
      FROM grids g
      CROSS JOIN LATERAL (
        SELECT CASE WHEN count(c.g) = 0 THEN g.geom
                    ELSE ST_Difference(g.geom, ST_Union(c.g, ${gridSize}::float8), ${gridSize}::float8) END AS gap
        FROM cover c WHERE ST_Intersects(g.geom, c.g)
      ) x
      WHERE ${inRegion(options.region)} ${page.after === null ? sql`` : sql`AND g.id > ${page.after}`}
    )`;
}

/**
 * The blind-spot rows over `gaps`: polygonal part of each gap of at least
 * minAreaM2, with households and population apportioned by the uncovered share.
 */
function keptGapsSql(options: BlindSpotOptions, geometry: (column: SQL) => SQL): SQL {
  return sql`
    SELECT gaps.id AS grid_id, gaps.code AS grid_code, gaps.name AS grid_name, gaps.community_code, r.name AS community_name,
           gaps.street_code, gaps.area_m2 AS grid_area_m2, a.m2 AS uncovered_area_m2, s.share AS uncovered_share,
           gaps.households * s.share AS uncovered_households, gaps.population * s.share AS uncovered_population,
           ${geometry(sql`p.geom`)} AS geometry
    FROM gaps
    CROSS JOIN LATERAL (SELECT ST_Multi(ST_CollectionExtract(gaps.gap, 3)) AS geom) p
    CROSS JOIN LATERAL (SELECT ST_Area(p.geom::geography) AS m2) a
    CROSS JOIN LATERAL (SELECT CASE WHEN gaps.area_m2 > 0 THEN least(1, a.m2 / gaps.area_m2) ELSE 0 END AS share) s
    LEFT JOIN regions r ON r.code = gaps.community_code
    WHERE NOT ST_IsEmpty(p.geom) AND a.m2 >= ${options.minAreaM2}::float8`;
}

/**
 * Blind spots one keyset page at a time, in grid id order (for exports): columns
 * grid_id, grid_code, grid_name, community_code, community_name, street_code,
 * grid_area_m2, uncovered_area_m2, uncovered_share, uncovered_households,
 * uncovered_population and `geometry` as the caller formats it. `version` may
 * be SQL (e.g. networkVersionSql) for callers that cannot await.
 */
export function blindSpotPageSql(options: BlindSpotOptions, version: number | SQL, gridSize: number, geometry: (column: SQL) => SQL, page: { after: number | null; limit: number } | null): SQL {
  return sql`
    WITH ${gridGapsCte(options, version, gridSize, page ? { after: page.after } : null)}
    ${keptGapsSql(options, geometry)}
    ${page ? sql`ORDER BY gaps.id LIMIT ${page.limit}` : sql``}`;
}

interface BlindSpotRow {
  processed: number;
  grid_code: string | null;
  grid_name: string;
  community_code: string;
  street_code: string;
  uncovered_area_m2: number;
  uncovered_share: number;
  uncovered_households: number;
  geometry: string | null;
}

/** Gaps per grid, behind a row that counts the grids processed (so an empty answer can be told from a lost one). */
function blindSpotRows(db: DbHandle, options: BlindSpotOptions, version: number, gridSize: number): Promise<BlindSpotRow[]> {
  return db.rows<BlindSpotRow>(sql`
    WITH ${gridGapsCte(options, version, gridSize, null)},
    kept AS (${keptGapsSql(options, (g) => sql`ST_AsGeoJSON(${g}, 7)`)})
    SELECT n.processed, k.* FROM (SELECT count(*) AS processed FROM gaps) n LEFT JOIN kept k ON true
    ORDER BY k.grid_code NULLS FIRST`);
}

/** The parts of grids outside every 15-minute circle (ignoring slivers under `minAreaM2`). */
export async function blindSpots(db: DbHandle, options: BlindSpotOptions): Promise<{ networkVersion: number; features: BlindSpotFeature[] }> {
  const version = await ensureCoverageIsochrones(db, options.speedMPerMin);
  const expected = await gridCount(db, options.region);
  const rows = await withPrecisionFallback(
    async (gridSize) => {
      const result = await blindSpotRows(db, options, version, gridSize);
      // The first row always carries the number of grids processed (see blindSpotRows).
      if (Number(result[0]?.processed) !== expected) throw new OverlayIncomplete('blind-spot overlay lost grids');
      return result.filter((r) => r.grid_code !== null) as (BlindSpotRow & { grid_code: string; geometry: string })[];
    },
    FIXED_DEGREES,
    precisionMemory(db, 'coverage'),
  );
  return {
    networkVersion: version,
    features: rows.map((r) => ({
      type: 'Feature' as const,
      geometry: JSON.parse(r.geometry) as GeoJSON.MultiPolygon,
      properties: {
        gridCode: r.grid_code,
        gridName: r.grid_name,
        communityCode: r.community_code,
        streetCode: r.street_code,
        uncoveredAreaM2: Number(r.uncovered_area_m2),
        uncoveredShare: Number(r.uncovered_share),
        uncoveredHouseholds: Number(r.uncovered_households),
      },
    })),
  };
}
