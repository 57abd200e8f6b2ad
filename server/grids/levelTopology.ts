/**
 * Why: each grid level has its own topology rules, checked inside the saving transaction
 * after a micro or 专属网格 change is applied (the base grids' rules are ./topology.ts).
 *  - 微网格 tile their base grid: inside it, no overlap among the micro grids of the same
 *    base grid, no gap left in it (once it has any micro grid).
 *  - 专属网格 lie inside their community (DB6101/T 3185 §5.2 b: every grid belongs to one
 *    community), may lie across base grids, and must not overlap another 专属网格 of the same
 *    kind; other kinds and the base grids are not compared.
 * Tolerances, slivers and area limits come from the same GridRules as the base grids.
 */
import { sql } from 'drizzle-orm';
import { executeRows, type Executor } from '../../db/client';
import type { GridRules, Violation } from './rules';

interface Offence {
  code: string | null;
  other: string | null;
  area: number | null;
  geometry: string | null;
}

const m2 = (o: Offence) => `${Math.round(Number(o.area ?? 0) * 10) / 10} 平方米`;

const violation = (rule: Violation['rule'], message: string, o: Offence): Violation => ({
  rule,
  message,
  ...(o.code ? { gridCode: o.code } : {}),
  ...(o.other ? { otherGridCode: o.other } : {}),
  ...(o.area != null ? { areaM2: Math.round(Number(o.area) * 100) / 100 } : {}),
  ...(o.geometry ? { geometry: JSON.parse(o.geometry) as GeoJSON.Geometry } : {}),
});

/** The rules of the sub grids `ids` (micro and/or 专属网格) as they are now in the transaction. */
export async function levelViolations(tx: Executor, ids: number[], rules: GridRules): Promise<Violation[]> {
  if (ids.length === 0) return [];
  const list = sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );
  const invalid = await executeRows<Offence & { reason: string }>(
    tx,
    sql`SELECT code, NULL AS other, NULL AS area, ST_IsValidReason(geom) AS reason, ST_AsGeoJSON(ST_PointOnSurface(geom), 7) AS geometry
        FROM sub_grids WHERE id IN (${list}) AND NOT ST_IsValid(geom)`,
  );
  if (invalid.length > 0) return invalid.map((o) => violation('invalid', `网格 ${o.code} 的几何无效：${o.reason}`, o));

  const slivers = await executeRows<Offence>(
    tx,
    sql`SELECT s.code, NULL AS other, ST_Area(d.geom::geography) AS area, ST_AsGeoJSON(d.geom, 7) AS geometry
        FROM sub_grids s, LATERAL ST_Dump(s.geom) d WHERE s.id IN (${list}) AND ST_Area(d.geom::geography) < ${rules.sliverAreaM2}`,
  );

  // A micro grid outside its base grid; a 专属网格 outside its community. Filter first, then difference (see topology.ts).
  const outside = await executeRows<Offence & { level: string }>(
    tx,
    sql`
    WITH beyond AS MATERIALIZED (
      SELECT s.code, s.level, s.geom, coalesce(g.geom, r.geom) AS container
      FROM sub_grids s LEFT JOIN grids g ON s.level = 'micro' AND g.code = s.parent_grid_code
           LEFT JOIN regions r ON s.level = 'exclusive' AND r.code = s.community_code
      WHERE s.id IN (${list}) AND (coalesce(g.geom, r.geom) IS NULL OR NOT ST_CoveredBy(s.geom, coalesce(g.geom, r.geom)))),
    x AS (SELECT code, level, CASE WHEN container IS NULL THEN geom ELSE ST_CollectionExtract(ST_Difference(geom, container), 3) END AS geom FROM beyond)
    SELECT code, level, NULL AS other, ST_Area(geom::geography) AS area, ST_AsGeoJSON(geom, 7) AS geometry
    FROM x WHERE ST_Area(geom::geography) > ${rules.overlapToleranceM2}`,
  );

  // Overlaps only within the same family: micro grids of one base grid, 专属网格 of one kind.
  const overlaps = await executeRows<Offence>(
    tx,
    sql`
    SELECT a.code, b.code AS other, ST_Area(x.geom::geography) AS area, ST_AsGeoJSON(x.geom, 7) AS geometry
    FROM sub_grids a JOIN sub_grids b ON a.id <> b.id AND a.level = b.level AND a.geom && b.geom
         AND (b.id NOT IN (${list}) OR a.id < b.id)
         AND ((a.level = 'micro' AND a.parent_grid_code = b.parent_grid_code) OR (a.level = 'exclusive' AND a.kind = b.kind)),
         LATERAL (SELECT ST_CollectionExtract(ST_Intersection(a.geom, b.geom), 3) AS geom) x
    WHERE a.id IN (${list}) AND ST_Relate(a.geom, b.geom, '2********') AND ST_Area(x.geom::geography) > ${rules.overlapToleranceM2}`,
  );

  // Gaps in every base grid that has micro grids and is touched here: area arithmetic first (no overlap ⇒ sums suffice).
  const parents = await executeRows<{ code: string; uncovered: number }>(
    tx,
    sql`
    SELECT g.code, ST_Area(g.geom::geography) - (SELECT coalesce(sum(area_m2), 0) FROM sub_grids m WHERE m.level = 'micro' AND m.parent_grid_code = g.code) AS uncovered
    FROM grids g WHERE g.code IN (SELECT parent_grid_code FROM sub_grids WHERE id IN (${list}) AND level = 'micro')`,
  );
  const gaps: Offence[] = [];
  for (const p of parents) {
    if (overlaps.length === 0 && Math.abs(Number(p.uncovered)) <= rules.gapToleranceM2) continue;
    gaps.push(
      ...(await executeRows<Offence>(
        tx,
        sql`
        WITH covered AS (SELECT ST_Union(geom) AS geom FROM sub_grids WHERE level = 'micro' AND parent_grid_code = ${p.code}),
        uncovered AS (SELECT CASE WHEN c.geom IS NULL THEN g.geom ELSE ST_Difference(g.geom, c.geom) END AS geom
                      FROM grids g, covered c WHERE g.code = ${p.code} AND (c.geom IS NULL OR NOT ST_Covers(c.geom, g.geom))),
        parts AS (SELECT (ST_Dump(ST_CollectionExtract(geom, 3))).geom AS geom FROM uncovered)
        SELECT ${p.code} AS code, NULL AS other, ST_Area(geom::geography) AS area, ST_AsGeoJSON(geom, 7) AS geometry
        FROM parts WHERE ST_Area(geom::geography) > ${rules.gapToleranceM2}`,
      )),
    );
  }

  const area = await executeRows<Offence>(
    tx,
    sql`SELECT code, NULL AS other, area_m2 AS area, ST_AsGeoJSON(ST_PointOnSurface(geom), 7) AS geometry
        FROM sub_grids WHERE id IN (${list}) AND area_m2 < ${rules.minAreaM2 / 10}`,
  );

  return [
    ...slivers.map((o) => violation('sliver', `网格 ${o.code} 含有细碎多边形（${m2(o)}）`, o)),
    ...outside.map((o) => violation('outside_community', o.level === 'micro' ? `微网格 ${o.code} 超出所属基础网格 ${m2(o)}` : `专属网格 ${o.code} 超出所属社区边界 ${m2(o)}`, o)),
    ...overlaps.map((o) => violation('overlap', `网格 ${o.code} 与同类网格 ${o.other} 重叠 ${m2(o)}`, o)),
    ...gaps.map((o) => violation('gap', `基础网格 ${o.code} 内留有未划入微网格的空白 ${m2(o)}`, o)),
    ...area.map((o) => violation('area', `网格 ${o.code} 面积 ${m2(o)} 过小（至少 ${rules.minAreaM2 / 10} 平方米）`, o)),
  ];
}
