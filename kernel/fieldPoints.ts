/**
 * What a phone's GPS fix must look like to be kept (patrol points, check-ins, visits):
 * inside China's extent and with a believable accuracy. Pure, so the field app can
 * check a fix before queueing it and the server refuses the same fixes with the same
 * reasons (field + reason).
 */

/** China's mainland and islands, generously (73.5–135.1 E, 3.8–53.6 N). */
export const CHINA_EXTENT = { west: 73, south: 3, east: 136, north: 54 } as const;
/** Worse than this (metres) is no fix at all; such points are refused. */
export const MAX_ACCURACY_M = 5000;
/** Points less accurate than this are stored but left out of tracks and distances. */
export const TRACK_ACCURACY_M = 100;

export interface FixProblem {
  field: 'lon' | 'lat' | 'accuracyM';
  reason: string;
}

/** Why a fix is refused (every problem), or an empty list. */
export function fixProblems(lon: unknown, lat: unknown, accuracyM?: unknown): FixProblem[] {
  const problems: FixProblem[] = [];
  if (typeof lon !== 'number' || !Number.isFinite(lon)) problems.push({ field: 'lon', reason: '经度应为数字' });
  else if (lon < CHINA_EXTENT.west || lon > CHINA_EXTENT.east) problems.push({ field: 'lon', reason: `经度 ${lon} 不在中国范围内（${CHINA_EXTENT.west}~${CHINA_EXTENT.east}）` });
  if (typeof lat !== 'number' || !Number.isFinite(lat)) problems.push({ field: 'lat', reason: '纬度应为数字' });
  else if (lat < CHINA_EXTENT.south || lat > CHINA_EXTENT.north) problems.push({ field: 'lat', reason: `纬度 ${lat} 不在中国范围内（${CHINA_EXTENT.south}~${CHINA_EXTENT.north}）` });
  if (accuracyM !== undefined && accuracyM !== null) {
    if (typeof accuracyM !== 'number' || !Number.isFinite(accuracyM)) problems.push({ field: 'accuracyM', reason: '定位精度应为米数' });
    else if (accuracyM <= 0 || accuracyM > MAX_ACCURACY_M) problems.push({ field: 'accuracyM', reason: `定位精度 ${accuracyM} 米不可信（应为 0~${MAX_ACCURACY_M} 米）` });
  }
  return problems;
}
