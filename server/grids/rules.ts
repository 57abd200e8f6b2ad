/**
 * Topology rules for grid edits. Tolerances are in square metres; area limits are
 * configurable per deployment (GRID_MIN_AREA_M2 / GRID_MAX_AREA_M2).
 */
export interface GridRules {
  /** Overlap between sibling grids, or overshoot outside the community, tolerated (m²). */
  overlapToleranceM2: number;
  /** Uncovered area inside a community tolerated (m²). */
  gapToleranceM2: number;
  /** Polygon parts smaller than this are slivers (m²). */
  sliverAreaM2: number;
  minAreaM2: number;
  maxAreaM2: number;
}

export function rulesFromEnv(env: NodeJS.ProcessEnv = process.env): GridRules {
  const num = (name: string, fallback: number) => {
    const v = Number(env[name]);
    return Number.isFinite(v) && v >= 0 ? v : fallback;
  };
  return {
    overlapToleranceM2: num('GRID_OVERLAP_TOLERANCE_M2', 1),
    gapToleranceM2: num('GRID_GAP_TOLERANCE_M2', 1),
    sliverAreaM2: num('GRID_SLIVER_AREA_M2', 20),
    minAreaM2: num('GRID_MIN_AREA_M2', 500),
    maxAreaM2: num('GRID_MAX_AREA_M2', 20_000_000),
  };
}

export type ViolationRule = 'invalid' | 'sliver' | 'outside_community' | 'overlap' | 'gap' | 'area' | 'not_adjacent' | 'split';

export interface Violation {
  rule: ViolationRule;
  /** Chinese, shown to the planner as is. */
  message: string;
  gridCode?: string;
  otherGridCode?: string;
  areaM2?: number;
  /** Where the problem is, to highlight in the editor (GeoJSON, WGS84). */
  geometry?: GeoJSON.Geometry;
}
