/**
 * The workbench's calls and react-query keys: the inbox (per tab, filtered), its
 * counts, one incident's detail with its timeline and allowed actions, the actions
 * themselves, bulk dispatch, departments and reporting. Everything goes through the
 * typed client `call()`; the live stream invalidates WORKBENCH_KEY to refresh all.
 */
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api, call } from '../../api/client';
import type { Tab } from './tabs';

/** Every query of the workbench starts with this key (the live stream invalidates it). */
export const WORKBENCH_KEY = ['incidents', 'workbench'] as const;

/** The list's filters, as the inbox query parameters name them ('' = any). */
export interface InboxFilters {
  region: string;
  category: string;
  source: string;
  department: string;
  stage: string;
  /** Dates (YYYY-MM-DD, local), turned into instants for the query. */
  from: string;
  to: string;
}

export const NO_FILTERS: InboxFilters = { region: '', category: '', source: '', department: '', stage: '', from: '', to: '' };

/** The inbox answers one page; the map shows the same page. */
export const PAGE_SIZE = 200;

/** A local date's start (from) or the next day's start (to) as an ISO instant. */
export function dayInstant(date: string, end: boolean): string {
  const d = new Date(`${date}T00:00:00`);
  if (end) d.setDate(d.getDate() + 1);
  return d.toISOString();
}

export function inboxQueryParams(tab: Tab, filters: InboxFilters, page: number): Record<string, string> {
  const q: Record<string, string> = { tab, page: String(page), pageSize: String(PAGE_SIZE) };
  for (const key of ['region', 'category', 'source', 'department', 'stage'] as const) if (filters[key]) q[key] = filters[key];
  if (filters.from) q.from = dayInstant(filters.from, false);
  if (filters.to) q.to = dayInstant(filters.to, true);
  return q;
}

export const inboxQuery = (tab: Tab, filters: InboxFilters, page: number) => {
  const query = inboxQueryParams(tab, filters, page);
  return queryOptions({
    queryKey: [...WORKBENCH_KEY, 'inbox', query],
    queryFn: () => call(api.api.incidents.inbox.$get({ query: query as Parameters<typeof api.api.incidents.inbox.$get>[0]['query'] })),
    placeholderData: keepPreviousData,
  });
};

export const countsQuery = queryOptions({
  queryKey: [...WORKBENCH_KEY, 'counts'],
  queryFn: async () => (await call(api.api.incidents.inbox.counts.$get())).counts as Partial<Record<Tab, number>>,
});

export const detailQuery = (id: number) =>
  queryOptions({
    queryKey: [...WORKBENCH_KEY, 'detail', id],
    queryFn: () => call(api.api.incidents[':id'].$get({ param: { id: String(id) } })),
  });

export const departmentsQuery = queryOptions({
  queryKey: ['departments'],
  queryFn: async () => (await call(api.api.departments.$get())).departments,
  staleTime: 5 * 60_000,
});

export const assigneesQuery = (id: number) =>
  queryOptions({
    queryKey: [...WORKBENCH_KEY, 'assignees', id],
    queryFn: () => call(api.api.incidents[':id'].assignees.$get({ param: { id: String(id) } })),
    staleTime: 60_000,
  });

export type InboxPage = Awaited<ReturnType<NonNullable<ReturnType<typeof inboxQuery>['queryFn']>>>;
export type InboxItem = InboxPage['items'][number];
export type IncidentDetail = Awaited<ReturnType<typeof call<Awaited<ReturnType<(typeof api.api.incidents)[':id']['$get']>>>>>;
export type AllowedAction = IncidentDetail['allowedActions'][number];
export type TimelineEntry = IncidentDetail['timeline'][number];
export type Department = Awaited<ReturnType<NonNullable<(typeof departmentsQuery)['queryFn']>>>[number];

export const useInbox = (tab: Tab, filters: InboxFilters, page: number) => useQuery(inboxQuery(tab, filters, page));
export const useCounts = () => useQuery(countsQuery);
export const useDetail = (id: number | null) => useQuery({ ...detailQuery(id ?? 0), enabled: id !== null });
export const useDepartments = () => useQuery(departmentsQuery);

/** One loop action on one incident (the body's other fields are the action's own). */
export function postAction(id: number, body: { action: string; expectedStage: string } & Record<string, unknown>) {
  return call(api.api.incidents[':id'].actions.$post({ param: { id: String(id) }, json: body as never }));
}

export function bulkDispatch(body: { ids: number[]; departmentId: number; expectedStage: string }) {
  return call(api.api.incidents['bulk-dispatch'].$post({ json: body as never }));
}

export interface NewIncident {
  category: string;
  description: string;
  lon?: number;
  lat?: number;
  gridCode?: string;
  source?: string;
}

/** POST /api/incidents reads its body as text (the batch rules check each field by name). */
export function reportIncident(body: NewIncident) {
  return call(api.api.incidents.$post(undefined, { init: { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } } }));
}
