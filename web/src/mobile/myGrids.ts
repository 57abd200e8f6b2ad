/**
 * The grid worker's own grids (GET /api/me/grids: boundary, households, party
 * organisation, the workers of each grid and of its neighbours, the bbox for the offline
 * basemap), kept by react-query and by the service worker's API cache, so the inside-grid
 * check and the map work offline.
 */
import { useQuery } from '@tanstack/react-query';
import { type Answer, api, call } from '../api/client';
import { pointInGeometry } from './geo/inside';

export type MyGrids = Answer<typeof api.api.me.grids.$get>;
export type MyGrid = MyGrids['grids'][number];

export const myGridsQuery = { queryKey: ['me', 'grids'], queryFn: () => call(api.api.me.grids.$get()), staleTime: 10 * 60_000 };

export function useMyGrids(enabled: boolean) {
  const q = useQuery({ ...myGridsQuery, enabled });
  return { grids: q.data?.grids ?? [], bbox: q.data?.bbox ?? null, pending: enabled && q.isPending, error: q.error };
}

/** The grid of mine containing the point, or null. */
export function myGridAt(grids: readonly MyGrid[], point: [number, number]): MyGrid | null {
  return grids.find((g) => pointInGeometry(point, g.geometry as Parameters<typeof pointInGeometry>[1])) ?? null;
}
