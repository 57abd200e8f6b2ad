/** 微网格 and 专属网格 (table sub_grids): level, kind, parent base grid, community, figures; no people (the keeper stays inside). */
import { sql } from 'drizzle-orm';
import { keyset, prefix } from './filterSql';
import { asGeoJson } from './geometryOutput';
import type { ExportLayer } from './layer';

export const subGridsLayer: ExportLayer = {
  name: 'sub_grids',
  title: '微网格与专属网格',
  geometryType: 'MultiPolygon',
  timeFilter: false,
  fields: [
    { name: 'code', dbf: 'code', title: '网格编码（微网格 17 位，专属网格 16 位）', type: 'text', width: 17 },
    { name: 'level', dbf: 'level', title: '层级（micro 微网格 / exclusive 专属网格）', type: 'text', width: 10 },
    { name: 'kind', dbf: 'kind', title: '专属网格类别', type: 'text', width: 12 },
    { name: 'name', dbf: 'name', title: '名称', type: 'text', width: 120 },
    { name: 'parent_code', dbf: 'parent', title: '所属基础网格', type: 'text', width: 15 },
    { name: 'community_code', dbf: 'comm_code', title: '社区代码', type: 'text', width: 12 },
    { name: 'households', dbf: 'households', title: '户数', type: 'integer' },
    { name: 'population', dbf: 'population', title: '人口', type: 'integer' },
    { name: 'area_m2', dbf: 'area_m2', title: '面积（平方米）', type: 'real' },
  ],
  select: (filter, page, geometry = asGeoJson) => sql`
    SELECT s.id AS fid, ${geometry(sql`s.geom`)} AS geometry, s.code, s.level, s.kind, s.name, s.parent_grid_code AS parent_code,
           s.community_code, s.households, s.population, s.area_m2
    FROM sub_grids s WHERE s.code LIKE ${prefix(filter)} ${keyset(sql`s.id`, page)}`,
};
