/**
 * The kinds of 阵地 (party service facilities) in one table for server and web:
 * 党群服务中心 at five levels, 红色驿站, 小哥驿站 (for delivery riders and other
 * 新就业群体), 红色物业 points and 社会组织孵化中心. Each kind has the levels it
 * may be built at, its colour and icon on the map, and the walking thresholds of
 * the life circles of GB 50180-2018 (5/10/15 minutes ≈ 300/500/1000 m); every
 * kind gets its own 15-minute coverage analysis.
 */

export const FACILITY_KINDS = ['party_centre', 'red_station', 'rider_station', 'red_property', 'ngo_incubator'] as const;
export type FacilityKind = (typeof FACILITY_KINDS)[number];

export const FACILITY_LEVELS = ['city', 'district', 'street', 'community', 'estate'] as const;
export type FacilityLevel = (typeof FACILITY_LEVELS)[number];

export const FACILITY_LEVEL_NAMES: Record<FacilityLevel, string> = { city: '市', district: '县区', street: '街道', community: '社区', estate: '小区' };

export interface FacilityKindInfo {
  kind: FacilityKind;
  label: string;
  /** Short label for legends and markers. */
  short: string;
  levels: readonly FacilityLevel[];
  /** Fill colour on the map (RGB hex). */
  colour: string;
  /** One character drawn in the marker. */
  icon: string;
}

export const FACILITY_KIND_INFO: Record<FacilityKind, FacilityKindInfo> = {
  party_centre: { kind: 'party_centre', label: '党群服务中心', short: '党群中心', levels: FACILITY_LEVELS, colour: '#c8102e', icon: '党' },
  red_station: { kind: 'red_station', label: '红色驿站', short: '红色驿站', levels: ['street', 'community', 'estate'], colour: '#f28c28', icon: '驿' },
  rider_station: { kind: 'rider_station', label: '小哥驿站', short: '小哥驿站', levels: ['street', 'community'], colour: '#1f78b4', icon: '哥' },
  red_property: { kind: 'red_property', label: '红色物业服务点', short: '红色物业', levels: ['community', 'estate'], colour: '#8e44ad', icon: '物' },
  ngo_incubator: { kind: 'ngo_incubator', label: '社会组织孵化中心', short: '孵化中心', levels: ['district', 'street', 'community'], colour: '#2e8b57', icon: '孵' },
};

export const kindLabel = (kind: FacilityKind) => FACILITY_KIND_INFO[kind].label;

/** The life circles of GB 50180-2018: minutes of walking and the distance they stand for. */
export const LIFE_CIRCLES = [
  { minutes: 5, metres: 300 },
  { minutes: 10, metres: 500 },
  { minutes: 15, metres: 1000 },
] as const;

/** `kind` query values: one kind, or every kind together. */
export type KindFilter = FacilityKind | 'all';

export const isFacilityKind = (v: unknown): v is FacilityKind => typeof v === 'string' && (FACILITY_KINDS as readonly string[]).includes(v);

/** Chinese reason when `level` is not one the kind may be built at, else null. */
export function levelProblem(kind: FacilityKind, level: FacilityLevel): string | null {
  const info = FACILITY_KIND_INFO[kind];
  if (info.levels.includes(level)) return null;
  return `${info.label}只能建在${info.levels.map((l) => FACILITY_LEVEL_NAMES[l]).join('、')}级，不能是${FACILITY_LEVEL_NAMES[level]}级`;
}
