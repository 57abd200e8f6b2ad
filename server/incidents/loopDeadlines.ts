/**
 * The loop's own clocks in one place: when a 签收 is due after 派遣, when a summoned
 * department must 报到 after 吹哨, and how urgent a deadline looks (red/amber/ok).
 * For now plain elapsed hours; the working-day calendar (kernel/workCalendar.ts, the
 * `calendar` branch) replaces these bodies at merge — callers do not change.
 */

/** 签收 within 2 hours of 派遣/改派. */
export const SIGN_HOURS = 2;
/** 报到 within 24 hours of 吹哨 unless the dispatcher says otherwise. */
export const SUMMONS_DEFAULT_HOURS = 24;

const HOUR_MS = 3_600_000;

export function signDeadline(dispatchedAt: Date): Date {
  return new Date(dispatchedAt.getTime() + SIGN_HOURS * HOUR_MS);
}

export function summonsDeadline(summonedAt: Date, hours = SUMMONS_DEFAULT_HOURS): Date {
  return new Date(summonedAt.getTime() + hours * HOUR_MS);
}

export type DeadlineLevel = 'ok' | 'amber' | 'red';

export interface DeadlineStatus {
  /** Milliseconds left (negative: overdue); null without a deadline. */
  remainingMs: number | null;
  level: DeadlineLevel;
}

/** Amber in the last quarter of the time allowed (at least the last hour), red once past. */
export function deadlineStatus(deadlineAt: Date | null, startedAt: Date, now: Date): DeadlineStatus {
  if (!deadlineAt) return { remainingMs: null, level: 'ok' };
  const remainingMs = deadlineAt.getTime() - now.getTime();
  if (remainingMs <= 0) return { remainingMs, level: 'red' };
  const span = Math.max(deadlineAt.getTime() - startedAt.getTime(), 0);
  return { remainingMs, level: remainingMs <= Math.max(span / 4, HOUR_MS) ? 'amber' : 'ok' };
}
