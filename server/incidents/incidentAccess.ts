/**
 * The read rule of the closed loop (kernel/incidentAccess.ts mayReadIncident) as SQL,
 * for the queries that filter many incidents at once (the inbox, the live stream) and
 * for the one-incident check every incident read uses (assertMayReadIncident: detail,
 * photos, actions). `audienceOf` builds the kernel's IncidentAudience from the same
 * tables, so a test can hold the two forms of the rule against each other.
 *
 * "Assigned now or was": the current assignee, every grid worker a 派遣/改派 named,
 * and whoever signed, handled or verified it. "Dispatched or whistled to": the current
 * department, every department a 派遣/改派 named, and every summoned department.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { type IncidentAudience, mayReadIncident } from '../../kernel/incidentAccess';
import type { SessionUser } from '../../kernel/roles';
import { ForbiddenError, NotFoundError } from '../http/domainError';

/** Steps whose actor counts as (having been) assigned. */
const WORKED_ACTIONS = sql`('sign', 'handle', 'verify', 'rework')`;
const DISPATCH_ACTIONS = sql`('dispatch', 'redispatch')`;

/**
 * The rule as a condition on `incidents i`. The history branches are uncorrelated
 * `IN (SELECT …)`: PostgreSQL runs each once and probes a hash of it per row (a hashed
 * SubPlan), so the rule is a cheap row filter on whatever index drives the query —
 * for the inbox, the open-incidents index of migration 0019.
 */
export function readableBy(user: SessionUser): SQL {
  switch (user.role) {
    case 'leader':
    case 'analyst':
    case 'admin':
      return sql`true`;
    case 'planner':
    case 'dispatcher':
      return user.jurisdictionCode ? sql`i.place_code LIKE ${`${user.jurisdictionCode}%`}` : sql`false`;
    case 'grid_worker': {
      const grids =
        user.gridCodes.length > 0
          ? sql`i.grid_code IN (${sql.join(
              user.gridCodes.map((g) => sql`${g}`),
              sql`, `,
            )})`
          : sql`false`;
      return sql`(${grids} OR i.reporter_user_id = ${user.id} OR i.assignee_user_id = ${user.id}
        OR i.id IN (SELECT t.incident_id::bigint FROM incident_transitions t
          WHERE t.assignee_user_id = ${user.id} OR (t.actor_user_id = ${user.id} AND t.action IN ${WORKED_ACTIONS})))`;
    }
    case 'dept_staff': {
      const d = user.departmentId;
      if (d === null) return sql`false`;
      return sql`(i.department_id = ${d}
        OR i.id IN (SELECT s.incident_id::bigint FROM incident_summons s WHERE s.department_id = ${d})
        OR i.id IN (SELECT t.incident_id::bigint FROM incident_transitions t WHERE t.department_id = ${d} AND t.action IN ${DISPATCH_ACTIONS}))`;
    }
  }
}

/** Throws 404 when the incident does not exist, 403 when `user` may not read it. */
export async function assertMayReadIncident(db: DbHandle, user: SessionUser, id: number): Promise<void> {
  const [row] = await db.rows<{ readable: boolean }>(sql`SELECT ${readableBy(user)} AS readable FROM incidents i WHERE i.id = ${id}`);
  if (!row) throw new NotFoundError(`事件 ${id} 不存在`);
  if (!row.readable) throw new ForbiddenError(`您无权查看事件 ${id}`, { errors: [{ field: 'id', reason: '事件不在您的网格、辖区或单位的范围内' }] });
}

interface AudienceRow {
  id: number;
  grid_code: string | null;
  community_code: string | null;
  street_code: string | null;
  reporter_user_id: number | null;
  assignees: number[] | string | null;
  departments: number[] | string | null;
}

const intArray = (v: number[] | string | null): number[] => {
  if (Array.isArray(v)) return v.map(Number);
  if (!v || v === '{}') return [];
  return v
    .replace(/^\{|\}$/g, '')
    .split(',')
    .filter((x) => x !== 'NULL')
    .map(Number);
};

/** The kernel's view of incidents (`where` on `incidents i`), keyed by id. */
export async function audiencesOf(db: DbHandle, where: SQL = sql`true`): Promise<Map<number, IncidentAudience>> {
  const rows = await db.rows<AudienceRow>(sql`
    SELECT i.id, i.grid_code, i.community_code, i.street_code, i.reporter_user_id,
      ARRAY(SELECT i.assignee_user_id WHERE i.assignee_user_id IS NOT NULL
        UNION SELECT t.assignee_user_id FROM incident_transitions t WHERE t.incident_id = i.id AND t.assignee_user_id IS NOT NULL
        UNION SELECT t.actor_user_id FROM incident_transitions t WHERE t.incident_id = i.id AND t.actor_user_id IS NOT NULL AND t.action IN ${WORKED_ACTIONS}) AS assignees,
      ARRAY(SELECT i.department_id WHERE i.department_id IS NOT NULL
        UNION SELECT s.department_id FROM incident_summons s WHERE s.incident_id = i.id
        UNION SELECT t.department_id FROM incident_transitions t WHERE t.incident_id = i.id AND t.department_id IS NOT NULL AND t.action IN ${DISPATCH_ACTIONS}) AS departments
    FROM incidents i WHERE ${where}`);
  return new Map(
    rows.map((r) => [
      Number(r.id),
      {
        gridCode: r.grid_code,
        communityCode: r.community_code,
        streetCode: r.street_code,
        reporterUserId: r.reporter_user_id === null ? null : Number(r.reporter_user_id),
        assigneeUserIds: intArray(r.assignees),
        departmentIds: intArray(r.departments),
      },
    ]),
  );
}

/** The kernel rule applied to one incident loaded from the database (for callers without SQL of their own). */
export async function mayReadIncidentById(db: DbHandle, user: SessionUser, id: number): Promise<boolean> {
  const audience = (await audiencesOf(db, sql`i.id = ${id}`)).get(id);
  return audience !== undefined && mayReadIncident(user, audience);
}
