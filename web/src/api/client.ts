/**
 * Typed API client: request and response types come from the server's routes
 * (Hono RPC), so web and server cannot drift apart.
 */
import { hc, type InferResponseType } from 'hono/client';
import type { AppType } from '../../../server/app';

export const api = hc<AppType>(typeof window === 'undefined' ? 'http://localhost/' : window.location.origin);

// The tree is recursive, which RPC inference flattens to JSON; the server's own type says it exactly.
export type { RegionNode } from '../../../server/regions/regionTree';
export type RegionTreeResponse = { regions: import('../../../server/regions/regionTree').RegionNode[] };
export type GridDetail = InferResponseType<(typeof api.api.grids)[':code']['$get'], 200>;
export type GridsInBbox = InferResponseType<typeof api.api.grids.$get, 200>;
export type AppConfig = InferResponseType<typeof api.api.config.$get, 200>;

/** Problem details (RFC 9457) as the server sends them. */
export interface ApiProblem {
  title: string;
  status: number;
  detail?: string;
  errors?: { field: string; reason: string }[];
}

export class ApiError extends Error {
  constructor(readonly problem: ApiProblem) {
    super(problem.detail ? `${problem.title}：${problem.detail}` : problem.title);
  }
}

/** Unwraps a typed response, turning problem details into ApiError. */
export async function unwrap<T>(response: Promise<{ ok: boolean; status: number; json(): Promise<T> }>): Promise<T> {
  const res = await response;
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as Partial<ApiProblem>;
    throw new ApiError({ title: body.title ?? `请求失败（${res.status}）`, status: res.status, detail: body.detail, errors: body.errors });
  }
  return res.json();
}
