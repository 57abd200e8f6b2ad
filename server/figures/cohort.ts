/**
 * Why: 示范评估 (server/scorecards) compares a chosen set of communities (示范社区) with the
 * rest of the city, and each of its cells opens as a figure (server/figures/registry.ts).
 * Both must pick the same incidents and grids, so the two WHERE fragments of a cohort live
 * here once and the scorecard and the figures both use them.
 */
import { type SQL, sql } from 'drizzle-orm';

/** The 示范社区 (`rest: false`) or every other community of their city (`rest: true`). */
export interface FigureCohort {
  /** 12-digit community codes, sorted and distinct. */
  communities: readonly string[];
  rest: boolean;
}

/** The city of a cohort: the first four digits of its communities (as the scorecard compares). */
export const cohortCity = (c: FigureCohort) => c.communities[0]!.slice(0, 4);

/** Incidents (alias i) of the cohort. */
export function cohortIncidents(c: FigureCohort): SQL {
  return c.rest ? sql`i.community_code LIKE ${`${cohortCity(c)}%`} AND i.community_code NOT IN ${c.communities}` : sql`i.community_code IN ${c.communities}`;
}

/** Grids (alias g) of the cohort. */
export function cohortGrids(c: FigureCohort): SQL {
  return c.rest ? sql`g.district_code LIKE ${`${cohortCity(c)}%`} AND g.community_code NOT IN ${c.communities}` : sql`g.community_code IN ${c.communities}`;
}

/** A 12-digit community code column (any alias) of the cohort, as the two above select. */
export function cohortCommunityCode(column: SQL, c: FigureCohort): SQL {
  return c.rest ? sql`${column} LIKE ${`${cohortCity(c)}%`} AND ${column} NOT IN ${c.communities}` : sql`${column} IN ${c.communities}`;
}
