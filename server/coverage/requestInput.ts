/** Request parsing shared by the centre and coverage routes (Chinese messages, problem details). */
import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { DomainError } from '../http/domainError';
import { MalformedJson } from '../http/malformedJson';
import type { FieldError } from '../http/problem';
import { DEFAULT_SPEED_M_PER_MIN } from './walking';

/** A body that is not JSON or fails its schema: 400 listing each field, like the query validators. */
export class InvalidBody extends DomainError {
  constructor(errors: FieldError[], detail = errors.map((e) => `${e.field}：${e.reason}`).join('；')) {
    super(400, '请求参数无效', detail, { errors });
  }
}

/**
 * Validates a JSON body with a schema and hands the result to `c.req.valid('json')`
 * (typed, and typed for the hc client too). Bodies of other types never get here
 * (415, server/http/hardening.ts); empty or malformed JSON is MalformedJson, the
 * same 400 every route gives.
 */
export function jsonBody<S extends z.ZodType>(schema: S): MiddlewareHandler<object, string, { in: { json: z.input<S> }; out: { json: z.output<S> } }> {
  return async (c, next) => {
    const text = await c.req.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new MalformedJson(text.trim() === '');
    }
    const result = schema.safeParse(body);
    if (!result.success) throw new InvalidBody(result.error.issues.map((issue) => ({ field: issue.path.map(String).join('.') || '(body)', reason: issue.message })));
    c.req.addValidatedData('json', result.data as object);
    await next();
  };
}

/** "1,2,3" → distinct integers within [min, max], at most `maxCount` of them. */
export const integerList = (field: string, min: number, max: number, maxCount: number) =>
  z.string().transform((value, ctx) => {
    const parts = value.split(',').map((p) => p.trim());
    if (parts.some((p) => !/^\d{1,9}$/.test(p))) {
      ctx.addIssue({ code: 'custom', message: `${field} 应为逗号分隔的整数` });
      return z.NEVER;
    }
    const numbers = [...new Set(parts.map(Number))];
    if (numbers.some((n) => n < min || n > max)) {
      ctx.addIssue({ code: 'custom', message: `${field} 的每一项应在 ${min} 到 ${max} 之间` });
      return z.NEVER;
    }
    if (numbers.length > maxCount) {
      ctx.addIssue({ code: 'custom', message: `${field} 最多 ${maxCount} 项` });
      return z.NEVER;
    }
    return numbers.sort((a, b) => a - b);
  });

/** A decimal number given as a string, within [min, max]. */
export const decimalString = (field: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,6}(\.\d{1,9})?$/, `${field} 应为数字`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `${field} 应在 ${min} 到 ${max} 之间`);

/** Walking speed in metres per minute; default 1000 m per 15 minutes (GB 50180). */
export const speedParam = decimalString('speed', 20, 200)
  .optional()
  .transform((v) => v ?? DEFAULT_SPEED_M_PER_MIN);

export const regionCodeParam = z.string().regex(/^\d{6}(\d{3}){0,2}$/, '区划代码应为 6、9 或 12 位数字');
