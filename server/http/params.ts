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

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * Why the calendar parts of a date are impossible (月份 13, 2 月 30 日, 25 点), or null.
 * `new Date` never says so: it rolls 2026-02-30 over to 2026-03-02 without a word.
 */
export function impossibleDate(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): string | null {
  if (month < 1 || month > 12) return `月份 ${month} 不存在（应为 1~12）`;
  const days = daysInMonth(year, month);
  if (day < 1 || day > days) return `日期不存在：${year} 年 ${month} 月只有 ${days} 天`;
  if (hour > 23) return `时间不存在：小时应为 0~23`;
  if (minute > 59) return `时间不存在：分钟应为 0~59`;
  if (second > 59) return `时间不存在：秒应为 0~59`;
  return null;
}

/** 2026-05-01, 2026-05-01T08:00, 2026-05-01T08:00:00.000Z, 2026-05-01 08:00:00+08:00 … (a zone only after a time). */
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Why an ISO 8601 date or date-time text is refused, or null when it names a real instant. */
export function invalidInstant(value: string): string | null {
  const m = ISO_INSTANT.exec(value.trim());
  if (!m) return '应为 ISO 8601 日期时间，如 2026-05-01 或 2026-05-01T08:00:00+08:00';
  const [, y, mo, d, h, mi, s] = m.map((part) => (part === undefined ? undefined : Number(part)));
  const impossible = impossibleDate(y!, mo!, d!, h ?? 0, mi ?? 0, s ?? 0);
  if (impossible) return impossible;
  return Number.isNaN(Date.parse(value.trim())) ? '应为 ISO 8601 日期时间，如 2026-05-01 或 2026-05-01T08:00:00+08:00' : null;
}

/**
 * An ISO 8601 date or date-time in a query string, as a Date (a date alone is UTC
 * midnight, a time without zone is server-local, as Date reads them). Impossible
 * calendar dates (2026-02-30) are refused instead of rolled over.
 */
export const isoInstantParam = (field: string) =>
  z.string().transform((value, ctx) => {
    const reason = invalidInstant(value);
    if (reason) {
      ctx.addIssue({ code: 'custom', message: `${field} ${reason}` });
      return z.NEVER;
    }
    return new Date(value.trim());
  });
