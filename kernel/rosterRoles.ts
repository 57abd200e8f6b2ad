/**
 * Who is on a grid's roster (网格队伍) and which of their fields may be published on
 * the grid's public page and the 民情联系卡. Shared by server (checks, imports) and web
 * (labels, the print card).
 */

export const ROSTER_ROLES = ['grid_leader', 'full_time', 'part_time', 'instructor', 'building_leader'] as const;
export type RosterRole = (typeof ROSTER_ROLES)[number];

export const ROSTER_ROLE_LABELS: Record<RosterRole, string> = {
  grid_leader: '网格长',
  full_time: '专职网格员',
  part_time: '兼职网格员',
  instructor: '网格指导员',
  building_leader: '楼栋长',
};

/** The role by its Chinese label or its key (imports accept either). */
export function rosterRoleFrom(text: string): RosterRole | null {
  const t = text.trim();
  if ((ROSTER_ROLES as readonly string[]).includes(t)) return t as RosterRole;
  const hit = ROSTER_ROLES.find((r) => ROSTER_ROLE_LABELS[r] === t);
  return hit ?? null;
}

/** Fields a roster entry may mark 公开 (shown on /g/<code> to anyone). */
export const PUBLIC_FIELDS = ['name', 'phone', 'photo', 'duties'] as const;
export type PublicField = (typeof PUBLIC_FIELDS)[number];
export const PUBLIC_FIELD_LABELS: Record<PublicField, string> = { name: '姓名', phone: '电话', photo: '照片', duties: '职责' };
