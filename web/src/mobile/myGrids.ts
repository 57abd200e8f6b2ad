/**
 * The grid worker's own grids (boundary, households, party organisation): one
 * GET /api/grids/:code per bound grid, kept by react-query (and by the service worker's
 * API cache) so the inside-grid check and the map work offline.
 */
import { useQueries } from '@tanstack/react-query';
import { gridQuery } from '../api/queries';
import type { GridDetail } from '../api/client';
import { pointInGeometry } from './geo/inside';

export function useMyGrids(codes: readonly string[]): { grids: GridDetail[]; pending: boolean } {
  const results = useQueries({ queries: codes.map((code) => ({ ...gridQuery(code), staleTime: 10 * 60_000 })) });
  return { grids: results.flatMap((r) => (r.data ? [r.data] : [])), pending: results.some((r) => r.isPending) };
}

/** The grid of mine containing the point, or null. */
export function myGridAt(grids: readonly GridDetail[], point: [number, number]): GridDetail | null {
  return grids.find((g) => pointInGeometry(point, g.geometry as Parameters<typeof pointInGeometry>[1])) ?? null;
}
