/**
 * The working-day calendar as the server keeps it: the exceptions to Monday–Friday in
 * work_calendar_days (seeded with 2026's official days by migration 0009), read into
 * the kernel's WorkCalendar wherever a deadline is computed, listed per year and
 * edited by admins one date at a time. Working hours are the kernel's defaults
 * (DEFAULT_WORKING_HOURS); they are not stored.
 */
import { sql } from 'drizzle-orm';
import { type DbHandle, type Executor, executeRows } from '../../db/client';
import { type CalendarDay, type CalendarDayKind, DEFAULT_WORKING_HOURS, isWorkingDay, type WorkCalendar, workCalendar } from '../../kernel/workCalendar';
import { DomainError, NotFoundError } from '../http/domainError';

interface DayRow {
  date: string;
  kind: CalendarDayKind;
  name: string;
  updated_by: string | null;
  updated_at: Date | string;
}

/** The calendar as stored now; `on` is the database or the transaction a deadline is written in. */
export async function loadWorkCalendar(on: Executor | DbHandle): Promise<WorkCalendar> {
  const executor = 'db' in on ? on.db : on;
  const rows = await executeRows<{ date: string; kind: CalendarDayKind; name: string }>(executor, sql`SELECT date::text AS date, kind, name FROM work_calendar_days`);
  return workCalendar(rows);
}

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

export interface CalendarDayView extends CalendarDay {
  updatedBy: string | null;
  updatedAt: string;
}

export interface CalendarYear {
  year: number;
  /** The listed exceptions of the year, by date. */
  days: CalendarDayView[];
  /** Working days in the year under this calendar. */
  workingDays: number;
  /** Working spans of a working day, China time. */
  hours: { start: string; end: string }[];
  timeZone: 'Asia/Shanghai';
  /** True when no day of the year is listed: only weekends are off (official days not entered yet). */
  weekendsOnly: boolean;
}

/** GET /api/calendar?year=: the year's holidays and 调休 working days. */
export async function calendarYear(db: DbHandle, year: number): Promise<CalendarYear> {
  const rows = await db.rows<DayRow>(sql`
    SELECT date::text AS date, kind, name, updated_by, updated_at FROM work_calendar_days
    WHERE date >= make_date(${year}::int, 1, 1) AND date < make_date(${year + 1}::int, 1, 1) ORDER BY date`);
  const cal = workCalendar(rows);
  let workingDays = 0;
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) if (isWorkingDay(new Date(t).toISOString().slice(0, 10), cal)) workingDays++;
  return {
    year,
    days: rows.map((r) => ({ date: r.date, kind: r.kind, name: r.name, updatedBy: r.updated_by, updatedAt: new Date(r.updated_at).toISOString() })),
    workingDays,
    hours: DEFAULT_WORKING_HOURS.map((s) => ({ start: hhmm(s.start), end: hhmm(s.end) })),
    timeZone: 'Asia/Shanghai',
    weekendsOnly: rows.length === 0,
  };
}

/** A 调休 working day on a weekday would change nothing; it is a mistake, said so. */
export class CalendarDayRefused extends DomainError {
  constructor(field: string, reason: string) {
    super(422, '日历设置被拒绝', reason, { errors: [{ field, reason }] });
  }
}

const isWeekend = (date: string) => {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6;
};

/** PUT /api/calendar/:date: sets a day as holiday or 调休 working day, signed by the admin. */
export async function setCalendarDay(db: DbHandle, date: string, day: { kind: CalendarDayKind; name: string }, username: string): Promise<CalendarDayView> {
  if (day.kind === 'workday' && !isWeekend(date)) throw new CalendarDayRefused('kind', `${date} 本是工作日（周一至周五），只有周六、周日可设为调休上班`);
  const [row] = await db.rows<DayRow>(sql`
    INSERT INTO work_calendar_days (date, kind, name, updated_by, updated_at)
    VALUES (${date}::date, ${day.kind}, ${day.name}, ${username}, now())
    ON CONFLICT (date) DO UPDATE SET kind = excluded.kind, name = excluded.name, updated_by = excluded.updated_by, updated_at = excluded.updated_at
    RETURNING date::text AS date, kind, name, updated_by, updated_at`);
  if (!row) throw new Error(`日历日 ${date} 写入后未能读回`);
  return { date: row.date, kind: row.kind, name: row.name, updatedBy: row.updated_by, updatedAt: new Date(row.updated_at).toISOString() };
}

/** DELETE /api/calendar/:date: the day becomes an ordinary one again (weekday works, weekend rests). */
export async function deleteCalendarDay(db: DbHandle, date: string): Promise<{ date: string; working: boolean }> {
  const removed = await db.rows<{ date: string }>(sql`DELETE FROM work_calendar_days WHERE date = ${date}::date RETURNING date::text AS date`);
  if (removed.length === 0) throw new NotFoundError(`${date} 不在日历的节假日或调休上班日中`);
  return { date, working: !isWeekend(date) };
}
