/**
 * Who writes an incident, and which incidents they may write. Every write of the
 * closed loop (report, batch, transitions, 延期, 吹哨报到, 缓办) is signed by the
 * signed-in account — its display name in the history, as grid versions record it,
 * and its username, as the audit log does — never by a name the request brings. A
 * planner writes only incidents inside their jurisdiction, by the one rule grids
 * and centres use (withinJurisdiction in kernel/roles.ts); the refusal is a 403.
 */
import { type SessionUser, withinOwnArea } from '../../kernel/roles';
import { DomainError, ForbiddenError } from '../http/domainError';

/** The signed-in user writing (server/auth/policy.ts has already admitted the role). */
export type IncidentWriter = SessionUser;

/** Only reachable when an app runs without sessions and without a stand-in user. */
export class NotSignedIn extends DomainError {
  constructor() {
    super(401, '未登录', '请先登录');
  }
}

export function writerOf(user: SessionUser | null): IncidentWriter {
  if (!user) throw new NotSignedIn();
  return user;
}

/** The name a history row shows. */
export const actorName = (writer: IncidentWriter) => writer.displayName || writer.username;

/** Where an incident belongs (the codes assigned from its grid at ingestion). */
export interface IncidentPlace {
  gridCode: string | null;
  communityCode: string | null;
  streetCode: string | null;
}

/** The finest region code of a place (a grid code starts with its community's and street's). */
const regionOf = (place: IncidentPlace) => place.gridCode ?? place.communityCode ?? place.streetCode;

/**
 * Reports and the older loop endpoints: a planner or dispatcher inside their
 * jurisdiction, a grid worker on their own grids, an admin anywhere (withinOwnArea).
 */
export function mayWrite(writer: IncidentWriter, place: IncidentPlace): boolean {
  const region = regionOf(place);
  return writer.role === 'admin' || (region !== null && withinOwnArea(writer, region));
}

const jurisdictionLabel = (writer: IncidentWriter) => writer.jurisdictionCode ?? '无';

/** Throws unless the writer may write the incident `id` at `place`. */
export function assertMayWriteIncident(writer: IncidentWriter, id: number, place: IncidentPlace): void {
  if (!mayWrite(writer, place)) {
    throw new ForbiddenError(`您的辖区（${jurisdictionLabel(writer)}）不包括事件 ${id} 所在的网格 ${regionOf(place) ?? '（未知）'}`, {
      errors: [{ field: 'id', reason: '事件不在您的辖区内' }],
    });
  }
}

/** One located row of a report or batch that lies outside the writer's jurisdiction. */
export interface OutsideRow {
  row: number;
  gridCode: string;
}

/** The whole report/batch is refused when any row lies outside; the first rows are named. */
export class OutsideJurisdiction extends ForbiddenError {
  constructor(writer: IncidentWriter, outside: OutsideRow[]) {
    const shown = outside.slice(0, 100);
    super(
      `您的辖区（${jurisdictionLabel(writer)}）不包括 ${outside.length} 条事件所在的网格（${[...new Set(shown.map((r) => r.gridCode))].slice(0, 5).join('、')}${outside.length > 5 ? ' 等' : ''}），本次未导入任何记录`,
      { errors: shown.map((r) => ({ row: r.row, field: 'location', reason: `位于网格 ${r.gridCode}，不在您的辖区内` })) },
    );
  }
}
