/**
 * Why: each community may set its own target band of households per grid; absent a row the
 * kernel default (300–500) applies. Written by admins and the community's planners.
 */
import { sql } from 'drizzle-orm';
import { executeRows, type DbHandle, type Executor } from '../../db/client';
import { DEFAULT_HOUSEHOLD_BAND, type HouseholdBand } from '../../kernel/householdBand';
import { withinJurisdiction, type SessionUser } from '../../kernel/roles';
import { ForbiddenError, NotFoundError } from '../http/domainError';

export interface CommunityBand extends HouseholdBand {
  communityCode: string;
  /** false: the default band, no row for this community. */
  configured: boolean;
  updatedBy: string | null;
  updatedAt: string | null;
}

export async function bandOf(tx: Executor, communityCode: string): Promise<CommunityBand> {
  const [row] = await executeRows<{ min_households: number; max_households: number; updated_by: string | null; updated_at: string | Date | null }>(
    tx,
    sql`SELECT min_households, max_households, updated_by, updated_at FROM household_bands WHERE community_code = ${communityCode}`,
  );
  if (!row) return { communityCode, ...DEFAULT_HOUSEHOLD_BAND, configured: false, updatedBy: null, updatedAt: null };
  return {
    communityCode,
    min: Number(row.min_households),
    max: Number(row.max_households),
    configured: true,
    updatedBy: row.updated_by,
    updatedAt: row.updated_at === null ? null : new Date(row.updated_at).toISOString(),
  };
}

export async function communityBand(handle: DbHandle, communityCode: string): Promise<CommunityBand> {
  const [community] = await handle.rows<{ code: string }>(sql`SELECT code FROM regions WHERE code = ${communityCode} AND level = 'community'`);
  if (!community) throw new NotFoundError(`社区 ${communityCode} 不存在`);
  return bandOf(handle.db, communityCode);
}

/** Sets (or with `null` resets to the default) a community's band; actor and time from the session and the server clock. */
export async function setCommunityBand(handle: DbHandle, communityCode: string, band: HouseholdBand | null, user: SessionUser): Promise<CommunityBand> {
  if (!withinJurisdiction(user, communityCode)) throw new ForbiddenError(`您的辖区（${user.jurisdictionCode ?? '无'}）不包括社区 ${communityCode}`);
  await communityBand(handle, communityCode);
  const actor = user.displayName || user.username;
  if (band === null) await handle.db.execute(sql`DELETE FROM household_bands WHERE community_code = ${communityCode}`);
  else
    await handle.db.execute(sql`
      INSERT INTO household_bands (community_code, min_households, max_households, updated_by, updated_at) VALUES (${communityCode}, ${band.min}, ${band.max}, ${actor}, now())
      ON CONFLICT (community_code) DO UPDATE SET min_households = EXCLUDED.min_households, max_households = EXCLUDED.max_households, updated_by = EXCLUDED.updated_by, updated_at = now()`);
  return bandOf(handle.db, communityCode);
}
