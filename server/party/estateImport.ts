/**
 * 小区 import: upserted by code, inside a community, with its outline as WKT or GeoJSON
 * (or lon/lat, then a 100 m square around it), its party organisation by code; outlines
 * are checked in SQL (valid, inside the community) before anything is written.
 */
import { sql } from 'drizzle-orm';
import { executeRows } from '../../db/client';
import { withinJurisdiction } from '../../kernel/roles';
import { defineImportEntity, type ImportColumn, type ImportContext, type RowError } from '../imports/importEntity';
import { type MultiPolygonCoords, polygonCell, squareAround } from '../imports/polygonCell';
import { columnLabels, RowCells } from '../imports/rowCells';

const COLUMNS: readonly ImportColumn[] = [
  { key: 'code', header: '小区编码', required: true, example: '450902005001-XQ01', note: '唯一编码；已存在则更新' },
  { key: 'name', header: '小区名称', required: true, example: '五里桥阳光小区' },
  { key: 'communityCode', header: '所属社区编码', required: true, example: '450902005001', note: '12 位社区代码' },
  { key: 'households', header: '户数', required: true, example: '860' },
  { key: 'propertyCompany', header: '物业企业', example: '金港物业' },
  { key: 'ownersCommittee', header: '业委会', example: '是', note: '是否成立业委会：是/否' },
  { key: 'redProperty', header: '红色物业', example: '是', note: '是/否' },
  { key: 'serviceSpaceM2', header: '党群服务阵地面积', example: '320', note: '平方米；标准为每百户 30 平方米且不少于 300 平方米' },
  { key: 'partyOrgCode', header: '党组织编码', example: '', note: '小区党组织（单独或联合），无则留空' },
  { key: 'geometry', header: '范围', example: 'POLYGON((110.15 22.63,110.152 22.63,110.152 22.632,110.15 22.632,110.15 22.63))', note: 'WKT 或 GeoJSON（WGS84）；无范围时填经度、纬度' },
  { key: 'lon', header: '经度', example: '' },
  { key: 'lat', header: '纬度', example: '' },
];
const LABELS = columnLabels(COLUMNS);

export interface EstateRow {
  code: string;
  name: string;
  communityCode: string;
  households: number;
  propertyCompany: string | null;
  ownersCommittee: boolean;
  redProperty: boolean;
  serviceSpaceM2: number | null;
  partyOrgId: number | null;
  coords: MultiPolygonCoords;
}

interface EstateContext extends ImportContext {
  communities: Set<string>;
  orgs: Map<string, number>;
}

export const estateImport = defineImportEntity<EstateRow, EstateContext>({
  key: 'estates',
  label: '小区',
  columns: COLUMNS,
  async prepare(db, user) {
    const [communities, orgs] = await Promise.all([
      executeRows<{ code: string }>(db, sql`SELECT code FROM regions WHERE level = 'community'`),
      executeRows<{ code: string; id: number }>(db, sql`SELECT code, id FROM party_orgs`),
    ]);
    return { user, communities: new Set(communities.map((c) => c.code)), orgs: new Map(orgs.map((o) => [o.code, o.id])) };
  },
  parseRow(cells, ctx) {
    const r = new RowCells(cells, LABELS);
    const code = r.raw('code');
    if (code === '') r.fail('code', '小区编码不能为空');
    else if (!/^[A-Za-z0-9_-]{1,40}$/.test(code)) r.fail('code', '小区编码应为 1~40 位字母、数字、- 或 _');
    const name = r.name('name', { required: true, max: 60 });
    const communityCode = r.raw('communityCode');
    if (communityCode === '') r.fail('communityCode', '所属社区编码不能为空');
    else if (!ctx.communities.has(communityCode)) r.fail('communityCode', `社区 ${communityCode} 不存在`);
    else if (ctx.user && !withinJurisdiction(ctx.user, communityCode)) r.fail('communityCode', `社区 ${communityCode} 不在您的管辖范围内`);
    const households = r.int('households', { required: true, max: 100_000 });
    const propertyCompany = r.name('propertyCompany', { max: 60 });
    const ownersCommittee = r.bool('ownersCommittee');
    const redProperty = r.bool('redProperty');
    const serviceSpaceM2 = r.number('serviceSpaceM2', { max: 100_000 });
    const orgCode = r.raw('partyOrgCode');
    const partyOrgId = orgCode ? (ctx.orgs.get(orgCode) ?? null) : null;
    if (orgCode && partyOrgId === null) r.fail('partyOrgCode', `党组织 ${orgCode} 不存在`);
    let coords: MultiPolygonCoords | null = null;
    if (r.raw('geometry') !== '') {
      const parsed = polygonCell(r.raw('geometry'));
      if ('reason' in parsed) r.fail('geometry', parsed.reason);
      else coords = parsed.coords;
    } else {
      const lon = r.number('lon', { min: -180, max: 180 });
      const lat = r.number('lat', { min: -90, max: 90 });
      if (lon !== null && lat !== null) coords = squareAround(lon, lat, 100);
      else if (r.raw('lon') === '' && r.raw('lat') === '') r.fail('geometry', '范围不能为空：请填写 WKT/GeoJSON，或经度和纬度');
    }
    return r.result<EstateRow>({
      code,
      name: name!,
      communityCode,
      households: households!,
      propertyCompany,
      ownersCommittee: ownersCommittee ?? false,
      redProperty: redProperty ?? false,
      serviceSpaceM2,
      partyOrgId,
      coords: coords!,
    });
  },
  async checkAll(rows, _ctx, tx) {
    const errors: RowError[] = [];
    const first = new Map<string, number>();
    for (const { row, value } of rows) {
      const at = first.get(value.code);
      if (at !== undefined) errors.push({ row, field: 'code', reason: `小区编码 ${value.code} 与第 ${at} 行重复` });
      else first.set(value.code, row);
    }
    if (rows.length === 0) return errors;
    const input = JSON.stringify(rows.map(({ row, value }) => ({ row, community: value.communityCode, geom: { type: 'MultiPolygon', coordinates: value.coords } })));
    const bad = await executeRows<{ row: number; reason: string }>(
      tx,
      sql`
      WITH input AS (
        SELECT (x ->> 'row')::int AS row, x ->> 'community' AS community, ST_SetSRID(ST_GeomFromGeoJSON(x -> 'geom'), 4326) AS geom
        FROM jsonb_array_elements(${input}::jsonb) x)
      SELECT i.row, CASE WHEN NOT ST_IsValid(i.geom) THEN '范围无效：' || ST_IsValidReason(i.geom)
                         ELSE '范围超出所属社区 ' || c.name || '（' || round((100 * ST_Area(ST_Difference(i.geom, c.geom)) / nullif(ST_Area(i.geom), 0))::numeric, 1) || '% 在社区外）' END AS reason
      FROM input i JOIN regions c ON c.code = i.community
      WHERE NOT ST_IsValid(i.geom) OR ST_Area(ST_Difference(i.geom, c.geom)) > 0.05 * ST_Area(i.geom)`,
    );
    for (const b of bad) errors.push({ row: b.row, field: 'geometry', reason: b.reason });
    return errors;
  },
  async write(tx, rows, _ctx, actor) {
    let inserted = 0;
    for (const r of rows) {
      const geom = JSON.stringify({ type: 'MultiPolygon', coordinates: r.coords });
      const [res] = await executeRows<{ inserted: boolean }>(
        tx,
        sql`
        INSERT INTO estates (code, name, community_code, geom, households, property_company, owners_committee, red_property, service_space_m2, party_org_id, updated_at, updated_by)
        VALUES (${r.code}, ${r.name}, ${r.communityCode}, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${geom}), 4326)), ${r.households}, ${r.propertyCompany}, ${r.ownersCommittee},
                ${r.redProperty}, ${r.serviceSpaceM2}, ${r.partyOrgId}, now(), ${actor})
        ON CONFLICT (code) DO UPDATE SET name = excluded.name, community_code = excluded.community_code, geom = excluded.geom, households = excluded.households,
          property_company = excluded.property_company, owners_committee = excluded.owners_committee, red_property = excluded.red_property,
          service_space_m2 = excluded.service_space_m2, party_org_id = excluded.party_org_id, updated_at = now(), updated_by = excluded.updated_by
        RETURNING (xmax = 0) AS inserted`,
      );
      if (res?.inserted) inserted++;
    }
    return { inserted, updated: rows.length - inserted };
  },
});
