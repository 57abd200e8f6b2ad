/**
 * Data for the big screen, through the typed client: every type here is the
 * answer of the server's own route, so a change there breaks the screen at tsc.
 * Figures refresh every 30 s; the previous data stays on screen meanwhile (no flicker).
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, call, type Answer } from '../../api/client';

export type ScreenSummary = Answer<typeof api.api.screen.summary.$get>;
export type ScreenCentre = Answer<typeof api.api.screen.centres.$get>['centres'][number];
export type Demonstrations = Answer<typeof api.api.demonstrations.$get>;
export type DemoBelt = Demonstrations['belts'][number];
export type DemoCircle = Demonstrations['circles'][number];

export const REFRESH_MS = 30_000;

export const useScreenSummary = (region: string | null) =>
  useQuery({
    queryKey: ['screen', 'summary', region ?? 'root'],
    queryFn: () => call(api.api.screen.summary.$get({ query: region ? { region } : {} })),
    refetchInterval: REFRESH_MS,
    placeholderData: keepPreviousData,
  });

export const useCentres = () =>
  useQuery({
    queryKey: ['screen', 'centres'],
    queryFn: async () => (await call(api.api.screen.centres.$get())).centres,
    refetchInterval: REFRESH_MS,
    placeholderData: keepPreviousData,
  });

export const useDemonstrations = () =>
  useQuery({
    queryKey: ['screen', 'demonstrations'],
    queryFn: () => call(api.api.demonstrations.$get()),
    refetchInterval: REFRESH_MS,
    placeholderData: keepPreviousData,
  });

/**
 * The cell size of the heat follows the drilled level, not the camera, so the colour domain does
 * not change while the map moves: the city (opening at z10) in cells of zoom 11, a district in
 * cells of zoom 12, a street or anything below in cells of zoom 13. Cells of zoom 13 over the
 * whole city were ~22,000 points (876 KB) where a few thousand draw the same picture.
 */
export const heatZoomFor = (region: string | null) => (region === null ? 11 : region.length <= 6 ? 12 : 13);

/** Last 90 days at the level's fixed cell size (heatZoomFor). */
export const useIncidentHeat = (enabled: boolean, zoom: number) =>
  useQuery({
    queryKey: ['screen', 'heatmap', zoom],
    queryFn: () => {
      const from = new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);
      return call(api.api.incidents.heatmap.$get({ query: { zoom: String(zoom), from } }));
    },
    enabled,
    refetchInterval: REFRESH_MS * 2,
    placeholderData: keepPreviousData,
  });

export type ScreenCircles = Answer<typeof api.api.screen.circles.$get>;

/**
 * 15-minute walking circles of the community centres, as cached by the server's
 * background job (never computed for this request): polled every 10 s until all
 * are ready, then refreshed with the other figures.
 */
export const useScreenCircles = (enabled: boolean) =>
  useQuery({
    queryKey: ['screen', 'circles', 15],
    queryFn: () => call(api.api.screen.circles.$get()),
    enabled,
    refetchInterval: (query) => (query.state.data?.ready ? REFRESH_MS : 10_000),
    placeholderData: keepPreviousData,
  });

/** Per-grid coverage of a region (GET /api/coverage/summary?level=grid), for colouring the grids. */
export const fetchGridCoverage = (region?: string) => call(api.api.coverage.summary.$get({ query: { level: 'grid', ...(region ? { region } : {}) } }));

/** A grid's detail (its label point for flying there, its version and star rating for the admin). */
export const fetchGrid = (code: string) => call(api.api.grids[':code'].$get({ param: { code }, query: {} }));
