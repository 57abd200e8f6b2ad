/**
 * Database checks of import candidates, all in SQL over the candidates passed
 * as one JSON parameter (no temp tables, so a dry run writes nothing):
 *  - geometry validity (PostGIS reason and location),
 *  - community code known, and the grid lying on its community (a wrong CRS
 *    puts it somewhere else),
 *  - overlaps among imported grids and with existing grids the import keeps,
 *  - gaps left inside each touched community (warnings).
 * Overlap and gap tolerance: 1 m², below the precision of surveyed boundaries.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { PreparedCandidate } from './prepare';
import type { ImportIssue } from './report';

export type RunRows = <T>(query: SQL) => Promise<T[]>;

export const AREA_TOLERANCE_M2 = 1;

/** The candidates as one JSON array, from their serialised elements (built in the import worker). */
export const candidatesJson = (candidates: PreparedCandidate[]) => `[${candidates.map((c) => c.json).join(',')}]`;

/** The candidates as rows (feature, code, name, attributes — null where the file gives none —, geom) inside a WITH clause. */
export const inputRows = (json: string) => sql`
  SELECT (e->>'i')::int AS feature, e->>'code' AS code, e->>'name' AS name,
         (e->'a'->>'households')::int AS households, (e->'a'->>'population')::int AS population,
         e->'a'->>'partyOrgName' AS party_org_name, e->'a'->'gridWorkers' AS grid_workers,
         ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(e->>'g'), 4326)) AS geom
  FROM jsonb_array_elements(${json}::jsonb) e`;

interface FeatureCheckRow {
  feature: number;
  code: string;
  valid: boolean;
  reason: string | null;
  lon: number | null;
  lat: number | null;
  community_known: boolean;
  on_community: boolean;
  exists: boolean;
}

export interface CheckResult {
  issues: ImportIssue[];
  existingCodes: Set<string>;
}

export async function checkCandidates(rows: RunRows, candidates: PreparedCandidate[]): Promise<CheckResult> {
  const issues: ImportIssue[] = [];
  const existingCodes = new Set<string>();
  if (candidates.length === 0) return { issues, existingCodes };
  const json = candidatesJson(candidates);
  const perFeature = await rows<FeatureCheckRow>(sql`
    WITH input AS (${inputRows(json)})
    SELECT i.feature, i.code, ST_IsValid(i.geom) AS valid,
           CASE WHEN NOT ST_IsValid(i.geom) THEN ST_IsValidReason(i.geom) END AS reason,
           CASE WHEN NOT ST_IsValid(i.geom) THEN ST_X((ST_IsValidDetail(i.geom)).location) END AS lon,
           CASE WHEN NOT ST_IsValid(i.geom) THEN ST_Y((ST_IsValidDetail(i.geom)).location) END AS lat,
           c.code IS NOT NULL AS community_known,
           (c.geom IS NULL OR c.geom && i.geom) AS on_community,
           EXISTS (SELECT 1 FROM grids g WHERE g.code = i.code) AS exists
    FROM input i LEFT JOIN regions c ON c.code = left(i.code, 12) AND c.level = 'community'
    ORDER BY i.feature`);
  const usable: PreparedCandidate[] = [];
  const byFeature = new Map(candidates.map((c) => [c.feature, c]));
  for (const r of perFeature) {
    const base = { feature: r.feature, code: r.code };
    if (r.exists) existingCodes.add(r.code);
    let ok = true;
    if (!r.valid) {
      ok = false;
      const location: [number, number] | null = r.lon === null ? null : [Number(r.lon), Number(r.lat)];
      issues.push({ ...base, severity: 'error', kind: 'invalid_geometry', reason: `几何图形无效：${r.reason}`, location });
    }
    if (!r.community_known) {
      ok = false;
      issues.push({ ...base, severity: 'error', kind: 'unknown_community', reason: `社区编码 ${r.code.slice(0, 12)} 不存在`, location: null });
    } else if (!r.on_community) {
      ok = false;
      issues.push({ ...base, severity: 'error', kind: 'outside_community', reason: `网格不在所属社区 ${r.code.slice(0, 12)} 的范围内，坐标系可能不正确`, location: null });
    }
    if (ok) usable.push(byFeature.get(r.feature)!);
  }
  if (usable.length === 0) return { issues, existingCodes };
  const usableJson = candidatesJson(usable);

  const overlaps = await rows<{ feature: number; code: string; other_feature: number | null; other_code: string; other_community: string | null; area: number; lon: number; lat: number }>(sql`
    WITH input AS (${inputRows(usableJson)}),
    pairs AS (
      SELECT a.feature, a.code, b.feature AS other_feature, b.code AS other_code, NULL::text AS other_community,
             ST_CollectionExtract(ST_Intersection(a.geom, b.geom), 3) AS x
      FROM input a JOIN input b ON a.feature < b.feature AND a.geom && b.geom AND ST_Intersects(a.geom, b.geom)
      UNION ALL
      SELECT i.feature, i.code, NULL, g.code, g.community_code, ST_CollectionExtract(ST_Intersection(i.geom, g.geom), 3)
      FROM input i JOIN grids g ON g.geom && i.geom AND ST_Intersects(g.geom, i.geom)
      WHERE NOT EXISTS (SELECT 1 FROM input j WHERE j.code = g.code)
    )
    SELECT feature, code, other_feature, other_code, other_community, ST_Area(x::geography) AS area,
           ST_X(ST_PointOnSurface(x)) AS lon, ST_Y(ST_PointOnSurface(x)) AS lat
    FROM pairs WHERE NOT ST_IsEmpty(x) AND ST_Area(x::geography) > ${AREA_TOLERANCE_M2}
    ORDER BY feature, other_code`);
  for (const o of overlaps) {
    const area = Number(o.area);
    const imported = o.other_feature !== null;
    issues.push({
      severity: 'error',
      kind: imported ? 'overlap_import' : 'overlap_existing',
      feature: o.feature,
      code: o.code,
      other: o.other_code,
      areaM2: Math.round(area * 10) / 10,
      location: [Number(o.lon), Number(o.lat)],
      reason: imported
        ? `与文件中第 ${o.other_feature} 个要素（${o.other_code}）重叠 ${area.toFixed(1)} 平方米`
        : `与现有网格 ${o.other_code}（${o.other_community === o.code.slice(0, 12) ? '本社区，未在文件中' : `社区 ${o.other_community}`}）重叠 ${area.toFixed(1)} 平方米`,
    });
  }

  const gaps = await rows<{ community: string; area: number; lon: number; lat: number }>(sql`
    WITH input AS (${inputRows(usableJson)}),
    communities AS (SELECT DISTINCT left(code, 12) AS code FROM input),
    final AS (
      SELECT left(code, 12) AS community, geom FROM input
      UNION ALL
      SELECT g.community_code, g.geom FROM grids g JOIN communities c ON c.code = g.community_code
      WHERE NOT EXISTS (SELECT 1 FROM input j WHERE j.code = g.code)
    ),
    uncovered AS (
      SELECT r.code AS community, (ST_Dump(ST_CollectionExtract(ST_Difference(r.geom, ST_Union(f.geom)), 3))).geom AS gap
      FROM regions r JOIN final f ON f.community = r.code
      WHERE r.geom IS NOT NULL
      GROUP BY r.code, r.geom
      -- Difference only where something is uncovered: the WASM engine returns no rows for empty differences.
      HAVING NOT ST_Covers(ST_Union(f.geom), r.geom)
    )
    SELECT community, ST_Area(gap::geography) AS area, ST_X(ST_PointOnSurface(gap)) AS lon, ST_Y(ST_PointOnSurface(gap)) AS lat
    FROM uncovered WHERE ST_Area(gap::geography) > ${AREA_TOLERANCE_M2}
    ORDER BY community, area DESC`);
  for (const g of gaps) {
    const area = Number(g.area);
    issues.push({
      severity: 'warning',
      kind: 'gap',
      feature: null,
      code: g.community,
      areaM2: Math.round(area * 10) / 10,
      location: [Number(g.lon), Number(g.lat)],
      reason: `导入后社区 ${g.community} 内有 ${area.toFixed(1)} 平方米未被网格覆盖`,
    });
  }
  return { issues, existingCodes };
}
