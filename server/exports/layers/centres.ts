/** 党群服务中心 at their five levels, with opening hours and households served. */
import { sql } from 'drizzle-orm';
import { keyset, prefix } from './filterSql';
import { asGeoJson } from './geometryOutput';
import type { ExportLayer } from './layer';

const LEVEL_TITLES = sql`CASE c.level WHEN 'city' THEN '市' WHEN 'district' THEN '县区' WHEN 'street' THEN '街道' WHEN 'community' THEN '社区' ELSE '小区' END`;

export const centresLayer: ExportLayer = {
  name: 'centres',
  title: '党群服务中心',
  geometryType: 'Point',
  timeFilter: false,
  fields: [
    { name: 'id', dbf: 'id', title: '编号', type: 'integer' },
    { name: 'name', dbf: 'name', title: '名称', type: 'text', width: 150 },
    { name: 'level', dbf: 'level', title: '层级', type: 'text', width: 12 },
    { name: 'level_name', dbf: 'level_name', title: '层级名称', type: 'text', width: 12 },
    { name: 'region_code', dbf: 'region', title: '所属区划编码', type: 'text', width: 12 },
    { name: 'area_m2', dbf: 'area_m2', title: '面积（平方米）', type: 'real' },
    { name: 'households_served', dbf: 'hh_served', title: '服务户数', type: 'integer' },
    { name: 'opening_hours', dbf: 'hours', title: '开放时间', type: 'text', width: 90 },
    { name: 'address', dbf: 'address', title: '地址', type: 'text', width: 200 },
  ],
  select: (filter, page, geometry = asGeoJson) => sql`
    SELECT c.id AS fid, ${geometry(sql`c.geom`)} AS geometry,
           c.id, c.name, c.level::text AS level, ${LEVEL_TITLES} AS level_name, c.region_code,
           c.area_m2, c.households_served, c.opening_hours, c.address
    FROM service_centres c
    WHERE coalesce(c.region_code, '') LIKE ${prefix(filter)} ${keyset(sql`c.id`, page)}`,
};
