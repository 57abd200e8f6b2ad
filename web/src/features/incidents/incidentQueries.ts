/**
 * react-query bindings for the incident map endpoints (typed client `api`).
 * Keys carry the full query, so playback frames are cached and re-played free.
 */
import type { ClientResponse } from 'hono/client';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { HeatPoint, HexbinResult, IncidentListItem, TimeBucket } from '../../../../server/incidents/aggregation';
import { api, call } from '../../api/client';
import type { Bucket } from './playback';

// TODO(issue 12): the casts below go once every handler returns its real type.
const json = <T>(response: Promise<ClientResponse<unknown, number, string>>) => call(response) as Promise<T>;

export interface CategoryOption {
  code: string;
  major: string;
  minor: string;
  deadlineHours: number;
}
export interface HeatmapResult {
  cellM: number;
  total: number;
  max: number;
  points: HeatPoint[];
}
export interface TimeSeriesResult {
  bucket: Bucket;
  total: number;
  max: number;
  buckets: TimeBucket[];
}
export interface ColourDomain {
  layer: 'hexbin' | 'heatmap';
  bucket: Bucket;
  sizeM: number;
  max: number;
  maxPerBucket: number;
}
export interface CellPage {
  total: number;
  page: number;
  pageSize: number;
  items: IncidentListItem[];
}
export type { HexbinResult, HeatPoint, IncidentListItem, TimeBucket };

type Query = Record<string, string>;

export const categoriesQuery = queryOptions({
  queryKey: ['incidents', 'categories'],
  queryFn: async () => (await json<{ categories: CategoryOption[] }>(api.api.incidents.categories.$get())).categories,
  staleTime: Infinity,
});

export const hexbinsQuery = (query: Query) =>
  queryOptions({
    queryKey: ['incidents', 'hexbins', query],
    queryFn: () => json<HexbinResult>(api.api.incidents.hexbins.$get({ query })),
    staleTime: 60_000,
  });

export const heatmapQuery = (query: Query) =>
  queryOptions({
    queryKey: ['incidents', 'heatmap', query],
    queryFn: () => json<HeatmapResult>(api.api.incidents.heatmap.$get({ query })),
    staleTime: 60_000,
  });

export const timeSeriesQuery = (query: Query) =>
  queryOptions({
    queryKey: ['incidents', 'timeseries', query],
    queryFn: () => json<TimeSeriesResult>(api.api.incidents.timeseries.$get({ query })),
    staleTime: 60_000,
  });

/** Fetched once per filter/zoom: the legend's fixed maximum for the whole playback. */
export const domainQuery = (query: Query) =>
  queryOptions({
    queryKey: ['incidents', 'domain', query],
    queryFn: () => json<ColourDomain>(api.api.incidents.domain.$get({ query })),
    staleTime: 5 * 60_000,
  });

export const cellQuery = (query: Query) =>
  queryOptions({
    queryKey: ['incidents', 'cell', query],
    queryFn: () => json<CellPage>(api.api.incidents.hexbins.cell.$get({ query: query as Query & { i: string; j: string } })),
    staleTime: 30_000,
  });

export const useCategories = () => useQuery(categoriesQuery);
/** Keep the previous frame on screen while the next one loads, so playback does not flicker. */
export const useHexbins = (query: Query, enabled: boolean) => useQuery({ ...hexbinsQuery(query), enabled, placeholderData: keepPreviousData });
export const useHeatmap = (query: Query, enabled: boolean) => useQuery({ ...heatmapQuery(query), enabled, placeholderData: keepPreviousData });
export const useTimeSeries = (query: Query) => useQuery({ ...timeSeriesQuery(query), placeholderData: keepPreviousData });
export const useColourDomain = (query: Query) => useQuery({ ...domainQuery(query), placeholderData: keepPreviousData });
export const useCellIncidents = (query: Query | null) => useQuery({ ...cellQuery(query ?? {}), enabled: query !== null, placeholderData: keepPreviousData });
