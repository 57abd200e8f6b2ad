/**
 * RFC 9457 problem details. Every client error carries a Chinese title, a detail
 * and, for invalid input, the offending fields with the reason for each.
 */
import type { Context } from 'hono';
import type { ClientErrorStatusCode, ServerErrorStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';

z.config(z.locales.zhCN());

export interface FieldError {
  field: string;
  reason: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** Error statuses only, so typed clients can tell problem bodies from 2xx payloads. */
export function problem(c: Context, status: ClientErrorStatusCode | ServerErrorStatusCode, title: string, detail?: string, extra: Partial<Problem> = {}) {
  const body: Problem = { type: 'about:blank', title, status, ...(detail ? { detail } : {}), ...extra };
  return c.body(JSON.stringify(body), status, { 'Content-Type': PROBLEM_CONTENT_TYPE });
}

/** Hook for @hono/zod-validator: invalid input becomes a 400 listing each field. */
interface ValidationIssues {
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>;
}

export function invalidInput(result: { success: boolean; error?: ValidationIssues }, c: Context) {
  if (!result.success && result.error) {
    const errors = result.error.issues.map((issue) => ({ field: issue.path.map(String).join('.') || '(body)', reason: issue.message }));
    return problem(c, 400, '请求参数无效', errors.map((e) => `${e.field}：${e.reason}`).join('；'), { errors });
  }
  return undefined;
}

export function notFound(c: Context, what: string) {
  return problem(c, 404, '未找到', what);
}
