/**
 * 为民红绳 / 微心愿 (issue 16 point 5): the states of a community's request or wish and
 * who moves it, pure like kernel/loopActions.ts so the server enforces it and the
 * board shows only the allowed buttons.
 *
 *   待认领 open ─认领 claim─► 已认领 claimed ─完成 complete─► 已完成 done ─确认 confirm─► 已确认 confirmed
 *   已认领 ─放弃 release (the claimant)─► 待认领;  已完成 ─退回 reopen (the community)─► 已认领
 *
 * Who: the community (a planner or dispatcher whose jurisdiction covers it, an admin)
 * posts, confirms and sends back; any working account (not the read-only leader and
 * analyst) claims on behalf of one reporting unit or in-service member — one
 * claimant per wish, so a second claim is refused while it is claimed; only the
 * account that claimed (or an admin) completes or releases it.
 * Refusals: 403 when the actor may not, 409 when the wish is no longer in the state
 * the action starts from (someone else moved it first).
 */
import type { Role, SessionUser } from './roles';

export const WISH_STATUSES = ['open', 'claimed', 'done', 'confirmed'] as const;
export type WishStatus = (typeof WISH_STATUSES)[number];
export const WISH_STATUS_LABELS: Record<WishStatus, string> = { open: '待认领', claimed: '已认领', done: '已完成', confirmed: '已确认' };

export const WISH_KINDS = ['red_rope', 'wish'] as const;
export type WishKind = (typeof WISH_KINDS)[number];
export const WISH_KIND_LABELS: Record<WishKind, string> = { red_rope: '为民红绳', wish: '微心愿' };

export const WISH_ACTIONS = ['claim', 'release', 'complete', 'reopen', 'confirm'] as const;
export type WishAction = (typeof WISH_ACTIONS)[number];

/** What the rule needs to know about a wish. */
export interface WishCase {
  status: WishStatus;
  communityCode: string;
  claimedByUserId: number | null;
}

type Actor = 'community' | 'claimer' | 'claimant';

interface WishRule {
  label: string;
  from: WishStatus;
  to: WishStatus;
  actor: Actor;
}

export const WISH_RULES: Readonly<Record<WishAction, WishRule>> = {
  claim: { label: '认领', from: 'open', to: 'claimed', actor: 'claimer' },
  release: { label: '放弃认领', from: 'claimed', to: 'open', actor: 'claimant' },
  complete: { label: '完成', from: 'claimed', to: 'done', actor: 'claimant' },
  reopen: { label: '退回重做', from: 'done', to: 'claimed', actor: 'community' },
  confirm: { label: '确认', from: 'done', to: 'confirmed', actor: 'community' },
};

/** Roles that only read: they never claim. */
const READ_ONLY: readonly Role[] = ['leader', 'analyst'];

/** Whether the user speaks for the community (posts, confirms): its planner or dispatcher, or an admin. */
export function isCommunityStaff(user: SessionUser, communityCode: string): boolean {
  if (user.role === 'admin') return true;
  if (user.role !== 'planner' && user.role !== 'dispatcher') return false;
  return !!user.jurisdictionCode && communityCode.startsWith(user.jurisdictionCode);
}

export const mayPostWish = isCommunityStaff;

/** null when allowed, else why not (403 reason). */
function actorRefusal(user: SessionUser, w: WishCase, actor: Actor): string | null {
  switch (actor) {
    case 'community':
      return isCommunityStaff(user, w.communityCode) ? null : '只有本社区的工作人员（规划员、受理员）或管理员可以确认或退回';
    case 'claimer':
      return READ_ONLY.includes(user.role) ? '只读角色不能认领' : null;
    case 'claimant':
      return user.role === 'admin' || (w.claimedByUserId !== null && w.claimedByUserId === user.id) ? null : '只有认领人可以完成或放弃认领';
  }
}

export type WishDecision = { ok: true; to: WishStatus } | { ok: false; status: 403 | 409; reason: string };

/** Whether `user` may take `action` on the wish now, and the state after it. */
export function decideWish(user: SessionUser, w: WishCase, action: WishAction): WishDecision {
  const rule = WISH_RULES[action];
  if (w.status !== rule.from) {
    const reason = action === 'claim' && w.status !== 'open' ? '该心愿已被认领' : `当前状态为「${WISH_STATUS_LABELS[w.status]}」，不能${rule.label}`;
    return { ok: false, status: 409, reason };
  }
  const refused = actorRefusal(user, w, rule.actor);
  return refused ? { ok: false, status: 403, reason: refused } : { ok: true, to: rule.to };
}

/** The actions `user` may take now (the board's buttons). */
export function allowedWishActions(user: SessionUser, w: WishCase): WishAction[] {
  return WISH_ACTIONS.filter((a) => decideWish(user, w, a).ok);
}
