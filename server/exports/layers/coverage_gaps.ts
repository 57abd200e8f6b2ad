/**
 * Blind spots of the 15-minute circles: per grid, the part outside every circle
 * (at the default walking speed, ignoring slivers under 100 m²), straight from the
 * coverage module's blind-spot SQL. Households and population are apportioned by
 * area share, as in the coverage summary. The circles are computed first if
 * missing (pgRouting, or the Node search on the embedded engine). Exports overlay
 * on the coverage module's fixed 1e-7° grid: a page cannot be redone once
 * written, and the fixed grid is the overlay that never fails.
 */
import { sql } from 'drizzle-orm';
import { BLIND_SPOT_MIN_AREA_M2, blindSpotPageSql, ensureCoverageIsochrones } from '../../coverage/coverage';
import { networkVersionSql } from '../../coverage/networkVersion';
import { FIXED_DEGREES } from '../../coverage/precision';
import { DEFAULT_SPEED_M_PER_MIN } from '../../coverage/walking';
import { asGeoJson } from './geometryOutput';
import type { ExportLayer } from './layer';

export const coverageGapsLayer: ExportLayer = {
  name: 'coverage_gaps',
  title: '15分钟服务圈覆盖盲区',
  geometryType: 'MultiPolygon',
  timeFilter: false,
  fields: [
    { name: 'grid_code', dbf: 'grid_code', title: '网格编码', type: 'text', width: 15 },
    { name: 'grid_name', dbf: 'grid_name', title: '网格名称', type: 'text', width: 120 },
    { name: 'community_code', dbf: 'comm_code', title: '社区编码', type: 'text', width: 12 },
    { name: 'community_name', dbf: 'comm_name', title: '社区名称', type: 'text', width: 120 },
    { name: 'street_code', dbf: 'street_cd', title: '街道编码', type: 'text', width: 9 },
    { name: 'grid_area_m2', dbf: 'grid_m2', title: '网格面积（平方米）', type: 'real' },
    { name: 'uncovered_area_m2', dbf: 'gap_m2', title: '盲区面积（平方米）', type: 'real' },
    { name: 'uncovered_share', dbf: 'gap_share', title: '盲区占网格比例', type: 'real' },
    { name: 'uncovered_households', dbf: 'gap_hh', title: '盲区户数（按面积分摊）', type: 'real' },
    { name: 'uncovered_population', dbf: 'gap_pop', title: '盲区人口（按面积分摊）', type: 'real' },
  ],
  prepare: (db) => ensureCoverageIsochrones(db, DEFAULT_SPEED_M_PER_MIN),
  select: (filter, page, geometry = asGeoJson) => sql`
    SELECT s.grid_id AS fid, s.* FROM (
      ${blindSpotPageSql({ speedMPerMin: DEFAULT_SPEED_M_PER_MIN, region: filter.region, minAreaM2: BLIND_SPOT_MIN_AREA_M2 }, networkVersionSql, FIXED_DEGREES, geometry, page)}
    ) s ORDER BY s.grid_id`,
};
