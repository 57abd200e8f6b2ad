/** Calls of the 阵地管理 page through the typed client (types from server/routes/centres.ts). */
import { api, call, type Answer } from '../../api/client';

export type FacilityList = Answer<typeof api.api.centres.$get>;
export type Facility = FacilityList['features'][number];
export type FacilityPlace = Answer<typeof api.api.centres.place.$get>;
export type FacilityFilter = NonNullable<Parameters<typeof api.api.centres.$get>[0]>['query'];
export type CreateFacility = Parameters<typeof api.api.centres.$post>[0]['json'];
export type UpdateFacility = Parameters<(typeof api.api.centres)[':id']['$patch']>[0]['json'];
export type FacilityCircles = Answer<typeof api.api.coverage.isochrones.$get>;

export const fetchFacilities = (filter: FacilityFilter) => call(api.api.centres.$get({ query: filter }));
export const fetchPlace = (position: [number, number]) => call(api.api.centres.place.$get({ query: { lon: String(position[0]), lat: String(position[1]) } }));
export const createFacility = (body: CreateFacility) => call(api.api.centres.$post({ json: body }));
export const updateFacility = (id: number, body: UpdateFacility) => call(api.api.centres[':id'].$patch({ param: { id: String(id) }, json: body }));
export const fetchCircle = (id: number) => call(api.api.coverage.isochrones.$get({ query: { centreId: String(id), minutes: '15' } }));

/** DELETE answers 204 without a body: the problem details of a refusal still become ApiError. */
export async function deleteFacility(id: number): Promise<void> {
  const res = await api.api.centres[':id'].$delete({ param: { id: String(id) } });
  if (!res.ok) await call(res);
}
