/**
 * The grid layer's topology rules, checked inside the saving transaction after a
 * change has been applied: valid geometry, no slivers, inside the community, no
 * overlap with sibling grids, no gap left in the community, area within limits.
 * Each rule is one named query returning the offending geometry for the editor.
 */
import { sql } from 'drizzle-orm';
import { executeRows, type Executor } from '../../db/client';
import type { GridRules, Violation } from './rules';

interface Offence {
  code: string | null;
  other: string | null;
  area: number | null;
  reason: string | null;
  geometry: string | null;
}

const toViolation =
  (rule: Violation['rule'], message: (o: Offence) => string) =>
  (o: Offence): Violation => ({
    rule,
    message: message(o),
    ...(o.code ? { gridCode: o.code } : {}),
    ...(o.other ? { otherGridCode: o.other } : {}),
    ...(o.area != null ? { areaM2: Math.round(Number(o.area) * 100) / 100 } : {}),
    ...(o.geometry ? { geometry: JSON.parse(o.geometry) as GeoJSON.Geometry } : {}),
  });

const m2 = (o: Offence) => `${Math.round(Number(o.area ?? 0) * 10) / 10} 平方米`;

/** Self-intersections, bad rings: PostGIS's reason and location. Checked first; other rules need valid input. */
export async function invalidGeometries(tx: Executor, gridIds: number[]): Promise<Violation[]> {
  if (gridIds.length === 0) return [];
  const rows = await executeRows<Offence>(
    tx,
    sql`
    SELECT code, NULL AS other, NULL AS area, ST_IsValidReason(geom) AS reason,
           ST_AsGeoJSON(coalesce(location(ST_IsValidDetail(geom)), ST_PointOnSurface(geom)), 7) AS geometry
    FROM grids WHERE id IN (${sql.join(
      gridIds.map((id) => sql`${id}`),
      sql`, `,
    )}) AND NOT ST_IsValid(geom)`,
  );
  return rows.map(toViolation('invalid', (o) => `网格 ${o.code} 的几何无效：${translateReason(o.reason ?? '')}`));
}

/** Checks a candidate geometry (GeoJSON) before it is applied. */
export async function invalidInput(tx: Executor, geojson: string): Promise<Violation[]> {
  const rows = await executeRows<Offence>(
    tx,
    sql`
    WITH g AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON(${geojson}), 4326) AS geom)
    SELECT NULL AS code, NULL AS other, NULL AS area, ST_IsValidReason(geom) AS reason,
           ST_AsGeoJSON(coalesce(location(ST_IsValidDetail(geom)), ST_PointOnSurface(geom)), 7) AS geometry
    FROM g WHERE NOT ST_IsValid(geom)`,
  );
  return rows.map(toViolation('invalid', (o) => `几何无效：${translateReason(o.reason ?? '')}`));
}

export async function topologyViolations(tx: Executor, communityCode: string, gridIds: number[], rules: GridRules): Promise<Violation[]> {
  const invalid = await invalidGeometries(tx, gridIds);
  if (invalid.length > 0) return invalid;
  const ids =
    gridIds.length > 0
      ? sql.join(
          gridIds.map((id) => sql`${id}`),
          sql`, `,
        )
      : sql`NULL`;

  // Slivers, area limits and the community's gap sum need no overlay: one statement. The overlays
  // (outside, overlaps) stay statements of their own, so the WASM engine's no-rows answer on a
  // failed GEOS overlay (see tracedGaps) cannot hide the other rules' offences.
  const simple = await executeRows<Offence & { rule: 'sliver' | 'area' | 'uncovered' }>(
    tx,
    sql`
    SELECT 'sliver' AS rule, g.code, NULL AS other, ST_Area(d.geom::geography) AS area, NULL AS reason, ST_AsGeoJSON(d.geom, 7) AS geometry
    FROM grids g, LATERAL ST_Dump(g.geom) d
    WHERE g.id IN (${ids}) AND ST_Area(d.geom::geography) < ${rules.sliverAreaM2}
    UNION ALL
    SELECT 'area', code, NULL, area_m2, NULL, ST_AsGeoJSON(ST_PointOnSurface(geom), 7)
    FROM grids WHERE id IN (${ids}) AND (area_m2 < ${rules.minAreaM2} OR area_m2 > ${rules.maxAreaM2})
    UNION ALL
    SELECT 'uncovered', NULL, NULL, ${uncoveredArea(communityCode)}, NULL, NULL`,
  );
  const slivers = simple.filter((o) => o.rule === 'sliver');
  const area = simple.filter((o) => o.rule === 'area');
  const uncovered = Number(simple.find((o) => o.rule === 'uncovered')?.area ?? 0);

  // Filter first, then difference: see tracedGaps on empty differences in the WASM engine.
  const outside = await executeRows<Offence>(
    tx,
    sql`
    WITH beyond AS MATERIALIZED (
      SELECT g.code, g.geom AS grid, r.geom AS community FROM grids g JOIN regions r ON r.code = g.community_code
      WHERE g.id IN (${ids}) AND NOT ST_CoveredBy(g.geom, r.geom)),
    x AS (SELECT code, ST_CollectionExtract(ST_Difference(grid, community), 3) AS geom FROM beyond)
    SELECT code, NULL AS other, ST_Area(geom::geography) AS area, NULL AS reason, ST_AsGeoJSON(geom, 7) AS geometry
    FROM x WHERE ST_Area(geom::geography) > ${rules.overlapToleranceM2}`,
  );

  const overlaps = await executeRows<Offence>(
    tx,
    sql`
    SELECT a.code, b.code AS other, ST_Area(x.geom::geography) AS area, NULL AS reason, ST_AsGeoJSON(x.geom, 7) AS geometry
    FROM grids a JOIN grids b ON a.id <> b.id AND a.geom && b.geom AND (b.id NOT IN (${ids}) OR a.id < b.id),
         LATERAL (SELECT ST_CollectionExtract(ST_Intersection(a.geom, b.geom), 3) AS geom) x
    WHERE a.id IN (${ids}) AND ST_Relate(a.geom, b.geom, '2********') AND ST_Area(x.geom::geography) > ${rules.overlapToleranceM2}`,
  );

  // The area-sum shortcut holds only when nothing overlaps or sticks out: without overlaps the grids' stored areas add up to the covered area.
  const gaps = overlaps.length === 0 && outside.length === 0 && Math.abs(uncovered) <= rules.gapToleranceM2 ? [] : await tracedGaps(tx, communityCode, rules.gapToleranceM2);

  return [
    ...slivers.map(toViolation('sliver', (o) => `网格 ${o.code} 含有细碎多边形（${m2(o)}）`)),
    ...outside.map(toViolation('outside_community', (o) => `网格 ${o.code} 超出所属社区边界 ${m2(o)}`)),
    ...overlaps.map(toViolation('overlap', (o) => `网格 ${o.code} 与网格 ${o.other} 重叠 ${m2(o)}`)),
    ...gaps,
    ...area.map(toViolation('area', (o) => `网格 ${o.code} 面积 ${m2(o)} 超出允许范围（${rules.minAreaM2}–${rules.maxAreaM2} 平方米）`)),
  ];
}

/** The community's area minus its grids' stored areas (m²): zero, within tolerance, when nothing is left uncovered and nothing overlaps. */
const uncoveredArea = (communityCode: string) => sql`
  ((SELECT ST_Area(geom::geography) FROM regions WHERE code = ${communityCode}) - (SELECT coalesce(sum(area_m2), 0) FROM grids WHERE community_code = ${communityCode}))`;

/**
 * Parts of the community no grid covers, traced. Only called when the area sum (uncoveredArea)
 * says something may be uncovered: besides the cost, the embedded (WASM) PostGIS silently
 * returns no rows when ST_Difference yields an empty geometry.
 */
async function tracedGaps(tx: Executor, communityCode: string, toleranceM2: number): Promise<Violation[]> {
  const rows = await executeRows<Offence>(
    tx,
    sql`
    WITH covered AS (SELECT ST_Union(geom) AS geom FROM grids WHERE community_code = ${communityCode}),
         uncovered AS (
           SELECT CASE WHEN c.geom IS NULL THEN r.geom ELSE ST_Difference(r.geom, c.geom) END AS geom
           FROM regions r, covered c
           WHERE r.code = ${communityCode} AND (c.geom IS NULL OR NOT ST_Covers(c.geom, r.geom))),
         gap AS (SELECT (ST_Dump(ST_CollectionExtract(geom, 3))).geom AS geom FROM uncovered)
    SELECT NULL AS code, NULL AS other, ST_Area(geom::geography) AS area, NULL AS reason, ST_AsGeoJSON(geom, 7) AS geometry
    FROM gap WHERE ST_Area(geom::geography) > ${toleranceM2}`,
  );
  return rows.map(toViolation('gap', (o) => `社区 ${communityCode} 内留有未划入网格的空白 ${m2(o)}`));
}

/** PostGIS reasons in Chinese for the planner; the original stays in brackets. */
function translateReason(reason: string): string {
  const known: [RegExp, string][] = [
    [/Ring Self-intersection/i, '环自相交'],
    [/Self-intersection/i, '边界自相交'],
    [/Too few points/i, '顶点过少'],
    [/Hole lies outside shell/i, '内环位于外环之外'],
    [/Interior is disconnected/i, '内部不连通'],
    [/Nested shells/i, '外环嵌套'],
    [/Duplicate Rings/i, '重复的环'],
  ];
  const hit = known.find(([re]) => re.test(reason));
  return hit ? `${hit[1]}（${reason}）` : reason;
}
