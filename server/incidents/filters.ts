/**
 * The filters shared by every incident query (aggregation, time series, lists):
 * category/major class, stage, source, time window, region and bbox. Parsed once
 * from query strings, turned into one parameterised WHERE fragment.
 */
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { bboxParam, isoInstantParam } from '../http/params';
import { INCIDENT_SOURCES, INCIDENT_STAGES } from '../../kernel/stages';

const list = (field: string, pattern: RegExp, message: string) =>
  z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .refine((values) => values.length > 0 && values.length <= 50, `${field} 应为 1 到 50 个逗号分隔的值`)
    .refine((values) => values.every((v) => pattern.test(v)), message);

/** A region code: 市 6 (ending 00) / 区县 6 / 街道 9 / 社区 12 / 网格 15 digits. */
export const regionCodeParam = z.string().regex(/^(\d{6}|\d{9}|\d{12}|\d{15})$/, '区域编码应为 6、9、12 或 15 位数字');

export const incidentFilterQuery = z
  .object({
    category: list('category', /^[A-Za-z0-9_-]{1,16}$/, 'category 应为事件小类编码，如 SR01,SS02').optional(),
    major: list('major', /^\S{1,20}$/, 'major 应为事件大类名称，如 市容环境').optional(),
    stage: list('stage', new RegExp(`^(${INCIDENT_STAGES.join('|')})$`), `stage 只能取 ${INCIDENT_STAGES.join('、')}`).optional(),
    source: list('source', new RegExp(`^(${Object.keys(INCIDENT_SOURCES).join('|')})$`), 'source 只能取 grid、hongsheng、hotline').optional(),
    from: isoInstantParam('from').optional(),
    to: isoInstantParam('to').optional(),
    region: regionCodeParam.optional(),
    bbox: bboxParam.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'from 应早于 to', path: ['to'] });

export type IncidentFilter = z.infer<typeof incidentFilterQuery>;

/** The code prefix a region's incidents share (市 450900 → 4509; 区县 keeps 6 digits). */
export function regionPrefix(code: string): string {
  return code.length === 6 && code.endsWith('00') ? code.slice(0, 4) : code;
}

/** WHERE fragment for alias `i` (incidents). Time window is [from, to) on reported_at. */
export function filterSql(f: Omit<IncidentFilter, 'from' | 'to'> & { from?: Date; to?: Date }, options: { time?: boolean } = {}): SQL {
  const parts: SQL[] = [sql`true`];
  if (f.category) parts.push(sql`i.category_code IN ${f.category}`);
  if (f.major) parts.push(sql`i.category_code IN (SELECT code FROM incident_categories WHERE major IN ${f.major})`);
  if (f.stage) parts.push(sql`i.stage::text IN ${f.stage}`);
  if (f.source) parts.push(sql`i.source IN ${f.source}`);
  if (options.time !== false) {
    if (f.from) parts.push(sql`i.reported_at >= ${f.from.toISOString()}::timestamptz`);
    if (f.to) parts.push(sql`i.reported_at < ${f.to.toISOString()}::timestamptz`);
  }
  if (f.region) parts.push(regionSql(f.region));
  if (f.bbox) {
    const [w, s, e, n] = f.bbox;
    parts.push(sql`i.geom && ST_MakeEnvelope(${w}, ${s}, ${e}, ${n}, 4326)`);
  }
  return sql.join(parts, sql` AND `);
}

/** Incidents of a region by the code columns assigned at ingestion (index-friendly equality where possible). */
export function regionSql(code: string): SQL {
  switch (code.length) {
    case 15:
      return sql`i.grid_code = ${code}`;
    case 12:
      return sql`i.community_code = ${code}`;
    case 9:
      return sql`i.street_code = ${code}`;
    default:
      return sql`i.street_code LIKE ${`${regionPrefix(code)}%`}`;
  }
}
