/**
 * What the map's 星级 mode colours by: per organisation (community 12 / grid 15 digits) its
 * latest FINAL rating — the newest year whose rating reached 认定 — ignoring ratings still in
 * self-assessment, review or 公示. An organisation without any final rating is absent (未评定).
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { inRegion, requireRegion } from './regionScope';

export interface FinalStar {
  orgCode: string;
  orgName: string;
  year: number;
  stars: number;
  finalAt: string | null;
}

/** Latest final star rating per organisation, of `region` (6/9/12 digits) or of everything. */
export async function latestFinalStars(db: DbHandle, region: string | null): Promise<{ ratings: FinalStar[] }> {
  if (region) await requireRegion(db, region, 'region');
  const rows = await db.rows<{ org_code: string; org_name: string; year: number; stars: number; final_at: string | null }>(sql`
    SELECT DISTINCT ON (s.org_code) s.org_code, s.org_name, s.year, s.stars, s.final_at
    FROM star_ratings s
    WHERE s.status = 'final' AND s.stars IS NOT NULL ${region ? sql`AND ${inRegion(sql`s.org_code`, region)}` : sql``}
    ORDER BY s.org_code, s.year DESC`);
  return {
    ratings: rows.map((r) => ({ orgCode: r.org_code, orgName: r.org_name, year: Number(r.year), stars: Number(r.stars), finalAt: r.final_at === null ? null : new Date(r.final_at).toISOString() })),
  };
}
