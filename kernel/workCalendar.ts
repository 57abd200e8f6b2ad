/**
 * Working time (工作时间) for the closed loop's deadlines: which days are working days
 * (法定节假日 off, 调休 weekend days on), which hours of a working day count, and
 * arithmetic on that clock — a deadline N working hours or days after a report, the
 * working time between two instants, a deadline moved by a 缓办 pause, and the
 * traffic-light status of a deadline. Pure: the calendar is passed in (the server
 * loads it from work_calendar_days, seeded from OFFICIAL_2026 below).
 *
 * Conventions (documented defaults, chosen to match 12345 / 网格化 practice):
 *  - Dates are China dates (UTC+8, no daylight saving); `YYYY-MM-DD` strings.
 *  - A working day is Monday–Friday, unless it is a listed holiday, or a Saturday/
 *    Sunday listed as a 调休 working day. A year the calendar holds no data for falls
 *    back to plain Monday–Friday (the admins add its days when the State Council
 *    publishes them, usually in November of the year before).
 *  - Working hours: 08:30–12:00 and 14:30–18:00 (7 h a day) — DEFAULT_WORKING_HOURS.
 *  - `{ hours: n }` adds n hours of working time: the clock runs only inside working
 *    hours, so a report at 17:00 with 2 working hours is due at 09:30 the next working
 *    day; a deadline that falls exactly at the end of a span stays there (12:00, not 14:30).
 *  - `{ days: n }` is due at the close of business of the n-th working day after the
 *    start's date — the start day does not count (民法典 第二百零一条：开始的当日不计入；
 *    第二百零三条：有业务时间的，停止业务活动的时间为截止时间). A report on a Saturday
 *    with 1 working day is due Monday 18:00; one at Monday 08:00 is due Tuesday 18:00.
 */

/** One span of working time within a day, in minutes after local midnight. */
export interface WorkingSpan {
  start: number;
  end: number;
}

export interface WorkCalendar {
  /** Dates off although they are weekdays (法定节假日 and their 调休 days off). */
  holidays: ReadonlySet<string>;
  /** Saturdays/Sundays worked instead (调休上班). */
  workdays: ReadonlySet<string>;
  /** The working spans of every working day, ascending and disjoint. */
  hours: readonly WorkingSpan[];
  /** The calendar's offset from UTC in minutes (China: +480). */
  utcOffsetMinutes: number;
}

export type CalendarDayKind = 'holiday' | 'workday';

export interface CalendarDay {
  date: string;
  kind: CalendarDayKind;
  name: string;
}

const MINUTE = 60_000;
const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export type WorkingAmount = { hours: number } | { days: number } | { ms: number };

export const CHINA_UTC_OFFSET_MINUTES = 480;
export const DEFAULT_WORKING_HOURS: readonly WorkingSpan[] = [
  { start: 8 * 60 + 30, end: 12 * 60 },
  { start: 14 * 60 + 30, end: 18 * 60 },
];

/**
 * 国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日，新华社受权发布）:
 *  元旦 1月1日–3日放假，1月4日（周日）上班；
 *  春节 2月15日–23日放假，2月14日（周六）、2月28日（周六）上班；
 *  清明节 4月4日–6日放假；
 *  劳动节 5月1日–5日放假，5月9日（周六）上班；
 *  端午节 6月19日–21日放假；
 *  中秋节 9月25日–27日放假；
 *  国庆节 10月1日–7日放假，9月20日（周日）、10月10日（周六）上班。
 * Every day of each break is listed (weekend days of a break too, so the list reads
 * like the notice); 调休 working days are the `workday` rows.
 */
export const OFFICIAL_2026: readonly CalendarDay[] = [
  ...range('2026-01-01', 3, '元旦'),
  { date: '2026-01-04', kind: 'workday', name: '元旦调休上班' },
  { date: '2026-02-14', kind: 'workday', name: '春节调休上班' },
  ...range('2026-02-15', 9, '春节'),
  { date: '2026-02-28', kind: 'workday', name: '春节调休上班' },
  ...range('2026-04-04', 3, '清明节'),
  ...range('2026-05-01', 5, '劳动节'),
  { date: '2026-05-09', kind: 'workday', name: '劳动节调休上班' },
  ...range('2026-06-19', 3, '端午节'),
  { date: '2026-09-20', kind: 'workday', name: '国庆节调休上班' },
  ...range('2026-09-25', 3, '中秋节'),
  ...range('2026-10-01', 7, '国庆节'),
  { date: '2026-10-10', kind: 'workday', name: '国庆节调休上班' },
];

function range(first: string, count: number, name: string): CalendarDay[] {
  const day0 = dayNumberOf(first);
  return Array.from({ length: count }, (_, k) => ({ date: dateOfDayNumber(day0 + k), kind: 'holiday' as const, name }));
}

/** A calendar from its listed days (rows of work_calendar_days, or OFFICIAL_2026). */
export function workCalendar(days: readonly CalendarDay[], hours: readonly WorkingSpan[] = DEFAULT_WORKING_HOURS, utcOffsetMinutes = CHINA_UTC_OFFSET_MINUTES): WorkCalendar {
  for (let k = 0; k < hours.length; k++) {
    const span = hours[k] as WorkingSpan;
    if (!(span.start >= 0 && span.end <= 1440 && span.start < span.end) || (k > 0 && span.start < (hours[k - 1] as WorkingSpan).end)) {
      throw new RangeError(`工作时段无效：${JSON.stringify(hours)}`);
    }
  }
  if (hours.length === 0) throw new RangeError('至少需要一个工作时段');
  return {
    holidays: new Set(days.filter((d) => d.kind === 'holiday').map((d) => d.date)),
    workdays: new Set(days.filter((d) => d.kind === 'workday').map((d) => d.date)),
    hours,
    utcOffsetMinutes,
  };
}

/** The shipped default: 2026's official days and the default working hours. */
export const DEFAULT_CALENDAR: WorkCalendar = workCalendar(OFFICIAL_2026);

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(text: string): boolean {
  const m = DATE_RE.exec(text);
  if (!m) return false;
  return dateOfDayNumber(dayNumberOf(text)) === text;
}

/** Days since 1970-01-01 of a YYYY-MM-DD date. */
function dayNumberOf(date: string): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`日期格式应为 YYYY-MM-DD：${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
}

function dateOfDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The calendar's local day number of an instant. */
const localDay = (t: number, cal: WorkCalendar) => Math.floor((t + cal.utcOffsetMinutes * MINUTE) / DAY_MS);
/** The UTC instant of a local day's midnight. */
const dayStart = (day: number, cal: WorkCalendar) => day * DAY_MS - cal.utcOffsetMinutes * MINUTE;

/** The local date (YYYY-MM-DD) of an instant in the calendar's time zone. */
export function localDate(at: Date, cal: WorkCalendar = DEFAULT_CALENDAR): string {
  return dateOfDayNumber(localDay(at.getTime(), cal));
}

/** The listed dates as day numbers, computed once per calendar (the arithmetic asks for every day it crosses). */
const dayNumbers = new WeakMap<WorkCalendar, { holidays: Set<number>; workdays: Set<number> }>();

function listedDays(cal: WorkCalendar) {
  let listed = dayNumbers.get(cal);
  if (!listed) {
    listed = { holidays: new Set([...cal.holidays].map(dayNumberOf)), workdays: new Set([...cal.workdays].map(dayNumberOf)) };
    dayNumbers.set(cal, listed);
  }
  return listed;
}

function isWorkingDayNumber(day: number, cal: WorkCalendar): boolean {
  const listed = listedDays(cal);
  if (listed.holidays.has(day)) return false;
  if (listed.workdays.has(day)) return true;
  const weekday = (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
  return weekday !== 0 && weekday !== 6;
}

/** Whether a date (YYYY-MM-DD, or the local date of an instant) is a working day. */
export function isWorkingDay(date: string | Date, cal: WorkCalendar = DEFAULT_CALENDAR): boolean {
  return isWorkingDayNumber(typeof date === 'string' ? dayNumberOf(date) : localDay(date.getTime(), cal), cal);
}

/** Working milliseconds of one whole working day. */
export function workingDayMs(cal: WorkCalendar = DEFAULT_CALENDAR): number {
  return cal.hours.reduce((sum, s) => sum + (s.end - s.start) * MINUTE, 0);
}

/** A year of days without a single working day is no calendar; stop rather than loop. */
const MAX_SCAN_DAYS = 3660;

/** `start` plus an amount of working time (see the conventions at the top). */
export function addWorkingTime(start: Date, amount: WorkingAmount, cal: WorkCalendar = DEFAULT_CALENDAR): Date {
  if ('days' in amount) {
    if (!Number.isInteger(amount.days) || amount.days < 0) throw new RangeError(`工作日数应为非负整数：${amount.days}`);
    let day = localDay(start.getTime(), cal);
    if (amount.days === 0) return start;
    let left = amount.days;
    for (let scanned = 0; left > 0; scanned++) {
      if (scanned > MAX_SCAN_DAYS) throw new RangeError('日历中找不到足够的工作日');
      day += 1;
      if (isWorkingDayNumber(day, cal)) left -= 1;
    }
    const close = (cal.hours.at(-1) as WorkingSpan).end;
    return new Date(dayStart(day, cal) + close * MINUTE);
  }
  const ms = 'hours' in amount ? amount.hours * 3_600_000 : amount.ms;
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`工作时长应为非负数：${JSON.stringify(amount)}`);
  let t = start.getTime();
  let left = ms;
  if (left === 0) return start;
  let day = localDay(t, cal);
  for (let scanned = 0; ; scanned++, day++) {
    if (scanned > MAX_SCAN_DAYS) throw new RangeError('日历中找不到足够的工作时间');
    if (!isWorkingDayNumber(day, cal)) continue;
    const midnight = dayStart(day, cal);
    for (const span of cal.hours) {
      const from = Math.max(t, midnight + span.start * MINUTE);
      const to = midnight + span.end * MINUTE;
      if (from >= to) continue;
      if (to - from >= left) return new Date(from + left);
      left -= to - from;
      t = to;
    }
  }
}

/** Working milliseconds in [a, b); negative when b is before a. */
export function workingMsBetween(a: Date, b: Date, cal: WorkCalendar = DEFAULT_CALENDAR): number {
  const lo = a.getTime();
  const hi = b.getTime();
  if (hi < lo) return -workingMsBetween(b, a, cal);
  let total = 0;
  for (let day = localDay(lo, cal); dayStart(day, cal) < hi; day++) {
    if (!isWorkingDayNumber(day, cal)) continue;
    const midnight = dayStart(day, cal);
    for (const span of cal.hours) {
      const from = Math.max(lo, midnight + span.start * MINUTE);
      const to = Math.min(hi, midnight + span.end * MINUTE);
      if (to > from) total += to - from;
    }
  }
  return total;
}

/**
 * The deadline after a 缓办 pause: moved later by the working time that passed between
 * the pause and the resumption, so the pause costs the handler nothing. A pause with no
 * working time in it (a weekend) leaves the deadline as it was.
 */
export function pausedDeadline(deadline: Date, pausedFrom: Date, resumedAt: Date, cal: WorkCalendar = DEFAULT_CALENDAR): Date {
  const paused = workingMsBetween(pausedFrom, resumedAt, cal);
  return paused > 0 ? addWorkingTime(deadline, { ms: paused }, cal) : deadline;
}

export type DeadlineLight = 'none' | 'paused' | 'green' | 'amber' | 'red';

export interface DeadlineStatus {
  light: DeadlineLight;
  /** Working ms left until the deadline (0 once it has passed, null without a deadline). */
  remainingWorkingMs: number | null;
  /** Working ms past the deadline (0 while it is ahead). */
  overdueWorkingMs: number;
  overdue: boolean;
}

/** Amber when fewer than this many working hours remain… */
export const AMBER_WORKING_HOURS = 4;
/** …or less than this share of the whole allowed working time (when the start is known). */
export const AMBER_SHARE = 0.2;

/**
 * The traffic light of an open incident's deadline, on the working clock:
 * red once `now` is past the deadline; amber when less than 4 working hours remain or
 * (given `startedAt`, the report/dispatch time) less than 20 % of the allowed working
 * time; green otherwise. A suspended (缓办) incident is `paused`, one without a
 * deadline `none`.
 */
export function deadlineStatus(deadlineAt: Date | null, now: Date, cal: WorkCalendar = DEFAULT_CALENDAR, options: { startedAt?: Date | null; suspended?: boolean } = {}): DeadlineStatus {
  if (!deadlineAt) return { light: 'none', remainingWorkingMs: null, overdueWorkingMs: 0, overdue: false };
  if (now.getTime() >= deadlineAt.getTime()) {
    const overdueWorkingMs = workingMsBetween(deadlineAt, now, cal);
    return { light: options.suspended ? 'paused' : 'red', remainingWorkingMs: 0, overdueWorkingMs, overdue: !options.suspended };
  }
  const remaining = workingMsBetween(now, deadlineAt, cal);
  if (options.suspended) return { light: 'paused', remainingWorkingMs: remaining, overdueWorkingMs: 0, overdue: false };
  const allowed = options.startedAt ? workingMsBetween(options.startedAt, deadlineAt, cal) : null;
  const amber = remaining < AMBER_WORKING_HOURS * 3_600_000 || (allowed !== null && allowed > 0 && remaining < AMBER_SHARE * allowed);
  return { light: amber ? 'amber' : 'green', remainingWorkingMs: remaining, overdueWorkingMs: 0, overdue: false };
}

/** "2个工作日" / "8个工作小时": a category deadline for people. */
export function workingAmountLabel(amount: number, unit: 'hours' | 'days'): string {
  return unit === 'days' ? `${amount}个工作日` : `${amount}个工作小时`;
}
