/**
 * 星级评定 on the 五好 (issue 16 point 7), pure so server and web share it: the five
 * indicators with their maximum scores, stars from a total, and the process
 *
 *   自评 self (the community submits its scores)
 *     ─街道审核 review (the street sets its own scores → stars)─► 公示 public (publicUntil = now + days)
 *   公示 ─异议 objection (anyone signed in, only while 公示 runs)─► (open objection)
 *   公示 ─认定 finalise (the street, only after publicUntil and with no open objection)─► 最终 final
 *   an upheld objection sends the rating back to 街道审核 (review, to score again).
 *
 * Who: self-assessment by the community's planner (or an admin); review, the
 * decision on objections and finalising by the street's planner or an admin.
 */
import type { SessionUser } from './roles';

export const FIVE_GOOD = [
  { key: 'leadership', label: '领导班子好', max: 20 },
  { key: 'members', label: '党员队伍好', max: 20 },
  { key: 'mechanism', label: '工作机制好', max: 20 },
  { key: 'performance', label: '工作业绩好', max: 20 },
  { key: 'masses', label: '群众反映好', max: 20 },
] as const;
export type IndicatorKey = (typeof FIVE_GOOD)[number]['key'];
export type Scores = Record<IndicatorKey, number>;

export const RATING_STATUSES = ['self', 'review', 'public', 'final'] as const;
export type RatingStatus = (typeof RATING_STATUSES)[number];
export const RATING_STATUS_LABELS: Record<RatingStatus, string> = { self: '已自评（待审核）', review: '街道审核中', public: '公示中', final: '已认定' };

/** Default and allowed 公示 periods in days. */
export const DEFAULT_PUBLIC_DAYS = 7;
export const MIN_PUBLIC_DAYS = 5;
export const MAX_PUBLIC_DAYS = 30;

export const totalScore = (s: Scores): number => FIVE_GOOD.reduce((n, i) => n + s[i.key], 0);

/** Stars from the total of 100: ≥ 90 five, ≥ 80 four, ≥ 70 three, ≥ 60 two, else one. */
export function starsFor(total: number): 1 | 2 | 3 | 4 | 5 {
  if (total >= 90) return 5;
  if (total >= 80) return 4;
  if (total >= 70) return 3;
  if (total >= 60) return 2;
  return 1;
}

/** Problems of a score set (field, reason), empty when valid. */
export function scoreErrors(s: Record<string, unknown>, prefix: string): { field: string; reason: string }[] {
  const errors: { field: string; reason: string }[] = [];
  for (const i of FIVE_GOOD) {
    const v = s[i.key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > i.max) errors.push({ field: `${prefix}.${i.key}`, reason: `${i.label}得分应为 0~${i.max} 的数字` });
  }
  return errors;
}

export const RATING_ACTIONS = ['review', 'publish', 'object', 'decide_objection', 'finalise'] as const;
export type RatingAction = (typeof RATING_ACTIONS)[number];

export interface RatingCase {
  status: RatingStatus;
  /** Community (12) or grid (15) code of the organisation. */
  orgCode: string;
  publicUntil: Date | null;
  openObjections: number;
}

/** The street (9 digits) an organisation belongs to. */
export const streetOf = (orgCode: string) => orgCode.slice(0, 9);

const planners = (user: SessionUser, code: string) => user.role === 'admin' || (user.role === 'planner' && !!user.jurisdictionCode && code.startsWith(user.jurisdictionCode));

/** The community assesses itself: its own planner (a street planner covers its communities too). */
export const maySelfAssess = (user: SessionUser, orgCode: string) => planners(user, orgCode);
/** The street reviews: a planner whose jurisdiction is the street (or wider) — never a community-level planner. */
export const mayReview = (user: SessionUser, orgCode: string) => user.role === 'admin' || (planners(user, streetOf(orgCode)) && (user.jurisdictionCode?.length ?? 99) <= 9);

export type RatingDecision = { ok: true } | { ok: false; status: 403 | 409 | 422; reason: string };

/** Whether `user` may take `action` on the rating at `now`. */
export function decideRating(user: SessionUser, r: RatingCase, action: RatingAction, now: Date): RatingDecision {
  const state = (want: RatingStatus | RatingStatus[]) => {
    const ok = Array.isArray(want) ? want.includes(r.status) : r.status === want;
    return ok ? null : ({ ok: false, status: 409, reason: `当前状态为「${RATING_STATUS_LABELS[r.status]}」，不能进行此操作` } as const);
  };
  const reviewer = mayReview(user, r.orgCode) ? null : ({ ok: false, status: 403, reason: '只有所属街道的规划员或管理员可以审核、处理异议和认定' } as const);
  switch (action) {
    case 'review':
      return state(['self', 'review']) ?? reviewer ?? { ok: true };
    case 'publish':
      return state('review') ?? reviewer ?? { ok: true };
    case 'object':
      if (r.status !== 'public') return { ok: false, status: 409, reason: '只能在公示期内提出异议' };
      if (r.publicUntil && now.getTime() > r.publicUntil.getTime()) return { ok: false, status: 422, reason: '公示期已结束，不能再提出异议' };
      return user.id >= 0 ? { ok: true } : { ok: false, status: 403, reason: '无权提出异议' };
    case 'decide_objection':
      return state('public') ?? reviewer ?? { ok: true };
    case 'finalise': {
      const s = state('public') ?? reviewer;
      if (s) return s;
      if (r.publicUntil && now.getTime() < r.publicUntil.getTime()) return { ok: false, status: 422, reason: `公示期至 ${r.publicUntil.toISOString().slice(0, 10)} 结束，期满后才能认定` };
      if (r.openObjections > 0) return { ok: false, status: 422, reason: `还有 ${r.openObjections} 条异议未处理` };
      return { ok: true };
    }
  }
}
