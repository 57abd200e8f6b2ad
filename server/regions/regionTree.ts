/**
 * The administrative tree 市 → 区县 → 街道 → 社区 with bounds and headline figures, for drill-down;
 * each node counts its grids of every level (基础网格, 微网格, 专属网格) so the tree shows them all.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';

export type RegionLevel = 'city' | 'district' | 'street' | 'community';

export interface RegionNode {
  code: string;
  name: string;
  level: RegionLevel;
  kind: string | null;
  parentCode: string | null;
  /** [west, south, east, north] in WGS84 */
  bbox: [number, number, number, number];
  label: [number, number];
  households: number;
  population: number;
  /** 基础网格 */
  gridCount: number;
  /** 微网格 (they tile base grids) */
  microCount: number;
  /** 专属网格 (schools, hospitals, parks, business buildings, markets) */
  exclusiveCount: number;
  children: RegionNode[];
}

interface RegionRow {
  code: string;
  name: string;
  level: RegionLevel;
  kind: string | null;
  parent_code: string | null;
  west: number;
  south: number;
  east: number;
  north: number;
  label_lon: number;
  label_lat: number;
  households: number;
  population: number;
  grid_count: number;
  micro_count: number;
  exclusive_count: number;
}

export async function loadRegionTree(handle: DbHandle): Promise<RegionNode[]> {
  const rows = await handle.rows<RegionRow>(sql`
    WITH counts AS (
      SELECT community_code AS code, count(*)::int AS n FROM grids GROUP BY community_code
      UNION ALL SELECT street_code, count(*)::int FROM grids GROUP BY street_code
      UNION ALL SELECT district_code, count(*)::int FROM grids GROUP BY district_code
    ),
    sub AS (
      -- A community code starts with its street's (9) and district's (6) codes.
      SELECT community_code AS code, level FROM sub_grids
      UNION ALL SELECT left(community_code, 9), level FROM sub_grids
      UNION ALL SELECT left(community_code, 6), level FROM sub_grids
    ),
    sub_counts AS (
      SELECT code, count(*) FILTER (WHERE level = 'micro')::int AS micro, count(*) FILTER (WHERE level = 'exclusive')::int AS exclusive FROM sub GROUP BY code
    )
    SELECT r.code, r.name, r.level, r.kind, r.parent_code,
           ST_XMin(r.geom) AS west, ST_YMin(r.geom) AS south, ST_XMax(r.geom) AS east, ST_YMax(r.geom) AS north,
           ST_X(r.label_point) AS label_lon, ST_Y(r.label_point) AS label_lat,
           r.households, r.population,
           CASE WHEN r.level = 'city' THEN (SELECT count(*)::int FROM grids) ELSE coalesce(c.n, 0) END AS grid_count,
           CASE WHEN r.level = 'city' THEN (SELECT count(*)::int FROM sub_grids WHERE level = 'micro') ELSE coalesce(sc.micro, 0) END AS micro_count,
           CASE WHEN r.level = 'city' THEN (SELECT count(*)::int FROM sub_grids WHERE level = 'exclusive') ELSE coalesce(sc.exclusive, 0) END AS exclusive_count
    FROM regions r LEFT JOIN counts c ON c.code = r.code LEFT JOIN sub_counts sc ON sc.code = r.code
    ORDER BY r.code`);
  const nodes = new Map<string, RegionNode>();
  for (const r of rows) {
    nodes.set(r.code, {
      code: r.code,
      name: r.name,
      level: r.level,
      kind: r.kind,
      parentCode: r.parent_code,
      bbox: [r.west, r.south, r.east, r.north].map(Number) as RegionNode['bbox'],
      label: [Number(r.label_lon), Number(r.label_lat)],
      households: r.households,
      population: r.population,
      gridCount: r.grid_count,
      microCount: r.micro_count,
      exclusiveCount: r.exclusive_count,
      children: [],
    });
  }
  const roots: RegionNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentCode ? nodes.get(node.parentCode) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}
