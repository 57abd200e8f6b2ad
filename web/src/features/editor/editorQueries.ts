/**
 * The editor's API calls: reads as react-query options, writes as functions that
 * name the planner (x-actor) and turn 422/409 problems into an EditFailed the page can show.
 */
import { queryOptions } from '@tanstack/react-query';
import { api, type GridDetail, type GridsInBbox } from '../../api/client';
import { classifyFailure, type EditFailure, type EditResult } from './editOutcome';
import type { PolygonalGeometry } from './geometryOps';

export class EditFailed extends Error {
  constructor(readonly failure: EditFailure) {
    super(failure.message);
  }
}

type Res = { ok: boolean; status: number; json(): Promise<unknown> };

async function answer<T>(response: Promise<Res>): Promise<T> {
  let res: Res;
  try {
    res = await response;
  } catch {
    throw new EditFailed({ kind: 'error', status: 0, message: '网络错误：无法连接服务器' });
  }
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new EditFailed(classifyFailure(res.status, body));
  return body as T;
}

// ---- the planner's name (no sign-in yet) ----
const ACTOR_KEY = 'dangjian.editor.actor';
export const DEFAULT_ACTOR = '规划员';
export function loadActor(): string {
  try {
    return localStorage.getItem(ACTOR_KEY)?.trim() || DEFAULT_ACTOR;
  } catch {
    return DEFAULT_ACTOR;
  }
}
export function saveActor(name: string) {
  try {
    localStorage.setItem(ACTOR_KEY, name.trim() || DEFAULT_ACTOR);
  } catch {
    // Private mode: the name lasts for this page only.
  }
}
/** Headers are ASCII; the server decodes the URI-encoded name. */
const actorHeaders = (actor: string) => ({ headers: { 'x-actor': encodeURIComponent(actor.trim() || DEFAULT_ACTOR) } });
const dryRunQuery = (dryRun: boolean) => (dryRun ? { dryRun: 'true' as const } : {});

/**
 * Who the server records as the editor once sign-in is in place (then x-actor is ignored).
 * Untyped on purpose: on a server without /api/auth this answers 404 and the typed-name field stays.
 */
export type SignedIn = { kind: 'user'; name: string; role: string } | { kind: 'signedOut' } | { kind: 'noAuth' };
export const signedInQuery = queryOptions({
  queryKey: ['editor', 'me'],
  queryFn: async (): Promise<SignedIn> => {
    const res = await fetch('/api/auth/me', { credentials: 'same-origin' });
    if (res.status === 401) return { kind: 'signedOut' };
    if (!res.ok) return { kind: 'noAuth' };
    const body = (await res.json()) as { user?: { displayName?: string; username?: string; roleLabel?: string } };
    return { kind: 'user', name: body.user?.displayName || body.user?.username || '', role: body.user?.roleLabel ?? '' };
  },
  staleTime: 60_000,
});

// ---- reads ----
export interface HistoryEntry {
  version: number;
  action: string;
  actor: string;
  at: string;
  note: string | null;
  code: string;
  areaBeforeM2: number | null;
  areaAfterM2: number | null;
}
export interface VersionGeometry {
  code: string;
  version: number;
  action: string;
  actor: string;
  at: string;
  before: GeoJSON.MultiPolygon | null;
  after: GeoJSON.MultiPolygon | null;
}
export interface RenumberPlanEntry {
  oldCode: string;
  newCode: string;
  name: string;
  changed: boolean;
}
export interface Region {
  code: string;
  name: string;
  geometry: GeoJSON.MultiPolygon;
}

export const editorKeys = {
  grid: (code: string) => ['editor', 'grid', code] as const,
  neighbours: (bbox: string) => ['editor', 'neighbours', bbox] as const,
  region: (code: string) => ['editor', 'region', code] as const,
  history: (code: string) => ['editor', 'history', code] as const,
  version: (code: string, version: number) => ['editor', 'version', code, version] as const,
  renumber: (community: string) => ['editor', 'renumber', community] as const,
};

/** Always fresh: the version number is what the next save is checked against. */
export const editGridQuery = (code: string) =>
  queryOptions({ queryKey: editorKeys.grid(code), queryFn: () => answer<GridDetail>(api.api.grids[':code'].$get({ param: { code }, query: {} })), staleTime: 0 });

export const neighboursQuery = (bbox: string) =>
  queryOptions({
    queryKey: editorKeys.neighbours(bbox),
    queryFn: () => answer<GridsInBbox>(api.api.grids.$get({ query: { bbox, limit: '2000' } })),
    staleTime: 0,
  });

export const regionQuery = (code: string) =>
  queryOptions({ queryKey: editorKeys.region(code), queryFn: () => answer<Region>(api.api.regions[':code'].$get({ param: { code } })), staleTime: Infinity });

export const historyQuery = (code: string) =>
  queryOptions({
    queryKey: editorKeys.history(code),
    queryFn: async () => (await answer<{ versions: HistoryEntry[] }>(api.api.grids[':code'].history.$get({ param: { code } }))).versions,
    staleTime: 0,
  });

export const versionQuery = (code: string, version: number) =>
  queryOptions({
    queryKey: editorKeys.version(code, version),
    queryFn: () => answer<VersionGeometry>(api.api.grids[':code'].versions[':version'].$get({ param: { code, version: String(version) } })),
    staleTime: Infinity,
  });

export const renumberPreview = (community: string) =>
  answer<{ community: string; plan: RenumberPlanEntry[] }>(api.api.grids.renumber[':community'].$get({ param: { community } }));

// ---- writes (each may run as ?dryRun=true) ----
export interface WriteOptions {
  actor: string;
  dryRun?: boolean;
}

export const updateGeometry = (code: string, body: { version: number; geometry: PolygonalGeometry; adjustNeighbours: boolean }, o: WriteOptions) =>
  answer<EditResult>(api.api.grids[':code'].$put({ param: { code }, query: dryRunQuery(!!o.dryRun), json: body }, actorHeaders(o.actor)));

export const createGridAt = (body: { communityCode: string; geometry: GeoJSON.Polygon }, o: WriteOptions) =>
  answer<EditResult>(api.api.grids.$post({ query: dryRunQuery(!!o.dryRun), json: body }, actorHeaders(o.actor)));

export const splitGridBy = (code: string, body: { version: number; line: GeoJSON.LineString }, o: WriteOptions) =>
  answer<EditResult>(api.api.grids[':code'].split.$post({ param: { code }, query: dryRunQuery(!!o.dryRun), json: body }, actorHeaders(o.actor)));

export const mergeGridsTogether = (grids: { code: string; version: number }[], o: WriteOptions) =>
  answer<EditResult>(api.api.grids.merge.$post({ query: dryRunQuery(!!o.dryRun), json: { grids } }, actorHeaders(o.actor)));

export const revertGridTo = (code: string, body: { toVersion: number; version: number }, o: WriteOptions) =>
  answer<EditResult>(api.api.grids[':code'].revert.$post({ param: { code }, query: dryRunQuery(!!o.dryRun), json: body }, actorHeaders(o.actor)));

export const applyRenumber = (community: string, expected: { oldCode: string; newCode: string }[], o: WriteOptions) =>
  answer<EditResult & { plan: { oldCode: string; newCode: string }[] }>(
    api.api.grids.renumber[':community'].$post({ param: { community }, query: dryRunQuery(!!o.dryRun), json: { expected } }, actorHeaders(o.actor)),
  );
