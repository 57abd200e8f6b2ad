/**
 * Who sees an incident: the one read rule of the closed loop, pure so that the server
 * (detail, photos, live stream, inbox) and the web (what to show) apply the same
 * rule. Writes — which action each role may take at which stage — are the loop's
 * action table; reading comes first and is this.
 *
 * - leader, analyst, admin: the whole city (oversight, statistics, administration);
 * - planner, dispatcher: incidents located in their street/community;
 * - grid_worker: incidents in their grids, and those they reported or are assigned;
 * - dept_staff: incidents dispatched or whistled (吹哨) to their department.
 */
import type { SessionUser } from './roles';

/** What the rule needs to know about an incident. */
export interface IncidentAudience {
  gridCode: string | null;
  communityCode: string | null;
  streetCode: string | null;
  /** Account that reported it (null: hotline, import, unknown). */
  reporterUserId: number | null;
  /** Accounts it is assigned to now or was (handler, verifier). */
  assigneeUserIds: readonly number[];
  /** Departments it is dispatched or whistled to. */
  departmentIds: readonly number[];
}

const placeOf = (a: IncidentAudience) => a.gridCode ?? a.communityCode ?? a.streetCode;

export function mayReadIncident(user: SessionUser, incident: IncidentAudience): boolean {
  switch (user.role) {
    case 'leader':
    case 'analyst':
    case 'admin':
      return true;
    case 'planner':
    case 'dispatcher': {
      const place = placeOf(incident);
      return !!user.jurisdictionCode && place !== null && place.startsWith(user.jurisdictionCode);
    }
    case 'grid_worker':
      return (incident.gridCode !== null && user.gridCodes.includes(incident.gridCode)) || incident.reporterUserId === user.id || incident.assigneeUserIds.includes(user.id);
    case 'dept_staff':
      return user.departmentId !== null && incident.departmentIds.includes(user.departmentId);
  }
}
