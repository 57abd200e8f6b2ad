/**
 * The service-space norm checked per 阵地 (not per community, as server/coverage/norm.ts does):
 * a community- or estate-level 党群服务中心 should offer 30 m² per 100 households it serves, and an
 * estate's (小区) never less than 300 m² (kernel/estateNorm.ts). Other kinds and levels have no
 * such norm. Pure, so the 阵地管理 list and the API say the same.
 */
import { NORM_FLOOR_M2, NORM_M2_PER_100_HOUSEHOLDS } from './estateNorm';
import type { FacilityKind, FacilityLevel } from './facilityKinds';

export interface FacilityNormCheck {
  /** meets / short: checked; unknown: the norm applies but households served are not filled in; none: no norm for this kind and level. */
  status: 'meets' | 'short' | 'unknown' | 'none';
  /** m² the norm asks for (null when it does not apply or cannot be computed). */
  requiredM2: number | null;
  /** m² missing (0 unless short). */
  shortfallM2: number;
  /** Chinese, for a tooltip or a list cell. */
  text: string;
}

const fmt = (n: number) => n.toLocaleString('zh-CN', { maximumFractionDigits: 1 });

export function facilityNorm(kind: FacilityKind, level: FacilityLevel, householdsServed: number, areaM2: number): FacilityNormCheck {
  if (kind !== 'party_centre' || (level !== 'community' && level !== 'estate')) return { status: 'none', requiredM2: null, shortfallM2: 0, text: '不适用（规范只针对社区、小区级党群服务中心）' };
  const households = Math.max(0, householdsServed);
  if (households === 0 && level === 'community') return { status: 'unknown', requiredM2: null, shortfallM2: 0, text: '未填服务户数，无法核算每百户 30 m²' };
  const perHouseholds = Math.ceil((households * NORM_M2_PER_100_HOUSEHOLDS) / 100);
  const requiredM2 = level === 'estate' ? Math.max(NORM_FLOOR_M2, perHouseholds) : perHouseholds;
  const basis = level === 'estate' && requiredM2 === NORM_FLOOR_M2 ? `小区不少于 ${NORM_FLOOR_M2} m²` : `每百户 ${NORM_M2_PER_100_HOUSEHOLDS} m²，${fmt(households)} 户`;
  if (areaM2 >= requiredM2) return { status: 'meets', requiredM2, shortfallM2: 0, text: `达标：应有 ${fmt(requiredM2)} m²（${basis}）` };
  const shortfallM2 = Math.round((requiredM2 - areaM2) * 10) / 10;
  return { status: 'short', requiredM2, shortfallM2, text: `不达标：应有 ${fmt(requiredM2)} m²（${basis}），缺 ${fmt(shortfallM2)} m²` };
}
