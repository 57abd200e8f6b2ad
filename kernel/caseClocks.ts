/**
 * The closed loop's clocks as pure rules, for the server (reports, dispatch, 吹哨, the
 * inbox's countdowns) and the sample generator alike, so a sample case and a live one
 * get the same deadlines: the handling deadline (the category's working hours or working
 * days after 上报), 签收 (the category's sign hours after 派遣/改派), 报到 after 吹哨 —
 * all on working time (kernel/workCalendar.ts) — and the traffic light of a running clock.
 */
import { addWorkingTime, deadlineStatus as workingStatus, type WorkCalendar } from './workCalendar';

/** 签收 within this many working hours of 派遣/改派 when the category names none. */
export const SIGN_HOURS = 2;
/** 报到 within this many working hours of 吹哨 unless the dispatcher says otherwise. */
export const SUMMONS_DEFAULT_HOURS = 24;

export interface CategoryClock {
  /** The handling deadline: `amount` working hours or working days. */
  amount: number;
  unit: 'hours' | 'days';
  /** 签收时限 in working hours. */
  signHours: number;
}

/** The deadline of a case of `category` reported at `reportedAt`. */
export function deadlineFor(reportedAt: Date, category: Pick<CategoryClock, 'amount' | 'unit'>, cal: WorkCalendar): Date {
  return addWorkingTime(reportedAt, category.unit === 'days' ? { days: category.amount } : { hours: category.amount }, cal);
}

/** The deadline by which a dispatched case must be signed for (签收). */
export function signDeadlineFor(dispatchedAt: Date, category: Pick<CategoryClock, 'signHours'>, cal: WorkCalendar): Date {
  return addWorkingTime(dispatchedAt, { hours: category.signHours }, cal);
}

/** The deadline by which a summoned department must 报到. */
export function summonsDeadline(summonedAt: Date, cal: WorkCalendar, hours = SUMMONS_DEFAULT_HOURS): Date {
  return addWorkingTime(summonedAt, { hours }, cal);
}

export type CountdownLevel = 'ok' | 'amber' | 'red';

export interface CountdownStatus {
  /** Working milliseconds left (negative: working time overdue); null without a deadline. */
  remainingMs: number | null;
  level: CountdownLevel;
}

/**
 * The traffic light of a running clock, by the kernel rule (amber under 4 working hours
 * or under 20 % of the time allowed, red once past), as the list and detail show it.
 */
export function countdownStatus(deadlineAt: Date | null, startedAt: Date, now: Date, cal: WorkCalendar): CountdownStatus {
  const s = workingStatus(deadlineAt, now, cal, { startedAt });
  if (s.light === 'none') return { remainingMs: null, level: 'ok' };
  if (s.overdue) return { remainingMs: -s.overdueWorkingMs, level: 'red' };
  return { remainingMs: s.remainingWorkingMs, level: s.light === 'amber' ? 'amber' : 'ok' };
}
