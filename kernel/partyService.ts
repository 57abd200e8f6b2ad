/**
 * Shared vocabulary of 双报到 and the 三清单 (issue 16 point 4), for server, sample and
 * web alike: unit kinds, the service categories that match a need with a resource
 * (need category ↔ resource category: the same code), project statuses and their
 * Chinese labels, and the one definition of 报到率.
 */

export const UNIT_KINDS = ['机关', '企业', '事业单位', '社会组织'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

/** Categories of needs, resources and wishes; a need matches resources of the same category. */
export const SERVICE_CATEGORIES = ['助老助残', '关爱儿童', '医疗健康', '法律咨询', '环境整治', '文体活动', '就业帮扶', '物资捐赠', '维修服务', '政策宣讲'] as const;
export type ServiceCategory = (typeof SERVICE_CATEGORIES)[number];

export const LIST_KINDS = ['need', 'resource'] as const;
export type ListKind = (typeof LIST_KINDS)[number];
export const LIST_LABELS: Record<ListKind, string> = { need: '需求清单', resource: '资源清单' };

export const LIST_ITEM_STATUSES = ['open', 'matched', 'closed'] as const;
export type ListItemStatus = (typeof LIST_ITEM_STATUSES)[number];
export const LIST_ITEM_STATUS_LABELS: Record<ListItemStatus, string> = { open: '待对接', matched: '已对接', closed: '已关闭' };

export const PROJECT_STATUSES = ['planned', 'ongoing', 'done'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];
export const PROJECT_STATUS_LABELS: Record<ProjectStatus, string> = { planned: '计划', ongoing: '进行中', done: '完成' };

/**
 * 报到率 of a region: of the in-service members of the units registered (报到) at the
 * region's communities (Σ member_count, the members who should report), the share
 * that has reported at a community (members of those units with a report date).
 * null when those units have no members. Where members report (their residential
 * community) may lie outside the region; they count for their unit's region.
 */
export function reportRate(reportedMembers: number, membersWhoShouldReport: number): number | null {
  return membersWhoShouldReport > 0 ? reportedMembers / membersWhoShouldReport : null;
}

/** Great-circle distance in metres (for nearest-first lists computed outside SQL). */
export function haversineM(a: readonly [number, number], b: readonly [number, number]): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}
