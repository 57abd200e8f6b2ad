/**
 * Who may see (and so add to) an incident's photos: exactly who may read the incident,
 * by the one read rule — `assertMayReadIncident` (server/incidents/incidentAccess.ts,
 * the SQL twin of kernel/incidentAccess.ts mayReadIncident). The refusal says what
 * the photos routes refuse (seeing and adding photos), the rule stays the incident's.
 */
import type { DbHandle } from '../../db/client';
import type { SessionUser } from '../../kernel/roles';
import { ForbiddenError } from '../http/domainError';
import { assertMayReadIncident } from '../incidents/incidentAccess';

/** Throws 404 when the incident does not exist, 403 when the user may not read it. */
export async function assertMaySeePhotos(db: DbHandle, user: SessionUser, incidentId: number): Promise<void> {
  try {
    await assertMayReadIncident(db, user, incidentId);
  } catch (e) {
    if (e instanceof ForbiddenError) throw new ForbiddenError(`您无权查看事件 ${incidentId}，也不能查看或上传它的照片`, e.extra);
    throw e;
  }
}
