/** 多网融合: the grids of other departments' networks as imported (their code and name; other attributes as JSON text). */
import { sql } from 'drizzle-orm';
import { keyset } from './filterSql';
import { asGeoJson } from './geometryOutput';
import type { ExportLayer } from './layer';

export const foreignGridsLayer: ExportLayer = {
  name: 'foreign_grids',
  title: '外部网格体系（多网融合）',
  geometryType: 'MultiPolygon',
  timeFilter: false,
  fields: [
    { name: 'network', dbf: 'network', title: '网格体系', type: 'text', width: 120 },
    { name: 'department', dbf: 'dept', title: '部门', type: 'text', width: 12 },
    { name: 'code', dbf: 'code', title: '外部网格编码', type: 'text', width: 60 },
    { name: 'name', dbf: 'name', title: '外部网格名称', type: 'text', width: 120 },
    { name: 'area_m2', dbf: 'area_m2', title: '面积（平方米）', type: 'real' },
  ],
  // Region filter: foreign grids meeting the region's outline.
  select: (filter, page, geometry = asGeoJson) => sql`
    SELECT f.id AS fid, ${geometry(sql`f.geom`)} AS geometry, n.name AS network, n.department, f.code, f.name, f.area_m2
    FROM foreign_grids f JOIN foreign_networks n ON n.id = f.network_id
    WHERE ${filter.region ? sql`EXISTS (SELECT 1 FROM regions r WHERE r.code = left(${filter.region}, 12) AND r.geom && f.geom AND ST_Intersects(r.geom, f.geom))` : sql`true`}
    ${keyset(sql`f.id`, page)}`,
};
