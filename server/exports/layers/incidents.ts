/** 网格事件: every incident with its category, stage and times; the one point layer filtered by report time. */
import { sql } from 'drizzle-orm';
import { iso, keyset, prefix, timeWindow } from './filterSql';
import { asGeoJson } from './geometryOutput';
import type { ExportLayer } from './layer';

export const incidentsLayer: ExportLayer = {
  name: 'incidents',
  title: '网格事件',
  geometryType: 'Point',
  timeFilter: true,
  fields: [
    { name: 'id', dbf: 'id', title: '编号', type: 'integer' },
    { name: 'category_code', dbf: 'category', title: '类别编码', type: 'text', width: 16 },
    { name: 'category_major', dbf: 'cat_major', title: '大类', type: 'text', width: 60 },
    { name: 'category_minor', dbf: 'cat_minor', title: '小类', type: 'text', width: 90 },
    { name: 'source', dbf: 'source', title: '来源', type: 'text', width: 12 },
    { name: 'stage', dbf: 'stage', title: '环节', type: 'text', width: 12 },
    { name: 'escalation', dbf: 'escalate', title: '上报层级', type: 'text', width: 12 },
    { name: 'grid_code', dbf: 'grid_code', title: '网格编码', type: 'text', width: 15 },
    { name: 'community_code', dbf: 'comm_code', title: '社区编码', type: 'text', width: 12 },
    { name: 'street_code', dbf: 'street_cd', title: '街道编码', type: 'text', width: 9 },
    { name: 'reported_at', dbf: 'reported', title: '上报时间', type: 'datetime' },
    { name: 'deadline_at', dbf: 'deadline', title: '办理时限', type: 'datetime' },
    { name: 'closed_at', dbf: 'closed', title: '结案时间', type: 'datetime' },
    { name: 'rework_count', dbf: 'rework', title: '返工次数', type: 'integer' },
    { name: 'extended', dbf: 'extended', title: '是否延期', type: 'boolean' },
    { name: 'satisfaction', dbf: 'satisfy', title: '满意度', type: 'integer' },
  ],
  select: (filter, page, geometry = asGeoJson) => sql`
    SELECT i.id::int AS fid, ${geometry(sql`i.geom`)} AS geometry,
           i.id::int AS id, i.category_code, k.major AS category_major, k.minor AS category_minor,
           i.source, i.stage::text AS stage, i.escalation::text AS escalation,
           i.grid_code, i.community_code, i.street_code,
           ${iso(sql`i.reported_at`)} AS reported_at, ${iso(sql`i.deadline_at`)} AS deadline_at, ${iso(sql`i.closed_at`)} AS closed_at,
           i.rework_count, i.extended, i.satisfaction::int AS satisfaction
    FROM incidents i JOIN incident_categories k ON k.code = i.category_code
    WHERE (coalesce(i.grid_code, '') LIKE ${prefix(filter)} OR coalesce(i.community_code, '') LIKE ${prefix(filter)}
           OR coalesce(i.street_code, '') LIKE ${prefix(filter)})
      ${timeWindow(sql`i.reported_at`, filter)} ${keyset(sql`i.id`, page)}`,
};
