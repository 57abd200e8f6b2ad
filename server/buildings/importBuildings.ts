/**
 * Why: buildings come from the housing register or a surveyor's file. This reads CSV (lon/lat
 * columns or a WKT column, UTF-8 or GBK), zipped Shapefile and GeoPackage (the grid importer's
 * readers and CRS detection — no GDAL at run time), checks every row (row, field, reason in
 * Chinese), finds each building's grid, and writes all rows in one transaction or none: any
 * error rejects the whole file (422 with every error), a dry run reports without writing.
 * A building whose code exists is updated (same code = same building).
 */
import { sql } from 'drizzle-orm';
import iconv from 'iconv-lite';
import { executeRows, type DbHandle, type Executor } from '../../db/client';
import { withinJurisdiction, type SessionUser } from '../../kernel/roles';
import { transformGeometry } from '../exports/crs/projections';
import { ImportError } from '../exports/imports/importError';
import { importLimits } from '../exports/imports/limits';
import { readImportFile } from '../exports/imports/readers';
import { DomainError } from '../http/domainError';

export interface BuildingRowError {
  row: number;
  field: string;
  reason: string;
}

export interface BuildingImportReport {
  format: string;
  rows: number;
  created: number;
  updated: number;
  errors: BuildingRowError[];
  dryRun: boolean;
  /** Buildings per grid in the file. */
  grids: { code: string; buildings: number; households: number }[];
}

export class BuildingImportRejected extends DomainError {
  constructor(report: BuildingImportReport) {
    super(
      422,
      '楼栋导入被拒绝',
      `文件有 ${report.errors.length} 处错误，未导入任何楼栋：${report.errors
        .slice(0, 5)
        .map((e) => `第 ${e.row} 行 ${e.field}：${e.reason}`)
        .join('；')}`,
      { errors: report.errors.map((e) => ({ field: `row ${e.row}.${e.field}`, reason: e.reason })), report },
    );
  }
}

interface Row {
  row: number;
  properties: Record<string, unknown>;
  geometry: GeoJSON.Geometry | null;
}

const FIELDS = {
  code: ['code', 'bm', 'ldbm', 'building_code', '编码', '楼栋编码'],
  name: ['name', 'mc', 'ldmc', '名称', '楼栋名称'],
  address: ['address', 'dz', '地址'],
  floors: ['floors', 'cs', '层数'],
  households: ['households', 'hs', '户数'],
  population: ['population', 'rk', 'rks', '人口', '人口数'],
  lon: ['lon', 'lng', 'longitude', 'x', '经度'],
  lat: ['lat', 'latitude', 'y', '纬度'],
  wkt: ['wkt', 'geom', 'geometry', 'the_geom'],
} as const;

function pick(props: Record<string, unknown>, names: readonly string[]): unknown {
  for (const key of Object.keys(props)) if (names.includes(key.trim().toLowerCase())) return props[key];
  return undefined;
}

/** UTF-8 (with or without BOM) or else GBK, as Excel in China writes. */
function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return iconv.decode(Buffer.from(bytes), 'gbk');
  }
}

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

function csvRows(bytes: Uint8Array): Row[] {
  const [header, ...body] = parseCsv(decodeText(bytes));
  if (!header) throw new ImportError(422, '文件中没有数据', 'CSV 文件为空');
  const keys = header.map((h) => h.trim());
  return body.map((cells, i) => ({ row: i + 2, properties: Object.fromEntries(keys.map((k, j) => [k, cells[j] ?? ''])), geometry: null }));
}

function fileRows(bytes: Uint8Array, format: 'shp' | 'gpkg'): Row[] {
  const file = readImportFile(bytes, format, importLimits());
  return file.features.map((f, i) => {
    let geometry = f.geometry;
    if (geometry && file.crs.id !== '4326' && file.crs.id !== '4490') geometry = transformGeometry(geometry, file.crs.inverse);
    return { row: i + 1, properties: f.properties, geometry };
  });
}

const text = (v: unknown) => (v === undefined || v === null ? '' : String(v).trim());

interface Valid {
  row: number;
  code: string;
  name: string | null;
  address: string | null;
  floors: number | null;
  households: number;
  population: number;
  /** GeoJSON of the point or footprint. */
  geometry: { geojson: string };
}

function checkRows(rows: Row[], errors: BuildingRowError[]): Valid[] {
  const seen = new Map<string, number>();
  const valid: Valid[] = [];
  for (const r of rows) {
    const err = (field: string, reason: string) => errors.push({ row: r.row, field, reason });
    const before = errors.length;
    const p = r.properties;
    const code = text(pick(p, FIELDS.code));
    if (code === '') err('code', '缺少楼栋编码');
    else if (code.length > 32 || !/^[0-9A-Za-z_-]+$/.test(code)) err('code', `楼栋编码“${code}”应为不超过 32 位的字母、数字、下划线或连字符`);
    else if (seen.has(code)) err('code', `楼栋编码 ${code} 在文件中重复（第 ${seen.get(code)} 行）`);
    else seen.set(code, r.row);
    const integer = (field: keyof typeof FIELDS, label: string, min: number, max: number, required: boolean): number | null => {
      const v = text(pick(p, FIELDS[field]));
      if (v === '') {
        if (required) err(field, `缺少${label}`);
        return null;
      }
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        err(field, `${label}“${v}”应为 ${min}–${max} 的整数`);
        return null;
      }
      return n;
    };
    const households = integer('households', '户数', 0, 5000, true);
    const population = integer('population', '人口', 0, 20000, false);
    const floors = integer('floors', '层数', 1, 200, false);
    let geometry: Valid['geometry'] | null = null;
    if (r.geometry) {
      const t = r.geometry.type;
      if (t !== 'Point' && t !== 'Polygon' && t !== 'MultiPolygon') err('geometry', `楼栋应为点或面，实际为 ${t}`);
      else if (!inRange(r.geometry)) err('geometry', '坐标超出经纬度范围，坐标系可能不正确');
      else if (t !== 'Point' && !ringsClosed(r.geometry)) err('geometry', '面的环应至少 4 个点且首尾相同');
      else geometry = { geojson: JSON.stringify(r.geometry) };
    } else {
      const wkt = text(pick(p, FIELDS.wkt));
      const lonText = text(pick(p, FIELDS.lon));
      const latText = text(pick(p, FIELDS.lat));
      if (wkt !== '') {
        const parsed = wktToGeoJson(wkt);
        if (typeof parsed === 'string') err('wkt', parsed);
        else if (!inRange(parsed)) err('wkt', '坐标超出经纬度范围，坐标系可能不正确');
        else if (parsed.type !== 'Point' && !ringsClosed(parsed)) err('wkt', '面的环应至少 4 个点且首尾相同');
        else geometry = { geojson: JSON.stringify(parsed) };
      } else if (lonText === '' || latText === '') err(lonText === '' ? 'lon' : 'lat', '缺少经纬度（lon/lat）或 WKT');
      else {
        const lon = Number(lonText);
        const lat = Number(latText);
        if (!Number.isFinite(lon) || lon < -180 || lon > 180) err('lon', `经度“${lonText}”应为 -180 到 180 之间的数`);
        else if (!Number.isFinite(lat) || lat < -90 || lat > 90) err('lat', `纬度“${latText}”应为 -90 到 90 之间的数`);
        else geometry = { geojson: JSON.stringify({ type: 'Point', coordinates: [lon, lat] }) };
      }
    }
    if (errors.length === before && geometry && households !== null) {
      valid.push({ row: r.row, code, name: text(pick(p, FIELDS.name)) || null, address: text(pick(p, FIELDS.address)) || null, floors, households, population: population ?? 0, geometry });
    }
  }
  return valid;
}

/** WKT POINT / POLYGON / MULTIPOLYGON → GeoJSON, or the reason it cannot be read. */
export function wktToGeoJson(wkt: string): GeoJSON.Point | GeoJSON.Polygon | GeoJSON.MultiPolygon | string {
  const m = /^\s*(POINT|POLYGON|MULTIPOLYGON)\s*(\(.*\))\s*$/is.exec(wkt);
  if (!m) return 'WKT 应为 POINT、POLYGON 或 MULTIPOLYGON';
  const body = (m[2] as string).replace(/\s+/g, ' ');
  if (!/^[\d\s.,()eE+-]+$/.test(body)) return 'WKT 中有无法识别的字符';
  let nested: unknown;
  try {
    nested = JSON.parse(
      body
        .replace(/\(\s*/g, '[')
        .replace(/\s*\)/g, ']')
        .replace(/(-?[\d.eE+-]+)\s+(-?[\d.eE+-]+)/g, '[$1,$2]'),
    );
  } catch {
    return 'WKT 格式错误（括号或坐标）';
  }
  const type = (m[1] as string).toUpperCase();
  const isPos = (p: unknown) => Array.isArray(p) && p.length === 2 && p.every((n) => typeof n === 'number' && Number.isFinite(n));
  if (type === 'POINT') return Array.isArray(nested) && isPos(nested[0]) && nested.length === 1 ? { type: 'Point', coordinates: nested[0] as number[] } : 'POINT 应只有一个坐标';
  const isRing = (r: unknown) => Array.isArray(r) && r.every(isPos);
  if (type === 'POLYGON') return Array.isArray(nested) && nested.every(isRing) ? { type: 'Polygon', coordinates: nested as number[][][] } : 'POLYGON 坐标格式错误';
  return Array.isArray(nested) && nested.every((p) => Array.isArray(p) && p.every(isRing)) ? { type: 'MultiPolygon', coordinates: nested as number[][][][] } : 'MULTIPOLYGON 坐标格式错误';
}

function ringsClosed(g: GeoJSON.Geometry): boolean {
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
  return polygons.length > 0 && polygons.every((p) => p.length > 0 && p.every((r) => r.length >= 4 && r[0]?.[0] === r[r.length - 1]?.[0] && r[0]?.[1] === r[r.length - 1]?.[1]));
}

function inRange(g: GeoJSON.Geometry): boolean {
  const flat = JSON.stringify('coordinates' in g ? g.coordinates : []).match(/-?\d+(\.\d+)?(e-?\d+)?/g) ?? [];
  return flat.every((n, i) => (i % 2 === 0 ? Math.abs(Number(n)) <= 180 : Math.abs(Number(n)) <= 90));
}

/** Places the valid rows: point (or the footprint's point on surface), the grid containing it, and whether the user may write there. */
async function place(tx: Executor, valid: Valid[], user: SessionUser, errors: BuildingRowError[]) {
  if (valid.length === 0) return [];
  const payload = JSON.stringify(valid.map((v, i) => ({ i, g: v.geometry.geojson })));
  const rows = await executeRows<{ i: number; ok: boolean; grid_id: number | null; grid_code: string | null; community_code: string | null; point: string | null; footprint: string | null; existing: boolean }>(
    tx,
    sql`
    WITH input AS (SELECT (e->>'i')::int AS i, e->>'g' AS g FROM jsonb_array_elements(${payload}::jsonb) e),
    geo AS (SELECT i, ST_SetSRID(ST_GeomFromGeoJSON(g), 4326) AS geom FROM input),
    pts AS (SELECT i, geom, ST_IsValid(geom) AS ok, CASE WHEN GeometryType(geom) = 'POINT' THEN geom ELSE ST_PointOnSurface(geom) END AS pt FROM geo)
    SELECT p.i, p.ok, g.id AS grid_id, g.code AS grid_code, g.community_code, ST_AsEWKT(p.pt) AS point,
           CASE WHEN GeometryType(p.geom) = 'POINT' THEN NULL ELSE ST_AsEWKT(ST_Multi(p.geom)) END AS footprint, false AS existing
    FROM pts p LEFT JOIN LATERAL (SELECT id, code, community_code FROM grids g WHERE g.geom && p.pt AND ST_Intersects(g.geom, p.pt) ORDER BY id LIMIT 1) g ON true
    ORDER BY p.i`,
  );
  const placed = [];
  for (const r of rows) {
    const v = valid[r.i] as Valid;
    if (!r.ok) errors.push({ row: v.row, field: 'geometry', reason: '楼栋面几何无效（自相交等）' });
    else if (r.grid_id === null) errors.push({ row: v.row, field: 'geometry', reason: '楼栋位置不在任何网格内' });
    else if (!withinJurisdiction(user, r.community_code as string)) errors.push({ row: v.row, field: 'geometry', reason: `楼栋所在社区 ${r.community_code} 不在您的辖区（${user.jurisdictionCode ?? '无'}）内` });
    else placed.push({ ...v, gridId: r.grid_id, gridCode: r.grid_code as string, communityCode: r.community_code as string, point: r.point as string, footprint: r.footprint });
  }
  return placed;
}

class RollBack extends Error {}

export async function importBuildings(handle: DbHandle, bytes: Uint8Array, options: { format: 'csv' | 'shp' | 'gpkg'; dryRun: boolean; user: SessionUser }): Promise<BuildingImportReport> {
  if (bytes.length === 0) throw new ImportError(400, '没有文件', '请求中没有文件内容');
  const rows = options.format === 'csv' ? csvRows(bytes) : fileRows(bytes, options.format);
  if (rows.length === 0) throw new ImportError(422, '文件中没有数据', '文件中没有任何楼栋');
  if (rows.length > 100_000) throw new ImportError(413, '文件过大', '一次最多导入 100,000 栋楼');
  const errors: BuildingRowError[] = [];
  const valid = checkRows(rows, errors);
  const actor = options.user.displayName || options.user.username;
  let report: BuildingImportReport | null = null;
  try {
    await handle.db.transaction(async (tx) => {
      const placed = await place(tx, valid, options.user, errors);
      errors.sort((a, b) => a.row - b.row);
      const codes = `{${placed.map((p) => `"${p.code}"`).join(',')}}`;
      const existing = placed.length === 0 ? [] : await executeRows<{ code: string }>(tx, sql`SELECT code FROM buildings WHERE code = ANY(${codes}::text[])`);
      const perGrid = new Map<string, { buildings: number; households: number }>();
      for (const p of placed) {
        const t = perGrid.get(p.gridCode) ?? { buildings: 0, households: 0 };
        t.buildings += 1;
        t.households += p.households;
        perGrid.set(p.gridCode, t);
      }
      report = {
        format: options.format,
        rows: rows.length,
        created: placed.length - existing.length,
        updated: existing.length,
        errors,
        dryRun: options.dryRun,
        grids: [...perGrid].map(([code, t]) => ({ code, ...t })).sort((a, b) => a.code.localeCompare(b.code)),
      };
      if (errors.length > 0 || options.dryRun) throw new RollBack();
      for (let i = 0; i < placed.length; i += 1000) {
        const batch = placed.slice(i, i + 1000);
        await tx.execute(sql`
          INSERT INTO buildings (code, name, address, floors, households, population, community_code, geom, footprint, grid_id, updated_by, updated_at)
          SELECT e->>'code', e->>'name', e->>'address', (e->>'floors')::smallint, (e->>'households')::int, (e->>'population')::int, e->>'community',
                 ST_GeomFromEWKT(e->>'point'), ST_GeomFromEWKT(e->>'footprint'), (e->>'grid')::int, ${actor}, now()
          FROM jsonb_array_elements(${JSON.stringify(batch.map((p) => ({ code: p.code, name: p.name, address: p.address, floors: p.floors, households: p.households, population: p.population, community: p.communityCode, point: p.point, footprint: p.footprint, grid: p.gridId })))}::jsonb) e
          ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, address = EXCLUDED.address, floors = EXCLUDED.floors, households = EXCLUDED.households, population = EXCLUDED.population,
            community_code = EXCLUDED.community_code, geom = EXCLUDED.geom, footprint = EXCLUDED.footprint, grid_id = EXCLUDED.grid_id, updated_by = EXCLUDED.updated_by, updated_at = now()`);
      }
    });
  } catch (e) {
    if (!(e instanceof RollBack)) throw e;
  }
  const done = report as BuildingImportReport | null;
  if (!done) throw new Error('import report missing');
  if (done.errors.length > 0) throw new BuildingImportRejected(done);
  return done;
}
