/**
 * The loop's own clocks in one place: when a 签收 is due after 派遣 (the category's
 * sign hours), when a summoned department must 报到 after 吹哨, and how urgent a
 * deadline looks (red/amber/ok). All run on working time — the stored working
 * calendar (法定节假日, 调休, working hours; kernel/workCalendar.ts) — so a case
 * dispatched on Friday evening is not late on Saturday morning. The calendar is read
 * once per write or list and passed in.
 */
import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { addWorkingTime, deadlineStatus as workingStatus, type WorkCalendar } from '../../kernel/workCalendar';
import { loadWorkCalendar } from '../calendar/calendar';
import { signDeadlineFor } from './deadlines';
import { execRows } from './loopCase';

/** 签收 within this many working hours of 派遣/改派 when the category names none. */
export const SIGN_HOURS = 2;
/** 报到 within this many working hours of 吹哨 unless the dispatcher says otherwise. */
export const SUMMONS_DEFAULT_HOURS = 24;

export { loadWorkCalendar };

/** The 签收 deadline of dispatching incident `id` at `dispatchedAt`: its category's sign hours, in working hours. */
export async function signDeadline(tx: Executor, id: number, dispatchedAt: Date, cal: WorkCalendar): Promise<Date> {
  const [row] = await execRows<{ sign_hours: number | null }>(tx, sql`SELECT c.sign_hours FROM incidents i JOIN incident_categories c ON c.code = i.category_code WHERE i.id = ${id}`);
  const hours = row?.sign_hours === null || row?.sign_hours === undefined ? SIGN_HOURS : Number(row.sign_hours);
  return signDeadlineFor(dispatchedAt, { signHours: hours }, cal);
}

export function summonsDeadline(summonedAt: Date, cal: WorkCalendar, hours = SUMMONS_DEFAULT_HOURS): Date {
  return addWorkingTime(summonedAt, { hours }, cal);
}

export type DeadlineLevel = 'ok' | 'amber' | 'red';

export interface DeadlineStatus {
  /** Working milliseconds left (negative: working time overdue); null without a deadline. */
  remainingMs: number | null;
  level: DeadlineLevel;
}

/**
 * The traffic light of a running clock, by the kernel rule (amber under 4 working hours
 * or under 20 % of the time allowed, red once past), as the list and detail show it.
 */
export function deadlineStatus(deadlineAt: Date | null, startedAt: Date, now: Date, cal: WorkCalendar): DeadlineStatus {
  const s = workingStatus(deadlineAt, now, cal, { startedAt });
  if (s.light === 'none') return { remainingMs: null, level: 'ok' };
  if (s.overdue) return { remainingMs: -s.overdueWorkingMs, level: 'red' };
  return { remainingMs: s.remainingWorkingMs, level: s.light === 'amber' ? 'amber' : 'ok' };
}
