/** Query parameters of an export, validated with Chinese messages. */
import { z } from 'zod';
import { invalidInstant } from '../http/params';
import { CRS_IDS, resolveCrs } from './crs/projections';
import { FORMAT_IDS } from './formats';

/**
 * YYYY-MM-DD (Beijing midnight) or a full ISO 8601 timestamp. Impossible calendar
 * dates (2026-02-30) are refused by the one date rule (invalidInstant), not rolled over.
 */
const instant = (field: string) =>
  z.string().transform((value, ctx) => {
    const text = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00+08:00` : value;
    const reason = /^\d{4}-\d{2}-\d{2}T/.test(text) ? invalidInstant(text) : '应为日期（如 2024-01-31）或 ISO 8601 时间';
    if (reason) {
      ctx.addIssue({ code: 'custom', message: `${field} ${reason}` });
      return z.NEVER;
    }
    return new Date(text);
  });

export const exportQuery = z
  .object({
    format: z.enum(FORMAT_IDS, { message: `format 应为 ${FORMAT_IDS.join(' / ')} 之一` }).default('geojson'),
    crs: z
      .string()
      .default('4326')
      .refine((v) => resolveCrs(v) !== null, `crs 应为 4326、4490、gcj02 或 4534~4554（CGCS2000 高斯-克吕格 3 度带）之一`),
    region: z
      .string()
      .regex(/^\d{2,15}$/, 'region 应为 2~15 位数字的区划或网格编码前缀')
      .optional(),
    from: instant('from').optional(),
    to: instant('to').optional(),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'from 应早于 to', path: ['to'] });

export const layerParam = z.object({ layer: z.string().regex(/^[a-z_]{1,40}$/, '图层名称只能包含小写字母和下划线') });

export { CRS_IDS };
