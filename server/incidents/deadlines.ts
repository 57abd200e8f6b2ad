/**
 * The one place an incident's deadline is computed: its category's deadline (working
 * hours or working days, incident_categories) added to the report time on the working
 * calendar (server/calendar). Reports, batches and imports call `deadlinesFor`; the
 * 缓办 flow calls `resumeDeadline` when a case resumes, so the paused working time does
 * not count against it; the inbox calls `deadlineLights` for its traffic lights; a
 * 派遣/改派 calls `signDeadline`. The rules themselves are pure, in kernel/caseClocks.ts.
 *
 * Decisions:
 *  - New cases (reports, a planner's batch) and an admin's import of historical cases
 *    alike get the category's deadline from their 上报时间 on the calendar as stored
 *    now (a year without official days counts Monday–Friday only). Incidents already
 *    in the database keep the deadline_at they were given — moving them would rewrite
 *    past KPIs.
 *  - Editing a category's deadline applies to incidents reported afterwards only.
 */
import { sql } from 'drizzle-orm';
import { type DbHandle, type Executor, executeRows } from '../../db/client';
import { deadlineFor, SIGN_HOURS, signDeadlineFor } from '../../kernel/caseClocks';
import { addWorkingTime, type DeadlineStatus, deadlineStatus, pausedDeadline, type WorkCalendar, workingAmountLabel, workingDayMs } from '../../kernel/workCalendar';
import { loadWorkCalendar } from '../calendar/calendar';
import { NotFoundError } from '../http/domainError';

export type DeadlineUnit = 'hours' | 'days';

export interface CategoryDeadline {
  code: string;
  amount: number;
  unit: DeadlineUnit;
  /** 签收时限 in working hours. */
  signHours: number;
}

const on = (target: Executor | DbHandle): Executor => ('db' in target ? target.db : target);

export async function loadCategoryDeadlines(target: Executor | DbHandle): Promise<Map<string, CategoryDeadline>> {
  const rows = await executeRows<{ code: string; deadline_amount: number; deadline_unit: DeadlineUnit; sign_hours: number }>(
    on(target),
    sql`SELECT code, deadline_amount, deadline_unit, sign_hours FROM incident_categories`,
  );
  return new Map(rows.map((r) => [r.code, { code: r.code, amount: Number(r.deadline_amount), unit: r.deadline_unit, signHours: Number(r.sign_hours) }]));
}

/** The 签收 deadline of dispatching incident `id` at `dispatchedAt`: its category's sign hours (SIGN_HOURS when it names none), in working hours. */
export async function signDeadline(tx: Executor, id: number, dispatchedAt: Date, cal: WorkCalendar): Promise<Date> {
  const [row] = await executeRows<{ sign_hours: number | null }>(tx, sql`SELECT c.sign_hours FROM incidents i JOIN incident_categories c ON c.code = i.category_code WHERE i.id = ${id}`);
  const hours = row?.sign_hours === null || row?.sign_hours === undefined ? SIGN_HOURS : Number(row.sign_hours);
  return signDeadlineFor(dispatchedAt, { signHours: hours }, cal);
}

/** Deadlines of many new cases at once (one read of the calendar and the categories); throws on an unknown category. */
export async function deadlinesFor(target: Executor | DbHandle, cases: readonly { categoryCode: string; reportedAt: Date }[]): Promise<Date[]> {
  if (cases.length === 0) return [];
  const [cal, categories] = await Promise.all([loadWorkCalendar(on(target)), loadCategoryDeadlines(target)]);
  return cases.map((c) => {
    const category = categories.get(c.categoryCode);
    if (!category) throw new NotFoundError(`事件类别 ${c.categoryCode} 不存在`);
    return deadlineFor(c.reportedAt, category, cal);
  });
}

/** A 延期 of `hours` working hours from the current deadline (for the extension flow). */
export async function extendedDeadline(target: Executor | DbHandle, deadline: Date, hours: number): Promise<Date> {
  return addWorkingTime(deadline, { hours }, await loadWorkCalendar(on(target)));
}

/**
 * When the incident's current 缓办 began: its latest suspension row (the approved
 * request, or the direct 缓办 of the older flow), or null when it has none.
 */
export async function suspensionStart(tx: Executor, id: number): Promise<Date | null> {
  const [row] = await executeRows<{ at: Date | string | null }>(tx, sql`SELECT max(at) AS at FROM incident_transitions WHERE incident_id = ${id} AND action IN ('suspension', 'suspension_approved')`);
  return row?.at ? new Date(row.at) : null;
}

/**
 * On resuming from 缓办: moves the incident's deadline_at later by the working time
 * between `pausedFrom` and `resumedAt` (kernel pausedDeadline), in the caller's
 * transaction. Returns the new deadline (null when the incident has none).
 */
export async function moveDeadlineForPause(tx: Executor, id: number, pausedFrom: Date, resumedAt: Date): Promise<Date | null> {
  const [row] = await executeRows<{ deadline_at: Date | string | null }>(tx, sql`SELECT deadline_at FROM incidents WHERE id = ${id}`);
  if (!row) throw new NotFoundError(`事件 ${id} 不存在`);
  if (!row.deadline_at) return null;
  const moved = pausedDeadline(new Date(row.deadline_at), pausedFrom, resumedAt, await loadWorkCalendar(tx));
  await tx.execute(sql`UPDATE incidents SET deadline_at = ${moved.toISOString()}::timestamptz WHERE id = ${id}`);
  return moved;
}

/** `moveDeadlineForPause` from the incident's latest suspension row; nothing moves without one. */
export async function resumeDeadline(tx: Executor, id: number, resumedAt: Date): Promise<Date | null> {
  const from = await suspensionStart(tx, id);
  if (!from) return null;
  return moveDeadlineForPause(tx, id, from, resumedAt);
}

/** Traffic lights (kernel deadlineStatus) of listed cases, on the stored calendar. */
export async function deadlineLights<T extends { deadlineAt: Date | null; reportedAt: Date; suspended: boolean }>(
  db: DbHandle,
  cases: readonly T[],
  now: Date = new Date(),
): Promise<(T & { deadline: DeadlineStatus })[]> {
  const cal = await loadWorkCalendar(db);
  return cases.map((c) => ({ ...c, deadline: deadlineStatus(c.deadlineAt, now, cal, { startedAt: c.reportedAt, suspended: c.suspended }) }));
}

export interface CategoryDeadlineView {
  code: string;
  deadlineAmount: number;
  deadlineUnit: DeadlineUnit;
  /** "2个工作日" / "8个工作小时". */
  deadlineLabel: string;
  signHours: number;
}

/** PUT /api/incidents/categories/:code: an admin sets a category's deadline (new incidents only). */
export async function setCategoryDeadline(db: DbHandle, code: string, deadline: { amount: number; unit: DeadlineUnit; signHours?: number }): Promise<CategoryDeadlineView> {
  const [row] = await db.rows<{ code: string; deadline_amount: number; deadline_unit: DeadlineUnit; sign_hours: number }>(sql`
    UPDATE incident_categories SET deadline_amount = ${deadline.amount}, deadline_unit = ${deadline.unit}, sign_hours = coalesce(${deadline.signHours ?? null}::int, sign_hours)
    WHERE code = ${code} RETURNING code, deadline_amount, deadline_unit, sign_hours`);
  if (!row) throw new NotFoundError(`事件类别 ${code} 不存在`);
  return categoryDeadlineView(row);
}

export const categoryDeadlineView = (r: { code: string; deadline_amount: number; deadline_unit: DeadlineUnit; sign_hours: number }): CategoryDeadlineView => ({
  code: r.code,
  deadlineAmount: Number(r.deadline_amount),
  deadlineUnit: r.deadline_unit,
  deadlineLabel: workingAmountLabel(Number(r.deadline_amount), r.deadline_unit),
  signHours: Number(r.sign_hours),
});

/** A category deadline as working hours (days × the hours of a working day). */
export const deadlineWorkingHours = (amount: number, unit: DeadlineUnit, cal: WorkCalendar) => (unit === 'days' ? (amount * workingDayMs(cal)) / 3_600_000 : amount);
