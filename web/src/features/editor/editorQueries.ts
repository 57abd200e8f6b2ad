/**
 * The editor's API calls, all through `call()` on the typed client: reads as
 * react-query options, writes as functions resolving to the server's own result
 * type (a refused write throws ApiError with the problem; editOutcome classifies it).
 * The server records the signed-in planner as the editor.
 */
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { InferResponseType } from 'hono/client';
import { api, call } from '../../api/client';
import type { PolygonalGeometry } from './geometryOps';

type Grids = typeof api.api.grids;
export type RenumberPlanEntry = InferResponseType<Grids['renumber'][':community']['$get'], 200>['plan'][number];

/** Whose history: a base grid's (/api/grids) or a 微网格/专属网格's (/api/levels). */
export type HistoryLevel = 'grid' | 'sub';

const dryRunQuery = (dryRun: boolean) => (dryRun ? { dryRun: 'true' as const } : {});

export const editorKeys = {
  grid: (code: string) => ['editor', 'grid', code] as const,
  neighbours: (bbox: string) => ['editor', 'neighbours', bbox] as const,
  region: (code: string) => ['editor', 'region', code] as const,
  history: (code: string, level: HistoryLevel = 'grid') => ['editor', 'history', level, code] as const,
  version: (code: string, version: number, level: HistoryLevel = 'grid') => ['editor', 'version', level, code, version] as const,
  renumber: (community: string) => ['editor', 'renumber', community] as const,
  band: (community: string) => ['editor', 'band', community] as const,
  buildingSums: (grid: string) => ['editor', 'buildingSums', grid] as const,
  subGrids: (community: string) => ['editor', 'subGrids', community] as const,
  rebalanceBatches: (community: string) => ['editor', 'rebalanceBatches', community] as const,
};

// ---- reads ----

/** Always fresh: the version number is what the next save is checked against. */
export const editGridQuery = (code: string) => queryOptions({ queryKey: editorKeys.grid(code), queryFn: () => call(api.api.grids[':code'].$get({ param: { code }, query: {} })), staleTime: 0 });

export const neighboursQuery = (bbox: string) =>
  queryOptions({
    queryKey: editorKeys.neighbours(bbox),
    queryFn: () => call(api.api.grids.$get({ query: { bbox, limit: '2000' } })),
    staleTime: 0,
  });

export const regionQuery = (code: string) => queryOptions({ queryKey: editorKeys.region(code), queryFn: () => call(api.api.regions[':code'].$get({ param: { code } })), staleTime: Infinity });

export const historyQuery = (code: string, level: HistoryLevel = 'grid') =>
  queryOptions({
    queryKey: editorKeys.history(code, level),
    queryFn: async () => (level === 'sub' ? (await call(api.api.levels[':code'].history.$get({ param: { code } }))).versions : (await call(api.api.grids[':code'].history.$get({ param: { code } }))).versions),
    staleTime: 0,
  });

export const versionQuery = (code: string, version: number, level: HistoryLevel = 'grid') =>
  queryOptions({
    queryKey: editorKeys.version(code, version, level),
    queryFn: () =>
      level === 'sub'
        ? call(api.api.levels[':code'].versions[':version'].$get({ param: { code, version: String(version) } }))
        : call(api.api.grids[':code'].versions[':version'].$get({ param: { code, version: String(version) } })),
    staleTime: Infinity,
  });

export const renumberPreview = (community: string) => call(api.api.grids.renumber[':community'].$get({ param: { community } }));

// ---- writes (each may run as ?dryRun=true) ----

export const updateGeometry = (code: string, body: { version: number; geometry: PolygonalGeometry; adjustNeighbours: boolean }, dryRun: boolean) =>
  call(api.api.grids[':code'].$put({ param: { code }, query: dryRunQuery(dryRun), json: body }));

export const createGridAt = (body: { communityCode: string; geometry: GeoJSON.Polygon }, dryRun: boolean) => call(api.api.grids.$post({ query: dryRunQuery(dryRun), json: body }));

// ---- 微网格 and 专属网格 (server/grids/subGrids.ts) ----

type Levels = typeof api.api.levels;
export type SubGridInput = Parameters<Levels['$post']>[0]['json'];

/** The grid levels under the open grid's community, for the map and the list. */
export const subGridsQuery = (community: string) => queryOptions({ queryKey: editorKeys.subGrids(community), queryFn: () => call(api.api.levels.$get({ query: { community, limit: '2000' } })), staleTime: 0 });

/** Creates a 微网格 or 专属网格; the answer reads like a grid write's, so the outcome and violations show the same way. */
export async function createSubGridAt(json: SubGridInput, options: { dryRun: boolean; adjustSiblings?: boolean }) {
  const query = { ...dryRunQuery(options.dryRun), ...(options.adjustSiblings ? { adjustSiblings: 'true' as const } : {}) };
  const r = await call(api.api.levels.$post({ query, json }));
  return { changes: [{ code: r.code, version: r.version, action: 'create' }], created: [r.code], deleted: [] as string[], dryRun: r.dryRun };
}

type SubGridWrite = InferResponseType<Levels[':code']['$put'], 200>;

/** A sub-grid write in the terms of a grid write (changed siblings, retired ones), so outcome and violations show the same way. */
const asEditResult = (r: SubGridWrite) => ({
  changes: r.changes.filter((c) => !c.deleted).map(({ code, version, action }) => ({ code, version, action })),
  created: [] as string[],
  deleted: r.changes.filter((c) => c.deleted).map((c) => c.code),
  dryRun: r.dryRun,
});

const levelsQuery = (options: { dryRun: boolean; adjustSiblings?: boolean }) => ({ ...dryRunQuery(options.dryRun), ...(options.adjustSiblings ? { adjustSiblings: 'true' as const } : {}) });

/** Reshapes a 微网格/专属网格 (its version checked: 409 when stale); a micro grid's siblings take or give the area with `adjustSiblings`. */
export async function updateSubGridShape(target: { code: string; level: 'micro' | 'exclusive'; name: string; version: number }, geometry: PolygonalGeometry, options: { dryRun: boolean; adjustSiblings?: boolean }) {
  const json = { level: target.level, name: target.name, geometry, version: target.version };
  return asEditResult(await call(api.api.levels[':code'].$put({ param: { code: target.code }, query: levelsQuery(options), json })));
}

/** 回退 of a 微网格/专属网格 to one of its versions (a new version, the same rules). */
export async function revertSubGridTo(code: string, body: { toVersion: number; version: number }, options: { dryRun: boolean; adjustSiblings?: boolean }) {
  return asEditResult(await call(api.api.levels[':code'].revert.$post({ param: { code }, query: levelsQuery(options), json: body })));
}

export const splitGridBy = (code: string, body: { version: number; line: GeoJSON.LineString }, dryRun: boolean) => call(api.api.grids[':code'].split.$post({ param: { code }, query: dryRunQuery(dryRun), json: body }));

export const mergeGridsTogether = (grids: { code: string; version: number }[], dryRun: boolean) => call(api.api.grids.merge.$post({ query: dryRunQuery(dryRun), json: { grids } }));

export const revertGridTo = (code: string, body: { toVersion: number; version: number }) => call(api.api.grids[':code'].revert.$post({ param: { code }, query: {}, json: body }));

export const applyRenumber = (community: string, expected: { oldCode: string; newCode: string }[]) => call(api.api.grids.renumber[':community'].$post({ param: { community }, query: {}, json: { expected } }));

// ---- household band and 均衡 (server/buildings) ----

type Buildings = typeof api.api.buildings;
export type RebalanceSuggestion = InferResponseType<Buildings['rebalance'][':community']['$get'], 200>;
export type RebalanceMoveInput = { building: string; to: string };

export const bandQuery = (community: string) => queryOptions({ queryKey: editorKeys.band(community), queryFn: () => call(api.api.buildings.bands[':community'].$get({ param: { community } })), staleTime: 0 });

export const gridBuildingsSummaryQuery = (grid: string) => queryOptions({ queryKey: editorKeys.buildingSums(grid), queryFn: () => call(api.api.buildings.summary.$get({ query: { grid } })), staleTime: 0 });

export const rebalanceSuggestion = (community: string) => call(api.api.buildings.rebalance[':community'].$get({ param: { community } }));

/** `band` null: back to the default band. */
export const saveBand = (community: string, band: { min: number; max: number } | null) => call(api.api.buildings.bands[':community'].$put({ param: { community }, json: band }));

export const applyRebalanceMoves = (community: string, body: { moves: RebalanceMoveInput[]; versions: { code: string; version: number }[] }, dryRun: boolean) =>
  call(api.api.buildings.rebalance[':community'].$post({ param: { community }, query: dryRunQuery(dryRun), json: body }));

export type RebalanceBatch = InferResponseType<Buildings['rebalance'][':community']['batches']['$get'], 200>['batches'][number];

/** The community's saved 均衡, newest first, page by page (cursor: the batch id `nextBefore`); fresh after every write: the editor invalidates ['editor']. */
export const rebalanceBatchesQuery = (community: string, limit = 50) =>
  infiniteQueryOptions({
    queryKey: editorKeys.rebalanceBatches(community),
    queryFn: ({ pageParam }) => call(api.api.buildings.rebalance[':community'].batches.$get({ param: { community }, query: { limit: String(limit), ...(pageParam === null ? {} : { before: String(pageParam) }) } })),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.nextBefore,
    staleTime: 0,
  });

/** Undo one saved 均衡 as a whole (dryRun: its impact, nothing written). */
export const undoRebalanceBatch = (community: string, batch: number, dryRun: boolean) => call(api.api.buildings.rebalance[':community'].undo.$post({ param: { community }, json: { batch, dryRun } }));
