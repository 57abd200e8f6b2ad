/**
 * Who may see (and so add to) an incident's photos: exactly who may read the incident,
 * by the one read rule `mayReadIncident` (kernel/incidentAccess.ts). This module only
 * gathers the incident's audience from the database.
 *
 * TODO(core): switch to `assertMayReadIncident(db, user, id)` from server/incidents once
 * branch `core` lands it (the SQL twin of the kernel rule, reading the dispatch and
 * assignment columns core adds). Until then the audience is read from what main has:
 * the reporter is the account that wrote the incident's first history row; assignees are
 * the accounts that wrote any of its rows; its departments are those of the 处置人员
 * who wrote one (a department that signed or handled the case).
 */
import { sql } from 'drizzle-orm';
import type { DbHandle, Executor } from '../../db/client';
import { executeRows } from '../../db/client';
import { type IncidentAudience, mayReadIncident } from '../../kernel/incidentAccess';
import type { SessionUser } from '../../kernel/roles';
import { ForbiddenError, NotFoundError } from '../http/domainError';

interface AudienceRow {
  grid_code: string | null;
  community_code: string | null;
  street_code: string | null;
  reporter_user_id: number | null;
  assignee_user_ids: number[] | null;
  department_ids: number[] | null;
}

export async function incidentAudience(db: Executor, incidentId: number): Promise<IncidentAudience | null> {
  const [row] = await executeRows<AudienceRow>(
    db,
    sql`
    SELECT i.grid_code, i.community_code, i.street_code,
           (SELECT u.id FROM incident_transitions t JOIN users u ON lower(u.username) = lower(t.actor_username)
             WHERE t.incident_id = i.id ORDER BY t.id LIMIT 1) AS reporter_user_id,
           (SELECT array_agg(DISTINCT u.id) FROM incident_transitions t JOIN users u ON lower(u.username) = lower(t.actor_username)
             WHERE t.incident_id = i.id) AS assignee_user_ids,
           (SELECT array_agg(DISTINCT u.department_id) FROM incident_transitions t JOIN users u ON lower(u.username) = lower(t.actor_username)
             WHERE t.incident_id = i.id AND u.role = 'dept_staff' AND u.department_id IS NOT NULL) AS department_ids
    FROM incidents i WHERE i.id = ${incidentId}`,
  );
  if (!row) return null;
  return {
    gridCode: row.grid_code,
    communityCode: row.community_code,
    streetCode: row.street_code,
    reporterUserId: row.reporter_user_id === null ? null : Number(row.reporter_user_id),
    assigneeUserIds: (row.assignee_user_ids ?? []).map(Number),
    departmentIds: (row.department_ids ?? []).map(Number),
  };
}

/** Throws 404 when the incident does not exist, 403 when the user may not read it. */
export async function assertMaySeePhotos(db: DbHandle | Executor, user: SessionUser, incidentId: number): Promise<void> {
  const audience = await incidentAudience('db' in db ? db.db : db, incidentId);
  if (!audience) throw new NotFoundError(`事件 ${incidentId} 不存在`, { errors: [{ field: 'id', reason: '事件不存在' }] });
  if (!mayReadIncident(user, audience)) {
    throw new ForbiddenError(`您无权查看事件 ${incidentId}，也不能查看或上传它的照片`, { errors: [{ field: 'id', reason: '无权查看该事件' }] });
  }
}
