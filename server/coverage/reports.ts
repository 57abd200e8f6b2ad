/**
 * The region-scoped answers of /api/coverage: the coverage summary measured
 * against a target share, the communities below the target (with the households
 * missing to reach it), the blind spots as a FeatureCollection and the
 * service-space norm. A region filter must name an existing region (404).
 * Shares are 0..1 in the figures and percent (2 decimals) where compared with the target.
 */
import { sql } from 'drizzle-orm';
import type { FacilityKind } from '../../kernel/facilityKinds';
import type { DbHandle } from '../../db/client';
import { NotFoundError } from '../http/domainError';
import { blindSpots, coverageSummary, type BlindSpotFeature, type CoverageFigures, type CoverageSummary, type SummaryLevel } from './coverage';
import { communityNorms, NORM_M2_PER_100_HOUSEHOLDS, type CommunityNorm } from './norm';

async function assertRegionExists(db: DbHandle, region: string | undefined): Promise<void> {
  if (!region) return;
  const [row] = await db.rows<{ code: string }>(sql`SELECT code FROM regions WHERE code = ${region}`);
  if (!row) throw new NotFoundError(`区划代码 ${region} 不存在`);
}

const percent = (share: number) => Math.round(share * 10000) / 100;

interface Scope {
  region?: string;
  kind?: FacilityKind;
  speedMPerMin: number;
}

export interface CoverageReport extends Omit<CoverageSummary, 'total' | 'rows'> {
  level: SummaryLevel;
  targetPercent: number;
  total: CoverageFigures & { householdPercent: number };
  rows: (CoverageFigures & { householdPercent: number; belowTarget: boolean })[];
}

export async function coverageReport(db: DbHandle, level: SummaryLevel, scope: Scope & { targetPercent: number }): Promise<CoverageReport> {
  await assertRegionExists(db, scope.region);
  const summary = await coverageSummary(db, level, scope);
  const target = scope.targetPercent;
  const rows = summary.rows.map((r) => ({ ...r, householdPercent: percent(r.householdShare), belowTarget: percent(r.householdShare) < target }));
  return { ...summary, level, targetPercent: target, total: { ...summary.total, householdPercent: percent(summary.total.householdShare) }, rows };
}

export interface BelowTargetReport {
  targetPercent: number;
  minutes: number;
  speedMPerMin: number;
  networkVersion: number;
  /** Lowest share first. */
  communities: (CoverageFigures & { householdPercent: number; gapHouseholds: number })[];
}

export async function communitiesBelowTarget(db: DbHandle, scope: Scope & { targetPercent: number }): Promise<BelowTargetReport> {
  await assertRegionExists(db, scope.region);
  const target = scope.targetPercent;
  const summary = await coverageSummary(db, 'community', scope);
  const communities = summary.rows
    .filter((r) => percent(r.householdShare) < target)
    .sort((a, b) => a.householdShare - b.householdShare)
    .map((r) => ({ ...r, householdPercent: percent(r.householdShare), gapHouseholds: Math.max(0, (target / 100) * r.households - r.coveredHouseholds) }));
  return { targetPercent: target, minutes: summary.minutes, speedMPerMin: scope.speedMPerMin, networkVersion: summary.networkVersion, communities };
}

export interface BlindSpotCollection {
  type: 'FeatureCollection';
  networkVersion: number;
  speedMPerMin: number;
  features: BlindSpotFeature[];
}

export async function blindSpotCollection(db: DbHandle, scope: Scope & { minAreaM2: number }): Promise<BlindSpotCollection> {
  await assertRegionExists(db, scope.region);
  const result = await blindSpots(db, scope);
  return { type: 'FeatureCollection', networkVersion: result.networkVersion, speedMPerMin: scope.speedMPerMin, features: result.features };
}

export interface NormReport {
  m2Per100Households: number;
  communities: CommunityNorm[];
  /** Over all communities of the region, whether listed or not. */
  shortCount: number;
  totalShortfallM2: number;
}

export async function normReport(db: DbHandle, region: string | undefined, onlyShort: boolean): Promise<NormReport> {
  await assertRegionExists(db, region);
  const all = await communityNorms(db, region);
  return {
    m2Per100Households: NORM_M2_PER_100_HOUSEHOLDS,
    communities: onlyShort ? all.filter((n) => !n.meetsNorm) : all,
    shortCount: all.filter((n) => !n.meetsNorm).length,
    totalShortfallM2: all.reduce((s, n) => s + n.shortfallM2, 0),
  };
}
