/** Why: the 多网融合 calls of the fusion page, typed from the server's routes (server/routes/fusion.ts, routes/gridEdits.ts). */
import { queryOptions } from '@tanstack/react-query';
import { api, call } from '../../api/client';

export const networksQuery = queryOptions({ queryKey: ['fusion', 'networks'], queryFn: () => call(api.api.fusion.networks.$get()) });
export const foreignGridsQuery = (id: number) => queryOptions({ queryKey: ['fusion', 'grids', id], queryFn: () => call(api.api.fusion.networks[':id'].grids.$get({ param: { id: String(id) } })) });
export const overlapQuery = (id: number) => queryOptions({ queryKey: ['fusion', 'overlaps', id], queryFn: () => call(api.api.fusion.networks[':id'].overlaps.$get({ param: { id: String(id) }, query: {} })) });
export const adoptionDraft = (foreignGridId: number) => call(api.api.fusion.adopt[':id'].$get({ param: { id: String(foreignGridId) }, query: {} }));

/** The normal validated save of a base grid with the adopted boundary (neighbours adjusted); `dryRun` first. */
export const saveAdopted = (code: string, version: number, geometry: GeoJSON.MultiPolygon, dryRun: boolean) =>
  call(
    api.api.grids[':code'].$put({
      param: { code },
      query: { dryRun: dryRun ? 'true' : 'false' },
      json: { version, geometry: geometry as never, adjustNeighbours: true },
    }),
  );
