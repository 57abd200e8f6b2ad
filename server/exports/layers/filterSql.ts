/** SQL pieces every layer's select shares: the region prefix, the time window, keyset paging, ISO timestamps. */
import { sql, type SQL } from 'drizzle-orm';
import type { ExportFilter, Page } from './layer';

/** Region prefix as a LIKE pattern; codes are digits only (validated), so no escaping is needed. */
export const prefix = (filter: ExportFilter) => `${filter.region ?? ''}%`;

/** Timestamps as ISO 8601 UTC text, identical on both engines. */
export const iso = (column: SQL) => sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

/** Appends the keyset condition, order and limit for `key` (an indexed integer column). */
export const keyset = (key: SQL, page: Page | null) => (page ? sql`AND ${key} > ${page.after ?? -1} ORDER BY ${key} LIMIT ${page.limit}` : sql``);

export const timeWindow = (column: SQL, filter: ExportFilter) =>
  sql`${filter.from ? sql`AND ${column} >= ${filter.from.toISOString()}::timestamptz` : sql``} ${filter.to ? sql`AND ${column} < ${filter.to.toISOString()}::timestamptz` : sql``}`;
