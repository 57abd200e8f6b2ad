/**
 * Export layer registry. A layer is one small definition: its fields (with the
 * ≤10-character Shapefile/DBF name for each — the documented mapping served at
 * GET /api/exports/layers) and one SQL function that selects its rows for a
 * region/time filter, one keyset page at a time.
 *
 * To add a layer append a definition to LAYERS; every format, the API, the CLI
 * and the UI pick it up.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { BLIND_SPOT_MIN_AREA_M2, blindSpotPageSql, ensureCoverageIsochrones } from '../coverage/coverage';
import { networkVersionSql } from '../coverage/networkVersion';
import { FIXED_DEGREES } from '../coverage/precision';
import { DEFAULT_SPEED_M_PER_MIN } from '../coverage/walking';

export type FieldType = 'text' | 'integer' | 'real' | 'boolean' | 'datetime';
export type FieldValue = string | number | boolean | null;

export interface ExportField {
  /** Property name in GeoJSON, GeoPackage, CSV, KML and FlatGeobuf; also the SQL column alias. */
  name: string;
  /** DBF field name (ASCII, ≤ 10 characters) used in Shapefile exports. */
  dbf: string;
  /** Chinese label for the UI and the mapping table. */
  title: string;
  type: FieldType;
  /** DBF width in bytes for text (UTF-8: a Chinese character takes 3). */
  width?: number;
}

export interface ExportFilter {
  /** Region code prefix (2–15 digits): district, street, community or grid code. */
  region?: string;
  /** Incident report time window [from, to). */
  from?: Date;
  to?: Date;
}

/** Keyset page: rows with key > after, in key order, at most `limit`. */
export interface Page {
  after: number | null;
  limit: number;
}

export type ExportGeometryType = 'MultiPolygon' | 'Point' | 'MultiLineString';

export interface ExportLayer {
  name: string;
  title: string;
  geometryType: ExportGeometryType;
  /** Whether from/to apply to this layer. */
  timeFilter: boolean;
  fields: readonly ExportField[];
  /**
   * Rows with `fid` (integer keyset key), `geometry` (GeoJSON text, EPSG:4326)
   * and one column per field name. Without a page: every row (used for counts).
   */
  select(filter: ExportFilter, page: Page | null, geometry?: GeometryOutput): SQL;
  /** Work before the layer is counted or read, for layers derived from a cache (coverage gaps: the circles). */
  prepare?(db: DbHandle): Promise<unknown>;
}

/** Region prefix as a LIKE pattern; codes are digits only (validated), so no escaping is needed. */
const prefix = (filter: ExportFilter) => `${filter.region ?? ''}%`;

/** Timestamps as ISO 8601 UTC text, identical on both engines. */
const iso = (column: SQL) => sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

/** Appends the keyset condition, order and limit for `key` (an indexed integer column). */
const keyset = (key: SQL, page: Page | null) =>
  page ? sql`AND ${key} > ${page.after ?? -1} ORDER BY ${key} LIMIT ${page.limit}` : sql``;

const timeWindow = (column: SQL, filter: ExportFilter) =>
  sql`${filter.from ? sql`AND ${column} >= ${filter.from.toISOString()}::timestamptz` : sql``} ${filter.to ? sql`AND ${column} < ${filter.to.toISOString()}::timestamptz` : sql``}`;

/**
 * How the geometry column is selected: GeoJSON text in WGS 84 by default; the
 * exporter may project in SQL instead (PostGIS's C PROJ is several times faster
 * than proj4js), and a count passes NULL so no geometry is serialised at all.
 */
export type GeometryOutput = (column: SQL) => SQL;
export const asGeoJson: GeometryOutput = (column) => sql`ST_AsGeoJSON(${column}, 9)`;
export const projectedGeoJson = (srid: number, digits: number): GeometryOutput => (column) => sql`ST_AsGeoJSON(ST_Transform(${column}, ${sql.raw(String(Math.trunc(srid)))}), ${sql.raw(String(Math.trunc(digits)))})`;
export const noGeometry: GeometryOutput = () => sql`NULL`;
/** ISO WKB (little-endian), for formats that store it as is (GeoPackage). */
export const asWkb: GeometryOutput = (column) => sql`ST_AsBinary(${column}, 'NDR')`;
export const projectedWkb = (srid: number): GeometryOutput => (column) => asWkb(sql`ST_Transform(${column}, ${sql.raw(String(Math.trunc(srid)))})`);

export const gridsLayer: ExportLayer = {
  name: 'grids',
  title: '网格',
  geometryType: 'MultiPolygon',
  timeFilter: false,
  fields: [
    { name: 'code', dbf: 'code', title: '网格编码', type: 'text', width: 15 },
    { name: 'name', dbf: 'name', title: '网格名称', type: 'text', width: 120 },
    { name: 'community_code', dbf: 'comm_code', title: '社区编码', type: 'text', width: 12 },
    { name: 'street_code', dbf: 'street_cd', title: '街道编码', type: 'text', width: 9 },
    { name: 'district_code', dbf: 'distr_code', title: '区县编码', type: 'text', width: 6 },
    { name: 'area_m2', dbf: 'area_m2', title: '面积（平方米）', type: 'real' },
    { name: 'households', dbf: 'households', title: '户数', type: 'integer' },
    { name: 'population', dbf: 'population', title: '人口', type: 'integer' },
    { name: 'party_org_name', dbf: 'party_org', title: '党组织名称', type: 'text', width: 150 },
    { name: 'party_org_type', dbf: 'org_type', title: '党组织类型', type: 'text', width: 30 },
    { name: 'party_secretary', dbf: 'secretary', title: '党组织书记', type: 'text', width: 60 },
    { name: 'party_members', dbf: 'party_mem', title: '党员数', type: 'integer' },
    { name: 'dual_report_members', dbf: 'dual_rep', title: '双报到党员数', type: 'integer' },
    { name: 'star_rating', dbf: 'stars', title: '星级', type: 'integer' },
    { name: 'version', dbf: 'version', title: '版本', type: 'integer' },
    { name: 'updated_at', dbf: 'updated', title: '更新时间', type: 'datetime' },
  ],
  select: (filter, page, geometry = asGeoJson) => sql`
    SELECT g.id AS fid, ${geometry(sql`g.geom`)} AS geometry,
           g.code, g.name, g.community_code, g.street_code, g.district_code, g.area_m2,
           g.households, g.population, g.party_org_name, g.party_org_type, g.party_secretary,
           g.party_members, g.dual_report_members, g.star_rating::int AS star_rating, g.version,
           ${iso(sql`g.updated_at`)} AS updated_at
    FROM grids g
    WHERE g.code LIKE ${prefix(filter)} ${keyset(sql`g.id`, page)}`,
};

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

/** 15-minute circles: whatever the isochrone cache holds (may be empty). */
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

/** Belts and circles belong to a region when any member community is inside it. */
const membersInRegion = (column: SQL, filter: ExportFilter) =>
  filter.region ? sql`AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(${column}) m WHERE m LIKE ${prefix(filter)})` : sql``;

const memberFields: ExportField[] = [
  { name: 'id', dbf: 'id', title: '编号', type: 'integer' },
  { name: 'name', dbf: 'name', title: '名称', type: 'text', width: 150 },
  { name: 'description', dbf: 'descr', title: '说明', type: 'text', width: 254 },
  { name: 'member_count', dbf: 'members', title: '成员社区数', type: 'integer' },
  { name: 'member_codes', dbf: 'member_cds', title: '成员社区编码', type: 'text', width: 254 },
];

export const beltsLayer: ExportLayer = {
  name: 'belts',
  title: '党建示范带',
  geometryType: 'MultiPolygon',
  timeFilter: false,
  fields: [...memberFields, { name: 'route_km', dbf: 'route_km', title: '线路长度（公里）', type: 'real' }],
  select: (filter, page, geometry = asGeoJson) => sql`
    SELECT b.id AS fid, ${geometry(sql`b.corridor`)} AS geometry,
           b.id, b.name, b.description, jsonb_array_length(b.member_community_codes) AS member_count,
           (SELECT string_agg(m, ',') FROM jsonb_array_elements_text(b.member_community_codes) m) AS member_codes,
           ST_Length(b.route::geography) / 1000 AS route_km
    FROM demo_belts b
    WHERE true ${membersInRegion(sql`b.member_community_codes`, filter)} ${keyset(sql`b.id`, page)}`,
};

export const circlesLayer: ExportLayer = {
  name: 'circles',
  title: '党建示范圈',
  geometryType: 'MultiPolygon',
  timeFilter: false,
  fields: memberFields,
  select: (filter, page, geometry = asGeoJson) => sql`
    SELECT d.id AS fid, ${geometry(sql`d.geom`)} AS geometry,
           d.id, d.name, d.description, jsonb_array_length(d.member_community_codes) AS member_count,
           (SELECT string_agg(m, ',') FROM jsonb_array_elements_text(d.member_community_codes) m) AS member_codes
    FROM demo_circles d
    WHERE true ${membersInRegion(sql`d.member_community_codes`, filter)} ${keyset(sql`d.id`, page)}`,
};

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

/** Community KPI table: structure plus incident handling in the time window, on the community polygon. */
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

/**
 * Blind spots of the 15-minute circles: per grid, the part outside every circle
 * (at the default walking speed, ignoring slivers under 100 m²), straight from the
 * coverage module's blind-spot SQL. Households and population are apportioned by
 * area share, as in the coverage summary. The circles are computed first if
 * missing (pgRouting, or the Node search on the embedded engine). Exports overlay
 * on the coverage module's fixed 1e-7° grid: a page cannot be redone once
 * written, and the fixed grid is the overlay that never fails.
 */
export const coverageGapsLayer: ExportLayer = {
  name: 'coverage_gaps',
  title: '15分钟服务圈覆盖盲区',
  geometryType: 'MultiPolygon',
  timeFilter: false,
  fields: [
    { name: 'grid_code', dbf: 'grid_code', title: '网格编码', type: 'text', width: 15 },
    { name: 'grid_name', dbf: 'grid_name', title: '网格名称', type: 'text', width: 120 },
    { name: 'community_code', dbf: 'comm_code', title: '社区编码', type: 'text', width: 12 },
    { name: 'community_name', dbf: 'comm_name', title: '社区名称', type: 'text', width: 120 },
    { name: 'street_code', dbf: 'street_cd', title: '街道编码', type: 'text', width: 9 },
    { name: 'grid_area_m2', dbf: 'grid_m2', title: '网格面积（平方米）', type: 'real' },
    { name: 'uncovered_area_m2', dbf: 'gap_m2', title: '盲区面积（平方米）', type: 'real' },
    { name: 'uncovered_share', dbf: 'gap_share', title: '盲区占网格比例', type: 'real' },
    { name: 'uncovered_households', dbf: 'gap_hh', title: '盲区户数（按面积分摊）', type: 'real' },
    { name: 'uncovered_population', dbf: 'gap_pop', title: '盲区人口（按面积分摊）', type: 'real' },
  ],
  prepare: (db) => ensureCoverageIsochrones(db, DEFAULT_SPEED_M_PER_MIN),
  select: (filter, page, geometry = asGeoJson) => sql`
    SELECT s.grid_id AS fid, s.* FROM (
      ${blindSpotPageSql({ speedMPerMin: DEFAULT_SPEED_M_PER_MIN, region: filter.region, minAreaM2: BLIND_SPOT_MIN_AREA_M2 }, networkVersionSql, FIXED_DEGREES, geometry, page)}
    ) s ORDER BY s.grid_id`,
};

export const LAYERS: readonly ExportLayer[] = [
  gridsLayer,
  centresLayer,
  isochronesLayer,
  beltsLayer,
  circlesLayer,
  incidentsLayer,
  communityKpiLayer,
  coverageGapsLayer,
];

export function findLayer(name: string): ExportLayer | undefined {
  return LAYERS.find((l) => l.name === name);
}

/** What GET /api/exports/layers returns: the field mapping documented per layer. */
export function describeLayers() {
  return LAYERS.map((l) => ({
    name: l.name,
    title: l.title,
    geometryType: l.geometryType,
    timeFilter: l.timeFilter,
    fields: l.fields.map((f) => ({ name: f.name, shapefileName: f.dbf, title: f.title, type: f.type })),
  }));
}
