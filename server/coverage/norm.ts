/**
 * The service-space norm: community-level 党群服务中心 (only that kind of 阵地) (社区 and 小区 together) should
 * offer at least 30 m² per 100 households of the community. Households are the
 * sum of the community's grids, the same figures the coverage analysis uses.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';

export const NORM_M2_PER_100_HOUSEHOLDS = 30;

export interface CommunityNorm {
  code: string;
  name: string;
  streetCode: string;
  households: number;
  centres: number;
  providedM2: number;
  requiredM2: number;
  /** max(0, required − provided) */
  shortfallM2: number;
  meetsNorm: boolean;
}

export async function communityNorms(db: DbHandle, region?: string): Promise<CommunityNorm[]> {
  const rows = await db.rows<{ code: string; name: string; parent_code: string; households: number; centres: number; provided_m2: number }>(sql`
    SELECT r.code, r.name, r.parent_code,
           coalesce((SELECT sum(g.households) FROM grids g WHERE g.community_code = r.code), 0) AS households,
           (SELECT count(*) FROM service_centres c WHERE c.region_code = r.code AND c.kind = 'party_centre' AND c.level IN ('community', 'estate')) AS centres,
           coalesce((SELECT sum(c.area_m2) FROM service_centres c WHERE c.region_code = r.code AND c.kind = 'party_centre' AND c.level IN ('community', 'estate')), 0) AS provided_m2
    FROM regions r
    WHERE r.level = 'community' AND (${region ?? null}::text IS NULL OR r.code LIKE ${`${region ?? ''}%`})
    ORDER BY r.code`);
  return rows.map((r) => {
    const households = Number(r.households);
    const providedM2 = Number(r.provided_m2);
    const requiredM2 = (households / 100) * NORM_M2_PER_100_HOUSEHOLDS;
    const shortfallM2 = Math.max(0, requiredM2 - providedM2);
    return { code: r.code, name: r.name, streetCode: r.parent_code, households, centres: Number(r.centres), providedM2, requiredM2, shortfallM2, meetsNorm: shortfallM2 === 0 };
  });
}
