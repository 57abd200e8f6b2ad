/** 小区 (issue 16): outline, households, property company, 业委会, organisation status, 红色物业 and the service-space norm (30 m²/100 户, ≥ 300 m²). */
import { sql } from 'drizzle-orm';
import { keyset, prefix } from './filterSql';
import { asGeoJson } from './geometryOutput';
import type { ExportLayer } from './layer';

export const estatesLayer: ExportLayer = {
  name: 'estates',
  title: '小区',
  geometryType: 'MultiPolygon',
  timeFilter: false,
  fields: [
    { name: 'id', dbf: 'id', title: '编号', type: 'integer' },
    { name: 'code', dbf: 'code', title: '小区编码', type: 'text', width: 40 },
    { name: 'name', dbf: 'name', title: '小区名称', type: 'text', width: 120 },
    { name: 'community_code', dbf: 'community', title: '所属社区编码', type: 'text', width: 12 },
    { name: 'households', dbf: 'hh', title: '户数', type: 'integer' },
    { name: 'property_company', dbf: 'property', title: '物业企业', type: 'text', width: 120 },
    { name: 'owners_committee', dbf: 'owners_cmt', title: '业委会', type: 'text', width: 6 },
    { name: 'org_status', dbf: 'org_status', title: '党组织组建', type: 'text', width: 12 },
    { name: 'party_org', dbf: 'party_org', title: '党组织', type: 'text', width: 120 },
    { name: 'red_property', dbf: 'red_prop', title: '红色物业', type: 'text', width: 6 },
    { name: 'service_space_m2', dbf: 'space_m2', title: '阵地面积（平方米）', type: 'real' },
    { name: 'required_m2', dbf: 'req_m2', title: '标准面积（平方米）', type: 'real' },
    { name: 'meets_norm', dbf: 'meets', title: '面积达标', type: 'text', width: 6 },
  ],
  // required_m2 is kernel/estateNorm.ts requiredServiceSpace in SQL: max(300, ceil(households × 30 / 100)).
  select: (filter, page, geometry = asGeoJson) => sql`
    SELECT e.id AS fid, ${geometry(sql`e.geom`)} AS geometry,
           e.id, e.code, e.name, e.community_code, e.households, e.property_company,
           CASE WHEN e.owners_committee THEN '是' ELSE '否' END AS owners_committee,
           CASE WHEN o.id IS NULL THEN '未组建' WHEN o.joint THEN '联合组建' ELSE '单独组建' END AS org_status, o.name AS party_org,
           CASE WHEN e.red_property THEN '是' ELSE '否' END AS red_property, e.service_space_m2,
           greatest(300, ceil(e.households * 30 / 100.0))::float8 AS required_m2,
           CASE WHEN coalesce(e.service_space_m2, 0) >= greatest(300, ceil(e.households * 30 / 100.0)) THEN '是' ELSE '否' END AS meets_norm
    FROM estates e LEFT JOIN party_orgs o ON o.id = e.party_org_id
    WHERE e.community_code LIKE ${prefix(filter)} ${keyset(sql`e.id`, page)}`,
};
