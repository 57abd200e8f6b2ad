/** The incident categories (事件类别: major/minor with the deadline each carries), for pickers and legends. */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';

export interface IncidentCategory {
  code: string;
  major: string;
  minor: string;
  deadlineHours: number;
}

export async function incidentCategories(db: DbHandle): Promise<IncidentCategory[]> {
  const rows = await db.rows<{ code: string; major: string; minor: string; deadline_hours: number }>(sql`SELECT code, major, minor, deadline_hours FROM incident_categories ORDER BY code`);
  return rows.map((r) => ({ code: r.code, major: r.major, minor: r.minor, deadlineHours: Number(r.deadline_hours) }));
}
