/**
 * The incident's photos: uploading to a step (its transition id) or, without one, to
 * the report; listing them; and grouping them by the timeline step they belong to
 * (report photos — no transition — go to the 上报 step).
 */
import { queryOptions } from '@tanstack/react-query';
import { api, call } from '../../api/client';
import { WORKBENCH_KEY } from './workbenchApi';

export const photosQuery = (incidentId: number) =>
  queryOptions({
    queryKey: [...WORKBENCH_KEY, 'photos', incidentId],
    queryFn: async () => (await call(api.api.incidents[':id'].photos.$get({ param: { id: String(incidentId) } }))).photos,
  });

export type IncidentPhoto = Awaited<ReturnType<NonNullable<ReturnType<typeof photosQuery>['queryFn']>>>[number];

/** The route reads the multipart form itself (files in order, optional transitionId). */
export function uploadPhotos(incidentId: number, files: File[], transitionId?: number | null) {
  const form = new FormData();
  for (const f of files) form.append('files', f);
  if (transitionId != null) form.append('transitionId', String(transitionId));
  return call(api.api.incidents[':id'].photos.$post({ param: { id: String(incidentId) } }, { init: { body: form } }));
}

export function photosByStep<P extends { transitionId: number | null }>(photos: readonly P[], steps: readonly { id: number; action: string }[]): Map<number, P[]> {
  const reportStep = steps.find((s) => s.action === 'report')?.id;
  const out = new Map<number, P[]>();
  for (const p of photos) {
    const step = p.transitionId ?? reportStep;
    if (step === undefined) continue;
    out.set(step, [...(out.get(step) ?? []), p]);
  }
  return out;
}
