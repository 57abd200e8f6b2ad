/**
 * The party organisation tree's rules, shared by server (checks on every write and
 * import) and web (the form offers only allowed parents): the five kinds, which kind
 * may sit under which, and what a kind may be attached to. One table, so the import,
 * the API and the sample loader cannot disagree.
 */

export const PARTY_ORG_KINDS = ['党委', '党工委', '党总支', '党支部', '党小组'] as const;
export type PartyOrgKind = (typeof PARTY_ORG_KINDS)[number];

/** What an organisation is attached to: a region (street/community), a grid, an estate or a building. */
export const PARTY_ORG_ATTACH = ['region', 'grid', 'estate', 'building'] as const;
export type PartyOrgAttach = (typeof PARTY_ORG_ATTACH)[number];

export const ATTACH_LABELS: Record<PartyOrgAttach, string> = { region: '区域', grid: '网格', estate: '小区', building: '楼栋' };

/**
 * Allowed parent kinds per kind (null = may be a root). 党委 and 党工委 lead 党总支 and
 * 党支部; a 党总支 leads 党支部; a 党支部 leads 党小组; a 党小组 leads nothing.
 */
export const PARENT_KINDS: Record<PartyOrgKind, readonly (PartyOrgKind | null)[]> = {
  党委: [null, '党委', '党工委'],
  党工委: [null, '党委'],
  党总支: ['党委', '党工委'],
  党支部: ['党委', '党工委', '党总支'],
  党小组: ['党支部'],
};

/** null when `kind` may sit under `parentKind` (null: no parent), else the reason in Chinese. */
export function parentRuleViolation(kind: PartyOrgKind, parentKind: PartyOrgKind | null): string | null {
  if (PARENT_KINDS[kind].includes(parentKind)) return null;
  const allowed = PARENT_KINDS[kind].filter((k): k is PartyOrgKind => k !== null);
  if (parentKind === null) return `${kind}必须有上级组织（${allowed.join('、')}）`;
  return `${kind}不能隶属于${parentKind}，上级只能是${allowed.join('、')}${PARENT_KINDS[kind].includes(null) ? '或无上级' : ''}`;
}

/** Estates' organisation status (组建情况): its own organisation, a joint (联合) one, or none. */
export const ESTATE_ORG_STATUS = ['single', 'joint', 'none'] as const;
export type EstateOrgStatus = (typeof ESTATE_ORG_STATUS)[number];
export const ESTATE_ORG_LABELS: Record<EstateOrgStatus, string> = { single: '单独组建', joint: '联合组建', none: '未组建' };

/** A share as a percentage with one decimal (0 of 0 is 0, not NaN). */
export const ratePercent = (part: number, whole: number): number => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0);
