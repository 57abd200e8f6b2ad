/**
 * Typed API client: request and response types come from the server's routes
 * (Hono RPC), so web and server cannot drift apart.
 */
import { hc, type ClientResponse, type InferResponseType } from 'hono/client';
import type { SuccessStatusCode } from 'hono/utils/http-status';
import type { AppType } from '../../../server/app';

export const api = hc<AppType>(typeof window === 'undefined' ? 'http://localhost/' : window.location.origin);

// The region tree is recursive, which RPC inference flattens to JSON; the server's own type says it exactly.
export type { RegionNode } from '../../../server/regions/regionTree';
export type GridDetail = InferResponseType<(typeof api.api.grids)[':code']['$get'], 200>;
export type GridsInBbox = InferResponseType<typeof api.api.grids.$get, 200>;
export type AppConfig = InferResponseType<typeof api.api.config.$get, 200>;

/** Problem details (RFC 9457) as the server sends them. */
export interface ApiProblem {
  title: string;
  status: number;
  detail?: string;
  errors?: { field: string; reason: string }[];
  /** Extension members (e.g. `violations` of a refused grid save, `current` of a version conflict). */
  [extension: string]: unknown;
}

export class ApiError extends Error {
  constructor(readonly problem: ApiProblem) {
    super(problem.detail ? `${problem.title}：${problem.detail}` : problem.title);
  }
}

/** The body of a response's 2xx variants, as the server's handler typed it (problem responses excluded). */
export type Ok<R> = R extends ClientResponse<infer T, infer S, infer F> ? (S extends SuccessStatusCode ? (F extends 'json' ? T : never) : never) : never;

/** The 2xx body of one endpoint method, e.g. `Answer<typeof api.api.auth.me.$get>`. */
export type Answer<F extends (...args: never[]) => unknown> = Ok<Awaited<ReturnType<F>>>;

/**
 * The one way the web calls the API: `call(api.api.x.$get(...))` resolves to the
 * handler's own 2xx body type and turns problem details (RFC 9457) into ApiError.
 */
export async function call<R extends ClientResponse<unknown, number, string>>(request: Promise<R> | R): Promise<Ok<R>> {
  const res = await request;
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as Partial<ApiProblem> & Record<string, unknown>;
    throw new ApiError({ ...body, title: body.title ?? `请求失败（${res.status}）`, status: res.status, detail: body.detail, errors: body.errors });
  }
  return (await res.json()) as Ok<R>;
}
