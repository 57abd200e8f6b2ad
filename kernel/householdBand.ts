/**
 * Why: the target band of households per grid (网格户数目标区间) is read by the server (dry-run
 * impact, 均衡) and highlighted by the editor; one definition of the default and of "in band".
 * Common practice is 300–500 households per base grid (e.g. 城市基础网格 "一般 300—500 户").
 */
export interface HouseholdBand {
  min: number;
  max: number;
}

export const DEFAULT_HOUSEHOLD_BAND: HouseholdBand = { min: 300, max: 500 };

export type BandStatus = 'below' | 'in' | 'above';

export function bandStatus(households: number, band: HouseholdBand): BandStatus {
  if (households < band.min) return 'below';
  if (households > band.max) return 'above';
  return 'in';
}

export const BAND_STATUS_LABELS: Record<BandStatus, string> = { below: '低于区间', in: '区间内', above: '超出区间' };
