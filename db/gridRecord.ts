/**
 * The grid record, spelled out once. db/schema.ts declares the columns; this
 * module says which of them make up a grid as the API shows it, how a row read
 * from the database becomes that grid, which attributes a planner may write,
 * and their Chinese names. The routes, the editor's writes and reverts, the
 * grids export layer and the sample loader all take the list from here, so a
 * new attribute is a column in the schema plus a line here — and tsc then asks
 * for its validator (server/grids/attributesInput.ts).
 *
 * The jsonb snapshots in grid_versions use the same keys: migration 0002's
 * grid_attrs() writes them (migrations are history and stay as written).
 * Names and phones are personal data: the mapping shows them as the reader's
 * PeopleView says (kernel/personalData.ts; who gets which view is
 * server/auth/personalData.ts).
 * Imports drizzle, db/schema and kernel only, so data/ and server/ can both use it.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { nameFor, phoneFor, type PeopleView } from '../kernel/personalData';
import { grids } from './schema';

/** A grid row as drizzle types it (schema property names). */
type Grid = typeof grids.$inferSelect;

/** The attributes a planner may write (edit, create, revert, in that order of keys), by API key → column. */
export const GRID_ATTRIBUTE_COLUMNS = {
  name: grids.name,
  households: grids.households,
  population: grids.population,
  partyOrgName: grids.partyOrgName,
  partyOrgType: grids.partyOrgType,
  partySecretary: grids.partySecretary,
  partyMembers: grids.partyMembers,
  dualReportMembers: grids.dualReportMembers,
  gridWorkers: grids.gridWorkers,
  starRating: grids.starRating,
} as const satisfies { [K in keyof Grid]?: PgColumn };

export type GridAttributeKey = keyof typeof GRID_ATTRIBUTE_COLUMNS;
export const GRID_ATTRIBUTE_KEYS = Object.keys(GRID_ATTRIBUTE_COLUMNS) as GridAttributeKey[];

/** A change to a grid's attributes: any subset of the writable keys. */
export type GridAttributes = Partial<Pick<Grid, GridAttributeKey>>;

/** 党组织类型: what a grid's party organisation may be. */
export const PARTY_ORG_TYPES = ['党支部', '联合党支部', '党小组'] as const;

/** `column = value` for each attribute given (undefined = leave as is), for an UPDATE … SET. */
export function gridAttributeAssignments(attrs: GridAttributes): SQL[] {
  return GRID_ATTRIBUTE_KEYS.filter((key) => attrs[key] !== undefined).map((key) => {
    const column = GRID_ATTRIBUTE_COLUMNS[key];
    const value = attrs[key];
    return column.dataType === 'json' ? sql`${sql.identifier(column.name)} = ${JSON.stringify(value)}::jsonb` : sql`${sql.identifier(column.name)} = ${value as string | number | null}`;
  });
}

/** The writable attributes present in `source` (a sample grid, a version snapshot …), nothing else. */
export function pickGridAttributes<T extends { [K in GridAttributeKey]?: unknown }>(source: T): Pick<T, GridAttributeKey & keyof T> {
  return Object.fromEntries(GRID_ATTRIBUTE_KEYS.filter((key) => key in source).map((key) => [key, source[key]])) as Pick<T, GridAttributeKey & keyof T>;
}

/** The stored columns a full grid read selects. */
export const GRID_RECORD_COLUMNS = {
  id: grids.id,
  code: grids.code,
  communityCode: grids.communityCode,
  streetCode: grids.streetCode,
  districtCode: grids.districtCode,
  areaM2: grids.areaM2,
  ...GRID_ATTRIBUTE_COLUMNS,
  /** Not (yet) writable: the people pages will edit it. */
  partySecretaryPhone: grids.partySecretaryPhone,
  version: grids.version,
  updatedAt: grids.updatedAt,
} as const satisfies { [K in keyof Grid]?: PgColumn };

export type GridRecordKey = keyof typeof GRID_RECORD_COLUMNS;

/** Chinese names of the record's fields (export field titles, mapping tables). */
export const GRID_FIELD_TITLES = {
  id: '编号',
  code: '网格编码',
  name: '网格名称',
  communityCode: '社区编码',
  streetCode: '街道编码',
  districtCode: '区县编码',
  areaM2: '面积（平方米）',
  households: '户数',
  population: '人口',
  partyOrgName: '党组织名称',
  partyOrgType: '党组织类型',
  partySecretary: '党组织书记',
  partySecretaryPhone: '书记联系电话',
  partyMembers: '党员数',
  dualReportMembers: '双报到党员数',
  gridWorkers: '网格员',
  starRating: '星级',
  version: '版本',
  updatedAt: '更新时间',
} as const satisfies { [K in GridRecordKey]: string };

/** Columns of a grid list (map features): enough to draw, label and colour a grid. */
const GRID_SUMMARY_KEYS = ['id', 'code', 'name', 'communityCode', 'streetCode', 'starRating', 'households'] as const satisfies readonly GridRecordKey[];

/** What every grid read adds to the stored columns: the label point and the GeoJSON geometry. */
interface Placed {
  labelLon: number;
  labelLat: number;
  /** GeoJSON text (7 decimals). */
  geometry: string;
}

export type GridRecordRow = Pick<Grid, GridRecordKey> & Placed;
export type GridSummaryRow = Pick<Grid, (typeof GRID_SUMMARY_KEYS)[number]> & Placed;

/** Names of the regions a grid belongs to, joined by the detail query. */
export interface GridPlaceNames {
  communityName: string;
  streetName: string;
  districtName: string;
}

/** `alias.column AS "key"` for each key, plus the label point and geometry: rows come back keyed as GridRecordRow. */
function selectList(alias: string, keys: readonly GridRecordKey[]): SQL {
  const a = sql.identifier(alias);
  const stored = keys.map((key) => sql`${a}.${sql.identifier(GRID_RECORD_COLUMNS[key].name)} AS ${sql.identifier(key)}`);
  return sql.join(
    [
      ...stored,
      sql`ST_X(${a}.${sql.identifier(grids.labelPoint.name)}) AS "labelLon"`,
      sql`ST_Y(${a}.${sql.identifier(grids.labelPoint.name)}) AS "labelLat"`,
      sql`ST_AsGeoJSON(${a}.${sql.identifier(grids.geom.name)}, 7) AS "geometry"`,
    ],
    sql`, `,
  );
}

/** SELECT list of a full grid read from `grids` aliased as `alias` (rows: GridRecordRow). */
export const gridRecordColumns = (alias: string): SQL => selectList(alias, Object.keys(GRID_RECORD_COLUMNS) as GridRecordKey[]);

/** SELECT list of a grid list read from `grids` aliased as `alias` (rows: GridSummaryRow). */
export const gridSummaryColumns = (alias: string): SQL => selectList(alias, GRID_SUMMARY_KEYS);

const labelOf = (row: Placed) => [Number(row.labelLon), Number(row.labelLat)] as [number, number];

/** A grid as GET /api/grids/:code answers it, its people as `people` lets this reader see them. */
export function gridRecordFromRow(r: GridRecordRow & GridPlaceNames, people: PeopleView) {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    community: { code: r.communityCode, name: r.communityName },
    street: { code: r.streetCode, name: r.streetName },
    district: { code: r.districtCode, name: r.districtName },
    areaM2: Number(r.areaM2),
    households: r.households,
    population: r.population,
    partyOrg: {
      name: r.partyOrgName,
      type: r.partyOrgType,
      secretary: nameFor(people, r.partySecretary),
      /** Masked (138****1234) unless revealed; null when withheld or unknown. */
      secretaryPhone: phoneFor(people, r.partySecretaryPhone),
      members: r.partyMembers,
      dualReportMembers: r.dualReportMembers,
    },
    /** null when withheld. */
    gridWorkers: nameFor(people, r.gridWorkers),
    /** This reader may not read the grid's people: every name and phone above is null. */
    personalDataWithheld: !people.names,
    starRating: r.starRating,
    version: r.version,
    updatedAt: new Date(r.updatedAt).toISOString(),
    label: labelOf(r),
    geometry: JSON.parse(r.geometry) as GeoJSON.MultiPolygon,
  };
}

export type GridRecord = ReturnType<typeof gridRecordFromRow>;

/** A grid as a GeoJSON feature of GET /api/grids?bbox=… (id = the tile feature id). */
export function gridFeatureFromRow(r: GridSummaryRow) {
  return {
    type: 'Feature' as const,
    id: r.id,
    geometry: JSON.parse(r.geometry) as GeoJSON.MultiPolygon,
    properties: {
      code: r.code,
      name: r.name,
      communityCode: r.communityCode,
      streetCode: r.streetCode,
      starRating: r.starRating,
      households: r.households,
      label: labelOf(r),
    },
  };
}

export type GridFeature = ReturnType<typeof gridFeatureFromRow>;
