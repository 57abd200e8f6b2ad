/** react-query bindings for the coverage API (typed client `api`). */
import type { ClientResponse } from 'hono/client';
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { InferResponseType } from 'hono/client';
import { api, call } from '../../api/client';

// TODO(issue 12): the casts below go once every handler returns its real type.
const json = <T>(response: Promise<ClientResponse<unknown, number, string>>) => call(response) as Promise<T>;

export type CoverageSummaryResponse = InferResponseType<typeof api.api.coverage.summary.$get, 200>;
export type IsochronesResponse = InferResponseType<typeof api.api.coverage.isochrones.$get, 200>;
export type NormResponse = InferResponseType<typeof api.api.coverage.norm.$get, 200>;
export type BlindSpotsResponse = InferResponseType<(typeof api.api.coverage)['blind-spots']['$get'], 200>;

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
    queryFn: () =>
      json<CoverageSummaryResponse>(
        api.api.coverage.summary.$get({ query: { level: params.level, ...(params.region ? { region: params.region } : {}), ...(params.target !== undefined ? { target: String(params.target) } : {}) } }),
      ),
    staleTime: STALE_MS,
  });

export const isochronesQuery = (centreIds: number[], minutes: number[] = [5, 10, 15]) =>
  queryOptions({
    queryKey: ['coverage', 'isochrones', centreIds, minutes],
    queryFn: () => json<IsochronesResponse>(api.api.coverage.isochrones.$get({ query: { centreId: centreIds.join(','), minutes: minutes.join(',') } })),
    staleTime: STALE_MS,
    enabled: centreIds.length > 0,
  });

export const normQuery = (region?: string) =>
  queryOptions({
    queryKey: ['coverage', 'norm', region ?? null],
    queryFn: () => json<NormResponse>(api.api.coverage.norm.$get({ query: { ...(region ? { region } : {}), onlyShort: 'true' } })),
    staleTime: STALE_MS,
  });

export const blindSpotsQuery = (region?: string) =>
  queryOptions({
    queryKey: ['coverage', 'blind-spots', region ?? null],
    queryFn: () => json<BlindSpotsResponse>(api.api.coverage['blind-spots'].$get({ query: { ...(region ? { region } : {}) } })),
    staleTime: STALE_MS,
  });

export const useCoverageSummary = (params: SummaryParams) => useQuery(coverageSummaryQuery(params));
export const useCommunityNorms = (region?: string) => useQuery(normQuery(region));
