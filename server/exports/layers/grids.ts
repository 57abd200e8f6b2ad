/**
 * 网格: every grid with its record's columns (db/gridRecord.ts gives the column
 * names and Chinese titles; here only the Shapefile names, types and widths).
 * People follow the reader's own read, row by row (server/auth/personalData.ts):
 * where it would withhold them the secretary is empty and personal_data_withheld
 * true. Phones and the grid workers (a list) are never exported.
 */
import { sql, type SQL } from 'drizzle-orm';
import { GRID_FIELD_TITLES, GRID_RECORD_COLUMNS, type GridRecordKey } from '../../../db/gridRecord';
import { peopleReadableSql } from '../../auth/personalData';
import { iso, keyset, prefix } from './filterSql';
import { asGeoJson } from './geometryOutput';
import type { ExportField, ExportFilter, ExportLayer, FieldType } from './layer';

/** Record key → DBF name, type, DBF width (text). Grid workers (a list) and phones are not exported. */
const EXPORTED: [GridRecordKey, string, FieldType, number?][] = [
  ['code', 'code', 'text', 15],
  ['name', 'name', 'text', 120],
  ['communityCode', 'comm_code', 'text', 12],
  ['streetCode', 'street_cd', 'text', 9],
  ['districtCode', 'distr_code', 'text', 6],
  ['areaM2', 'area_m2', 'real'],
  ['households', 'households', 'integer'],
  ['population', 'population', 'integer'],
  ['partyOrgName', 'party_org', 'text', 150],
  ['partyOrgType', 'org_type', 'text', 30],
  ['partySecretary', 'secretary', 'text', 60],
  ['partyMembers', 'party_mem', 'integer'],
  ['dualReportMembers', 'dual_rep', 'integer'],
  ['starRating', 'stars', 'integer'],
  ['version', 'version', 'integer'],
  ['updatedAt', 'updated', 'datetime'],
];

/** Columns written differently from how they are stored; `readable`: whether this row's people may be shown. */
const AS_WRITTEN: Partial<Record<GridRecordKey, (column: SQL, readable: SQL) => SQL>> = {
  starRating: (column) => sql`${column}::int`,
  updatedAt: iso,
  partySecretary: (column, readable) => sql`CASE WHEN ${readable} THEN ${column} END`,
};

const WITHHELD = 'personal_data_withheld';

/** Field names are the schema's column names (snake_case), as GIS users know them. */
const columnName = (key: GridRecordKey) => GRID_RECORD_COLUMNS[key].name;

const fields: ExportField[] = [
  ...EXPORTED.map(([key, dbf, type, width]) => ({
    name: columnName(key),
    dbf,
    title: GRID_FIELD_TITLES[key],
    type,
    ...(width === undefined ? {} : { width }),
  })),
  { name: WITHHELD, dbf: 'pd_withhld', title: '人员信息已隐去', type: 'boolean' },
];

/** The select list for one reader: the rule is the same SQL expression for every row, over the row's grid code. */
function columns(filter: ExportFilter): SQL {
  const readable = peopleReadableSql(filter.reader, sql`g.code`);
  return sql.join(
    [
      ...EXPORTED.map(([key]) => {
        const column = sql`g.${sql.identifier(columnName(key))}`;
        return sql`${AS_WRITTEN[key]?.(column, readable) ?? column} AS ${sql.identifier(columnName(key))}`;
      }),
      sql`NOT (${readable}) AS ${sql.identifier(WITHHELD)}`,
    ],
    sql`, `,
  );
}

export const gridsLayer: ExportLayer = {
  name: 'grids',
  title: '网格',
  geometryType: 'MultiPolygon',
  timeFilter: false,
  fields,
  select: (filter, page, geometry = asGeoJson) => sql`
    SELECT g.id AS fid, ${geometry(sql`g.geom`)} AS geometry, ${columns(filter)}
    FROM grids g
    WHERE g.code LIKE ${prefix(filter)} ${keyset(sql`g.id`, page)}`,
};
