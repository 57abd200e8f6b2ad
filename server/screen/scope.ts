/**
 * A screen region: 市 (6 digits ending 00) / 区县 (6) / 街道 (9) / 社区 (12) / 网格 (15).
 * Grids carry their community/street/district codes, so every level is an
 * index-friendly filter on `grids` (alias g) — no spatial join needed.
 */
import { sql, type SQL } from 'drizzle-orm';

export type ScreenLevel = 'city' | 'district' | 'street' | 'community' | 'grid';

export const SCREEN_REGION_PATTERN = /^(\d{6}|\d{9}|\d{12}|\d{15})$/;

export function levelOf(code: string): ScreenLevel {
  if (code.length === 15) return 'grid';
  if (code.length === 12) return 'community';
  if (code.length === 9) return 'street';
  return code.endsWith('00') ? 'city' : 'district';
}

/** Grids of the region (alias g). */
export function gridScope(code: string): SQL {
  switch (levelOf(code)) {
    case 'grid':
      return sql`g.code = ${code}`;
    case 'community':
      return sql`g.community_code = ${code}`;
    case 'street':
      return sql`g.street_code = ${code}`;
    case 'district':
      return sql`g.district_code = ${code}`;
    case 'city':
      return sql`g.district_code LIKE ${`${code.slice(0, 4)}%`}`;
  }
}

/**
 * 党群服务中心 of the region (alias c): by the region they belong to, so the city's own
 * centre counts for the city but not for a district; for a grid, the centres standing in it.
 */
export function centreScope(code: string): SQL {
  const level = levelOf(code);
  if (level === 'grid') return sql`c.geom && (SELECT geom FROM grids WHERE code = ${code}) AND ST_Intersects(c.geom, (SELECT geom FROM grids WHERE code = ${code}))`;
  if (level === 'city') return sql`c.region_code LIKE ${`${code.slice(0, 4)}%`}`;
  return sql`c.region_code LIKE ${`${code}%`}`;
}

/** The code of the child region a grid (alias g) belongs to, one level below `code`; null for a grid. */
export function childKey(code: string): SQL | null {
  switch (levelOf(code)) {
    case 'city':
      return sql`g.district_code`;
    case 'district':
      return sql`g.street_code`;
    case 'street':
      return sql`g.community_code`;
    case 'community':
      return sql`g.code`;
    case 'grid':
      return null;
  }
}
