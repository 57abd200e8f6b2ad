/**
 * The walking model behind 15-minute service circles (GB 50180-2018: a 15-minute
 * walk ≈ 1000 m, so ~66.7 m/min by default). One place for every constant, so
 * both network engines and the SQL that draws polygons agree.
 */

/** Default walking speed: 1000 m in 15 minutes. */
export const DEFAULT_SPEED_M_PER_MIN = 1000 / 15;

/** The isochrone minutes a coverage analysis is about. */
export const COVERAGE_MINUTES = 15;

/** A centre farther than this from every road edge gets a straight-line buffer (`method: 'buffer'`). */
export const SNAP_DISTANCE_M = 300;

/** Half-width of the corridor drawn around every reachable stretch of road. */
export const ROAD_BUFFER_M = 50;

/**
 * Segments per quarter circle of the corridor's round ends: 2 (an octagon, at
 * most 3.8 m inside the true circle at 50 m) unions ~40 % faster than 4.
 */
export const BUFFER_QUAD_SEGS = 2;

/**
 * Holes in the buffered network smaller than this are blocks enclosed by
 * reachable streets: their interior is reachable from the surrounding streets,
 * so they are filled. Larger holes (rural blocks, parks) stay uncovered.
 */
export const FILL_HOLES_BELOW_M2 = 20_000;

export type IsochroneMethod = 'network' | 'buffer';

/** Metres a walker covers in `minutes` at `speed`. */
export const walkingBudgetM = (minutes: number, speedMPerMin: number) => minutes * speedMPerMin;
