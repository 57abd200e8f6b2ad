/**
 * Data for the big screen. Plain fetch with the server's own types: the screen
 * routers are mounted by server/app.ts, and these URLs are their contract.
 * Figures refresh every 30 s; the previous data stays on screen meanwhile (no flicker).
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ScreenCentre } from '../../../../server/routes/screen';
import type { DemoBelt, DemoCircle } from '../../../../server/screen/demonstrations';
import type { ScreenSummary } from '../../../../server/screen/summary';
import { ApiError, type ApiProblem } from '../../api/client';
import type { HeatmapResult } from '../incidents/incidentQueries';

export type { DemoBelt, DemoCircle, ScreenCentre, ScreenSummary };
export const REFRESH_MS = 30_000;

export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  const body = (await res.json().catch(() => ({}))) as unknown;
  if (!res.ok) {
    const p = body as Partial<ApiProblem>;
    throw new ApiError({ title: p.title ?? `请求失败（${res.status}）`, status: res.status, detail: p.detail, errors: p.errors });
  }
  return body as T;
}

/** Writes name the editor in x-actor (URI-encoded: headers are ASCII) until sign-in lands. */
export function sendJson<T>(method: 'POST' | 'PUT' | 'DELETE', url: string, actor: string, body?: unknown): Promise<T> {
  return fetchJson<T>(url, {
    method,
    headers: { 'content-type': 'application/json', 'x-actor': encodeURIComponent(actor || '管理员') },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export const useScreenSummary = (region: string | null) =>
  useQuery({
    queryKey: ['screen', 'summary', region ?? 'root'],
    queryFn: () => fetchJson<ScreenSummary>(`/api/screen/summary${region ? `?region=${region}` : ''}`),
    refetchInterval: REFRESH_MS,
    placeholderData: keepPreviousData,
  });

export const useCentres = () =>
  useQuery({
    queryKey: ['screen', 'centres'],
    queryFn: async () => (await fetchJson<{ centres: ScreenCentre[] }>('/api/screen/centres')).centres,
    refetchInterval: REFRESH_MS,
    placeholderData: keepPreviousData,
  });

export const useDemonstrations = () =>
  useQuery({
    queryKey: ['screen', 'demonstrations'],
    queryFn: () => fetchJson<{ belts: DemoBelt[]; circles: DemoCircle[] }>('/api/demonstrations'),
    refetchInterval: REFRESH_MS,
    placeholderData: keepPreviousData,
  });

/** Last 90 days at a fixed cell size, so the colour domain does not change with the camera. */
export const useIncidentHeat = (enabled: boolean) =>
  useQuery({
    queryKey: ['screen', 'heatmap'],
    queryFn: () => {
      const from = new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);
      return fetchJson<HeatmapResult>(`/api/incidents/heatmap?zoom=13&from=${from}`);
    },
    enabled,
    refetchInterval: REFRESH_MS * 2,
    placeholderData: keepPreviousData,
  });

export interface IsochroneCollection {
  features: { type: 'Feature'; geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon; properties: { centreId?: number; method?: string; minutes?: number } }[];
}

/** 15-minute walking isochrones of the community centres from the coverage API; slow to compute the first time, then cached server-side. */
export const useIsochrones = (enabled: boolean) =>
  useQuery({
    queryKey: ['screen', 'isochrones', 15],
    queryFn: () => fetchJson<IsochroneCollection>('/api/coverage/isochrones?minutes=15&level=community'),
    enabled,
    staleTime: 10 * 60_000,
    retry: false,
  });
