/** Shared request-parameter schemas with Chinese messages. */
import { z } from 'zod';

/** "west,south,east,north" in WGS84 degrees. */
export const bboxParam = z.string().transform((value, ctx) => {
  const parts = value.split(',').map((p) => p.trim());
  const numbers = parts.map(Number);
  if (parts.length !== 4 || parts.some((p) => p === '') || numbers.some((n) => !Number.isFinite(n))) {
    ctx.addIssue({ code: 'custom', message: 'bbox 应为 4 个数字：西经度,南纬度,东经度,北纬度' });
    return z.NEVER;
  }
  const [west, south, east, north] = numbers as [number, number, number, number];
  if (west < -180 || east > 180 || south < -90 || north > 90) {
    ctx.addIssue({ code: 'custom', message: 'bbox 超出经纬度范围（经度 -180~180，纬度 -90~90）' });
    return z.NEVER;
  }
  if (west >= east || south >= north) {
    ctx.addIssue({ code: 'custom', message: 'bbox 的西边界应小于东边界、南边界应小于北边界' });
    return z.NEVER;
  }
  return [west, south, east, north] as const;
});

/** A non-negative integer given as a decimal string (path or query). */
export const integerString = (field: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, `${field} 应为整数`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `${field} 应在 ${min} 到 ${max} 之间`);

/**
 * Names of places, organisations and people: Chinese, letters, digits, spaces and the
 * punctuation such names use. Markup (<>), quotes, semicolons and control characters
 * are refused, so a name can never carry script or SQL fragments anywhere it travels.
 */
export { nameText as safeName } from './text';
