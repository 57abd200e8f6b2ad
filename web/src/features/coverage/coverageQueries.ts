/** react-query bindings for the coverage API (typed client `api`). */
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, call, type Answer } from '../../api/client';

export type CoverageSummaryResponse = Answer<typeof api.api.coverage.summary.$get>;
export type IsochronesResponse = Answer<typeof api.api.coverage.isochrones.$get>;
export type NormResponse = Answer<typeof api.api.coverage.norm.$get>;
export type BlindSpotsResponse = Answer<(typeof api.api.coverage)['blind-spots']['$get']>;

export interface SummaryParams {
  level: 'street' | 'community' | 'grid';
  region?: string;
  /** Target share in percent (default 80). */
  target?: number;
}

/** Coverage changes only when centres or the network change; a minute of staleness is fine. */
const STALE_MS = 60_000;

export const coverageSummaryQuery = (params: SummaryParams) =>
  queryOptions({
    queryKey: ['coverage', 'summary', params],
    queryFn: () => call(api.api.coverage.summary.$get({ query: { level: params.level, ...(params.region ? { region: params.region } : {}), ...(params.target !== undefined ? { target: String(params.target) } : {}) } })),
    staleTime: STALE_MS,
  });

export const isochronesQuery = (centreIds: number[], minutes: number[] = [5, 10, 15]) =>
  queryOptions({
    queryKey: ['coverage', 'isochrones', centreIds, minutes],
    queryFn: () => call(api.api.coverage.isochrones.$get({ query: { centreId: centreIds.join(','), minutes: minutes.join(',') } })),
    staleTime: STALE_MS,
    enabled: centreIds.length > 0,
  });

export const normQuery = (region?: string) =>
  queryOptions({
    queryKey: ['coverage', 'norm', region ?? null],
    queryFn: () => call(api.api.coverage.norm.$get({ query: { ...(region ? { region } : {}), onlyShort: 'true' } })),
    staleTime: STALE_MS,
  });

export const blindSpotsQuery = (region?: string) =>
  queryOptions({
    queryKey: ['coverage', 'blind-spots', region ?? null],
    queryFn: () => call(api.api.coverage['blind-spots'].$get({ query: { ...(region ? { region } : {}) } })),
    staleTime: STALE_MS,
  });

export const useCoverageSummary = (params: SummaryParams) => useQuery(coverageSummaryQuery(params));
export const useCommunityNorms = (region?: string) => useQuery(normQuery(region));
