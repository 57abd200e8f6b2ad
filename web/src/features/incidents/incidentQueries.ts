/**
 * react-query bindings for the incident map endpoints (typed client `api`).
 * Keys carry the full query, so playback frames are cached and re-played free.
 */
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api, call, type Answer } from '../../api/client';

export type CategoryOption = Answer<typeof api.api.incidents.categories.$get>['categories'][number];
export type HexbinResult = Answer<typeof api.api.incidents.hexbins.$get>;
export type HeatmapResult = Answer<typeof api.api.incidents.heatmap.$get>;
export type HeatPoint = HeatmapResult['points'][number];
export type TimeSeriesResult = Answer<typeof api.api.incidents.timeseries.$get>;
export type TimeBucket = TimeSeriesResult['buckets'][number];
export type ColourDomain = Answer<typeof api.api.incidents.domain.$get>;
export type CellPage = Answer<typeof api.api.incidents.hexbins.cell.$get>;
export type IncidentListItem = CellPage['items'][number];

type Query = Record<string, string>;

export const categoriesQuery = queryOptions({
  queryKey: ['incidents', 'categories'],
  queryFn: async () => (await call(api.api.incidents.categories.$get())).categories,
  staleTime: Infinity,
});

export const hexbinsQuery = (query: Query) =>
  queryOptions({
    queryKey: ['incidents', 'hexbins', query],
    queryFn: () => call(api.api.incidents.hexbins.$get({ query })),
    staleTime: 60_000,
  });

export const heatmapQuery = (query: Query) =>
  queryOptions({
    queryKey: ['incidents', 'heatmap', query],
    queryFn: () => call(api.api.incidents.heatmap.$get({ query })),
    staleTime: 60_000,
  });

export const timeSeriesQuery = (query: Query) =>
  queryOptions({
    queryKey: ['incidents', 'timeseries', query],
    queryFn: () => call(api.api.incidents.timeseries.$get({ query })),
    staleTime: 60_000,
  });

/** Fetched once per filter/zoom: the legend's fixed maximum for the whole playback. */
export const domainQuery = (query: Query) =>
  queryOptions({
    queryKey: ['incidents', 'domain', query],
    queryFn: () => call(api.api.incidents.domain.$get({ query })),
    staleTime: 5 * 60_000,
  });

export const cellQuery = (query: Query) =>
  queryOptions({
    queryKey: ['incidents', 'cell', query],
    queryFn: () => call(api.api.incidents.hexbins.cell.$get({ query: query as Query & { i: string; j: string } })),
    staleTime: 30_000,
  });

export const useCategories = () => useQuery(categoriesQuery);
/** Keep the previous frame on screen while the next one loads, so playback does not flicker. */
export const useHexbins = (query: Query, enabled: boolean) => useQuery({ ...hexbinsQuery(query), enabled, placeholderData: keepPreviousData });
export const useHeatmap = (query: Query, enabled: boolean) => useQuery({ ...heatmapQuery(query), enabled, placeholderData: keepPreviousData });
export const useTimeSeries = (query: Query) => useQuery({ ...timeSeriesQuery(query), placeholderData: keepPreviousData });
export const useColourDomain = (query: Query) => useQuery({ ...domainQuery(query), placeholderData: keepPreviousData });
export const useCellIncidents = (query: Query | null) => useQuery({ ...cellQuery(query ?? {}), enabled: query !== null, placeholderData: keepPreviousData });
