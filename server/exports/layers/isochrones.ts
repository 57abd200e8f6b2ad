/** 15分钟生活圈: the service centres' walking isochrones, whatever the cache holds (may be empty). */
import { sql } from 'drizzle-orm';
import { iso, keyset, prefix } from './filterSql';
import { asGeoJson } from './geometryOutput';
import type { ExportLayer } from './layer';

export const isochronesLayer: ExportLayer = {
  name: 'isochrones',
  title: '15分钟生活圈',
  geometryType: 'MultiPolygon',
  timeFilter: false,
  fields: [
    { name: 'centre_id', dbf: 'centre_id', title: '服务中心编号', type: 'integer' },
    { name: 'centre_name', dbf: 'centre', title: '服务中心', type: 'text', width: 150 },
    { name: 'region_code', dbf: 'region', title: '所属区划编码', type: 'text', width: 12 },
    { name: 'minutes', dbf: 'minutes', title: '步行分钟', type: 'integer' },
    { name: 'speed_m_per_min', dbf: 'speed_mpm', title: '步速（米/分）', type: 'real' },
    { name: 'method', dbf: 'method', title: '计算方法', type: 'text', width: 16 },
    { name: 'network_version', dbf: 'net_ver', title: '路网版本', type: 'integer' },
    { name: 'computed_at', dbf: 'computed', title: '计算时间', type: 'datetime' },
  ],
  // The cache has a composite key; a row number over it is a stable keyset while the table is unchanged.
  select: (filter, page, geometry = asGeoJson) => sql`
    SELECT * FROM (
      SELECT (row_number() OVER (ORDER BY i.centre_id, i.minutes, i.speed_m_per_min))::int AS fid,
             ${geometry(sql`i.geom`)} AS geometry,
             i.centre_id, c.name AS centre_name, c.region_code, i.minutes, i.speed_m_per_min, i.method,
             i.network_version, ${iso(sql`i.computed_at`)} AS computed_at
      FROM isochrones i JOIN service_centres c ON c.id = i.centre_id
      WHERE coalesce(c.region_code, '') LIKE ${prefix(filter)}
    ) s WHERE true ${keyset(sql`s.fid`, page)}`,
};
