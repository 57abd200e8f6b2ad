/** What belts and circles share: their member communities, as fields and as the region filter. */
import { sql, type SQL } from 'drizzle-orm';
import { prefix } from './filterSql';
import type { ExportField, ExportFilter } from './layer';

/** Belts and circles belong to a region when any member community is inside it. */
export const membersInRegion = (column: SQL, filter: ExportFilter) => (filter.region ? sql`AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(${column}) m WHERE m LIKE ${prefix(filter)})` : sql``);

export const memberFields: ExportField[] = [
  { name: 'id', dbf: 'id', title: '编号', type: 'integer' },
  { name: 'name', dbf: 'name', title: '名称', type: 'text', width: 150 },
  { name: 'description', dbf: 'descr', title: '说明', type: 'text', width: 254 },
  { name: 'member_count', dbf: 'members', title: '成员社区数', type: 'integer' },
  { name: 'member_codes', dbf: 'member_cds', title: '成员社区编码', type: 'text', width: 254 },
];
