/**
 * The incident categories (事件类别: major/minor with the deadline each carries on the
 * working clock), for pickers, legends and the admins' deadline settings.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { DEFAULT_CALENDAR } from '../../kernel/workCalendar';
import { categoryDeadlineView, type CategoryDeadlineView, type DeadlineUnit, deadlineWorkingHours } from './deadlines';

export interface IncidentCategory extends CategoryDeadlineView {
  major: string;
  minor: string;
  /**
   * The deadline as working hours (a working day = 7 working hours). Kept for the
   * legends that still say "处置时限 N 小时"; prefer `deadlineLabel`.
   */
  deadlineHours: number;
}

export async function incidentCategories(db: DbHandle): Promise<IncidentCategory[]> {
  const rows = await db.rows<{ code: string; major: string; minor: string; deadline_amount: number; deadline_unit: DeadlineUnit; sign_hours: number }>(
    sql`SELECT code, major, minor, deadline_amount, deadline_unit, sign_hours FROM incident_categories ORDER BY code`,
  );
  return rows.map((r) => ({
    ...categoryDeadlineView(r),
    major: r.major,
    minor: r.minor,
    deadlineHours: deadlineWorkingHours(Number(r.deadline_amount), r.deadline_unit, DEFAULT_CALENDAR),
  }));
}
