/**
 * The 南宁 norm for an estate's 党群服务 space: 30 m² per 100 households and never
 * less than 300 m². Pure, so the estate list, the map popup and the export show the
 * same required area and the same flag.
 */

export const NORM_M2_PER_100_HOUSEHOLDS = 30;
export const NORM_FLOOR_M2 = 300;

/** The space an estate of `households` households should have, m². */
export const requiredServiceSpace = (households: number): number => Math.max(NORM_FLOOR_M2, Math.ceil((Math.max(0, households) * NORM_M2_PER_100_HOUSEHOLDS) / 100));

export interface EstateNormCheck {
  requiredM2: number;
  actualM2: number;
  /** The space meets the norm. */
  meets: boolean;
  /** m² missing (0 when met). */
  shortfallM2: number;
}

export function checkEstateNorm(households: number, serviceSpaceM2: number | null): EstateNormCheck {
  const requiredM2 = requiredServiceSpace(households);
  const actualM2 = serviceSpaceM2 ?? 0;
  return { requiredM2, actualM2, meets: actualM2 >= requiredM2, shortfallM2: Math.max(0, Math.round((requiredM2 - actualM2) * 10) / 10) };
}
