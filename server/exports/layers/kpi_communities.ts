/** Community KPI table: structure plus incident handling in the time window, on the community polygon. */
import { sql } from 'drizzle-orm';
import { prefix, timeWindow } from './filterSql';
import { asGeoJson } from './geometryOutput';
import type { ExportLayer } from './layer';

export const communityKpiLayer: ExportLayer = {
  name: 'kpi_communities',
  title: '社区指标',
  geometryType: 'MultiPolygon',
  timeFilter: true,
  fields: [
    { name: 'code', dbf: 'code', title: '社区编码', type: 'text', width: 12 },
    { name: 'name', dbf: 'name', title: '社区名称', type: 'text', width: 120 },
    { name: 'street_code', dbf: 'street_cd', title: '街道编码', type: 'text', width: 9 },
    { name: 'grids', dbf: 'grids', title: '网格数', type: 'integer' },
    { name: 'households', dbf: 'households', title: '户数', type: 'integer' },
    { name: 'population', dbf: 'population', title: '人口', type: 'integer' },
    { name: 'party_members', dbf: 'party_mem', title: '党员数', type: 'integer' },
    { name: 'dual_report_members', dbf: 'dual_rep', title: '双报到党员数', type: 'integer' },
    { name: 'incidents', dbf: 'incidents', title: '事件数', type: 'integer' },
    { name: 'incidents_closed', dbf: 'closed', title: '已结案', type: 'integer' },
    { name: 'closed_on_time', dbf: 'on_time', title: '按期结案', type: 'integer' },
    { name: 'satisfaction_avg', dbf: 'satisfy', title: '平均满意度', type: 'real' },
  ],
  // Region codes are 12 digits, so the numeric code is an exact integer keyset key.
  select: (filter, page, geometry = asGeoJson) => sql`
    SELECT r.code::bigint::float8 AS fid, ${geometry(sql`r.geom`)} AS geometry,
           r.code, r.name, r.parent_code AS street_code,
           (SELECT count(*)::int FROM grids g WHERE g.community_code = r.code) AS grids,
           r.households, r.population, r.party_members, r.dual_report_members,
           coalesce(i.n, 0) AS incidents, coalesce(i.closed, 0) AS incidents_closed, coalesce(i.on_time, 0) AS closed_on_time,
           i.satisfaction_avg
    FROM regions r
    LEFT JOIN LATERAL (
      SELECT count(*)::int AS n, count(closed_at)::int AS closed,
             count(*) FILTER (WHERE closed_at IS NOT NULL AND (deadline_at IS NULL OR closed_at <= deadline_at))::int AS on_time,
             round(avg(satisfaction)::numeric, 2)::float8 AS satisfaction_avg
      FROM incidents x WHERE x.community_code = r.code ${timeWindow(sql`x.reported_at`, filter)}
    ) i ON true
    WHERE r.level = 'community' AND r.code LIKE ${prefix(filter)}
      ${page ? sql`AND r.code::bigint > ${page.after ?? -1} ORDER BY r.code LIMIT ${page.limit}` : sql``}`,
};
