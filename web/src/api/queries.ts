/** react-query bindings for the API: one place for keys and fetchers. */
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { Bbox } from '../../../kernel/bbox';
import { bboxParam } from '../../../kernel/bbox';
import { parseLevelCode } from '../../../kernel/gridCode';
import { ApiError, api, call, type AppConfig, type GridDetail, type GridsInBbox, type RegionNode } from './client';

/** A node of the 市 → 区县 → 街道 → 社区 tree (the server's own type). */
export type RegionTreeNode = RegionNode;

export type Grid = GridDetail;
export type GridsInView = GridsInBbox;
export type Config = AppConfig;

type TreeNodeJson = Omit<RegionNode, 'children'> & { children: unknown };

/** Config and the region tree only change with a data reload, so they are fetched once. */
export const configQuery = queryOptions({
  queryKey: ['config'],
  queryFn: () => call(api.api.config.$get()),
  staleTime: Infinity,
});

export const regionTreeQuery = queryOptions({
  queryKey: ['regions', 'tree'],
  queryFn: async () => {
    const { regions } = await call(api.api.regions.tree.$get());
    // RPC inference spells the recursive `children` as JSON; every other field is checked against the route here.
    return regions satisfies TreeNodeJson[] as TreeNodeJson[] as RegionNode[];
  },
  staleTime: Infinity,
});

/** One 微网格 (17 digits) or 专属网格 (16 digits) by its code, from its community's list; an unknown code is an error naming it. */
export const subGridQuery = (code: string) =>
  queryOptions({
    queryKey: ['sub-grid', code],
    queryFn: async () => {
      // The code names its base grid or community (kernel/gridCode.ts); a code of neither level exists nowhere.
      const parsed = parseLevelCode(code);
      const micro = code.length === 17;
      if (!parsed || parsed.level === 'base') throw new Error(`${micro ? '微网格' : '专属网格'} ${code} 不存在`);
      const query = parsed.level === 'micro' ? { parent: parsed.baseGridCode, level: 'micro' as const } : { community: parsed.communityCode, level: 'exclusive' as const };
      const found = (await call(api.api.levels.$get({ query }))).features.find((f) => f.properties.code === code);
      if (!found) throw new Error(`${micro ? '微网格' : '专属网格'} ${code} 不存在`);
      return found;
    },
    staleTime: 30_000,
  });

export const gridQuery = (code: string) =>
  queryOptions({
    queryKey: ['grid', code],
    queryFn: () => call(api.api.grids[':code'].$get({ param: { code }, query: {} })),
    staleTime: 30_000,
  });

/** The server's own cap is 10 000; a z15+ viewport holds a few hundred grids. */
export const GRIDS_IN_VIEW_LIMIT = 2000;

export const gridsInBboxQuery = (bbox: Bbox) =>
  queryOptions({
    queryKey: ['grids', 'bbox', bboxParam(bbox)],
    queryFn: () => call(api.api.grids.$get({ query: { bbox: bboxParam(bbox), limit: String(GRIDS_IN_VIEW_LIMIT) } })),
    staleTime: 60_000,
  });

export const useConfig = () => useQuery(configQuery);
export const useRegionTree = () => useQuery(regionTreeQuery);
export const useGridDetail = (code: string | null) => useQuery({ ...gridQuery(code ?? ''), enabled: code !== null });
/** Keeps the previous viewport's grids while the next ones load, so labels do not blink. */
export const useGridsInBbox = (bbox: Bbox | null) => useQuery({ ...gridsInBboxQuery(bbox ?? [0, 0, 0, 0]), enabled: bbox !== null, placeholderData: keepPreviousData });

/** Client errors (4xx problem details) will not change on retry; network and 5xx might. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.problem.status >= 400 && error.problem.status < 500) return false;
  return failureCount < 2;
}

/** A readable Chinese message for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return '网络错误：无法连接服务器';
  return error instanceof Error ? error.message : String(error);
}
