/** Uploads photos to an incident: to a step (its transition id) or, without one, to the report. */
import { api, call } from '../../api/client';

export function uploadPhotos(incidentId: number, files: File[], transitionId?: number | null) {
  const form: { files: File[]; transitionId?: string } = { files };
  if (transitionId != null) form.transitionId = String(transitionId);
  return call(api.api.incidents[':id'].photos.$post({ param: { id: String(incidentId) }, form: form as never }));
}
