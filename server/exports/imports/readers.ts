/**
 * Readers for uploaded grid files: GeoJSON, zipped Shapefile and GeoPackage.
 * Each returns the features in the file's own CRS plus the CRS it declares.
 * Every structural problem becomes an ImportError (a 4xx problem), never a 500.
 * They run in the import worker (parseWorker.ts), within the caps of limits.ts:
 * a zip inflates only the entries read, and vertices are counted as they come.
 */
import Database from 'better-sqlite3';
import type { OutputCrs } from '../crs/projections';
import { resolveCrs } from '../crs/projections';
import { fromWkb } from '../formats/wkb';
import { crsFromEpsg, crsFromGeoJson, crsFromWkt } from './detectCrs';
import { ImportError } from './importError';
import { jsonShape, tooManyVertices, vertexCount, VertexBudget, type ImportLimits } from './limits';
import { readZipEntries, zipDirectory, type ZipEntry } from './zipEntries';

export type ImportFormat = 'geojson' | 'shp' | 'gpkg';

export interface SourceFeature {
  geometry: GeoJSON.Geometry | null;
  properties: Record<string, unknown>;
}

export interface ParsedFile {
  format: ImportFormat;
  crs: OutputCrs;
  /** Where the CRS came from, for the report. */
  crsSource: string;
  features: SourceFeature[];
}

const bad = (detail: string) => new ImportError(400, '文件无法读取', detail);

/** As for every JSON body (server/http/hardening.ts): GeoJSON needs a handful of levels. */
const MAX_JSON_DEPTH = 32;

/** The format from the request parameter, else from the file's first bytes. */
export function sniffFormat(bytes: Uint8Array, declared?: string): ImportFormat {
  if (declared) {
    const f = declared.toLowerCase();
    if (f === 'geojson' || f === 'json') return 'geojson';
    if (f === 'shp' || f === 'zip' || f === 'shapefile') return 'shp';
    if (f === 'gpkg' || f === 'geopackage') return 'gpkg';
    throw new ImportError(400, '请求参数无效', `format 应为 geojson、shp 或 gpkg`, [{ field: 'format', reason: 'format 应为 geojson、shp 或 gpkg' }]);
  }
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return 'shp';
  if (new TextDecoder().decode(bytes.subarray(0, 15)) === 'SQLite format 3') return 'gpkg';
  const head = new TextDecoder()
    .decode(bytes.subarray(0, 64))
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (head.startsWith('{')) return 'geojson';
  throw new ImportError(415, '文件格式不受支持', '无法识别文件格式：请上传 GeoJSON、Shapefile（zip）或 GeoPackage 文件，或用 format 参数指明', [{ field: 'format', reason: '无法识别文件格式' }]);
}

export function readImportFile(bytes: Uint8Array, declared: string | undefined, limits: ImportLimits): ParsedFile {
  const format = sniffFormat(bytes, declared);
  const budget = new VertexBudget(limits.maxVertices);
  if (format === 'geojson') return readGeoJson(bytes, budget);
  if (format === 'shp') return readShapefileZip(bytes, budget, limits.maxUnzippedBytes);
  return readGeoPackage(bytes, budget);
}

function readGeoJson(bytes: Uint8Array, budget: VertexBudget): ParsedFile {
  // Far too many positions, or absurd nesting: refused before JSON.parse builds anything.
  const shape = jsonShape(bytes);
  if (shape.depth > MAX_JSON_DEPTH) throw bad(`GeoJSON 嵌套过深（${shape.depth} 层，最多 ${MAX_JSON_DEPTH} 层）`);
  if (shape.positions > budget.max) throw tooManyVertices(shape.positions, budget.max, true);
  let doc: { type?: string; features?: unknown; crs?: { properties?: { name?: string } }; x_coordinate_system?: unknown };
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, ''));
  } catch {
    throw bad('GeoJSON 不是有效的 UTF-8 JSON');
  }
  if (doc?.type !== 'FeatureCollection' || !Array.isArray(doc.features)) throw bad('GeoJSON 应为 FeatureCollection');
  const features = (doc.features as { geometry?: GeoJSON.Geometry | null; properties?: Record<string, unknown> | null }[]).map((f) => {
    const geometry = f?.geometry ?? null;
    budget.take(vertexCount(geometry));
    return { geometry, properties: f?.properties ?? {} };
  });
  return { format: 'geojson', crs: crsFromGeoJson(doc), crsSource: doc.crs ? 'GeoJSON crs 成员' : doc.x_coordinate_system ? 'GeoJSON x_coordinate_system 成员' : 'GeoJSON 默认（WGS 84）', features };
}

/* ---------- Shapefile ---------- */

/** Only the layer's .shp, .dbf, .prj and .cpg are inflated (the .shx is not needed); other entries are never touched. */
function readShapefileZip(bytes: Uint8Array, budget: VertexBudget, maxUnzippedBytes: number): ParsedFile {
  const byExt = new Map<string, ZipEntry>();
  for (const entry of zipDirectory(bytes)) {
    const m = /([^/\\]+)\.(shp|shx|dbf|prj|cpg)$/i.exec(entry.name);
    if (m && !entry.name.startsWith('__MACOSX') && !entry.name.endsWith('/')) {
      const ext = m[2]!.toLowerCase();
      if (byExt.has(ext)) throw bad(`zip 中有多个 .${ext} 文件：一次只能导入一个图层`);
      byExt.set(ext, entry);
    }
  }
  const shp = byExt.get('shp');
  const dbf = byExt.get('dbf');
  if (!shp) throw bad('zip 中缺少 .shp 文件');
  if (!dbf) throw bad('zip 中缺少 .dbf 文件');
  const prj = byExt.get('prj');
  if (!prj) throw new ImportError(400, '坐标系未知', 'zip 中缺少 .prj 文件，无法确定坐标系', [{ field: 'crs', reason: '缺少 .prj 文件' }]);
  const cpgEntry = byExt.get('cpg');
  const contents = readZipEntries(bytes, [prj, ...(cpgEntry ? [cpgEntry] : []), shp, dbf], maxUnzippedBytes);
  const cpg = cpgEntry ? new TextDecoder().decode(contents.get(cpgEntry)!).trim() : null;
  const geometries = readShp(contents.get(shp)!, budget);
  const records = readDbf(contents.get(dbf)!, cpg);
  if (records.length !== geometries.length) throw bad(`.shp 有 ${geometries.length} 个图形而 .dbf 有 ${records.length} 条记录，文件不一致`);
  return {
    format: 'shp',
    crs: crsFromWkt(new TextDecoder().decode(contents.get(prj)!)),
    crsSource: '.prj 文件',
    features: geometries.map((geometry, i) => ({ geometry, properties: records[i]! })),
  };
}

function readShp(data: Uint8Array, budget: VertexBudget): (GeoJSON.Geometry | null)[] {
  if (data.length < 100) throw bad('.shp 文件不完整');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (view.getInt32(0, false) !== 9994) throw bad('.shp 文件头无效');
  const out: (GeoJSON.Geometry | null)[] = [];
  let at = 100;
  try {
    while (at + 8 <= data.length) {
      const length = view.getInt32(at + 4, false) * 2;
      const c = at + 8;
      const type = view.getInt32(c, true);
      if (type === 0) out.push(null);
      else if (type === 1 || type === 11 || type === 21) budget.take(1), out.push({ type: 'Point', coordinates: [view.getFloat64(c + 4, true), view.getFloat64(c + 12, true)] });
      else if ([3, 5, 13, 15, 23, 25].includes(type)) {
        const numParts = view.getInt32(c + 36, true);
        const numPoints = view.getInt32(c + 40, true);
        budget.take(Math.max(0, numPoints)); // counted before any coordinate is read
        if (numParts < 0 || numPoints < 0 || numParts > numPoints || c + 44 + 4 * numParts + 16 * numPoints > data.length) throw bad('.shp 文件已损坏');
        const starts = Array.from({ length: numParts }, (_, i) => view.getInt32(c + 44 + 4 * i, true));
        const pts = c + 44 + 4 * numParts;
        const parts = starts.map((s, i) => Array.from({ length: (starts[i + 1] ?? numPoints) - s }, (_, k) => [view.getFloat64(pts + 16 * (s + k), true), view.getFloat64(pts + 16 * (s + k) + 8, true)]));
        out.push(type % 10 === 3 ? { type: 'MultiLineString', coordinates: parts } : ringsToMultiPolygon(parts));
      } else throw bad(`.shp 中有不支持的图形类型 ${type}`);
      at = c + length;
    }
  } catch (err) {
    if (err instanceof ImportError) throw err;
    throw bad('.shp 文件已损坏');
  }
  return out;
}

/** Shapefile rings: clockwise = outer ring, counter-clockwise = hole of the preceding outer ring. */
function ringsToMultiPolygon(rings: GeoJSON.Position[][]): GeoJSON.MultiPolygon {
  const polygons: GeoJSON.Position[][][] = [];
  for (const ring of rings) {
    let sum = 0;
    for (let i = 0; i + 1 < ring.length; i++) sum += ((ring[i + 1]![0] as number) - (ring[i]![0] as number)) * ((ring[i + 1]![1] as number) + (ring[i]![1] as number));
    if (sum >= 0 || polygons.length === 0) polygons.push([ring]);
    else polygons[polygons.length - 1]!.push(ring);
  }
  return { type: 'MultiPolygon', coordinates: polygons };
}

/** Text encoding: .cpg if present, else the DBF language driver (0x4D = GBK), else UTF-8 when valid, else GBK. */
function decoderFor(cpg: string | null, ldid: number): (b: Uint8Array) => string {
  const label = cpg ? (/^(utf-?8|65001)$/i.test(cpg) ? 'utf-8' : /^(936|gbk|cp936|gb2312|gb18030)$/i.test(cpg) ? 'gb18030' : cpg) : ldid === 0x4d ? 'gb18030' : null;
  if (label) {
    let d: TextDecoder;
    try {
      d = new TextDecoder(label);
    } catch {
      throw bad(`.cpg 声明了不支持的编码 ${cpg}`);
    }
    return (b) => d.decode(b);
  }
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const gbk = new TextDecoder('gb18030');
  return (b) => {
    try {
      return utf8.decode(b);
    } catch {
      return gbk.decode(b);
    }
  };
}

function readDbf(data: Uint8Array, cpg: string | null): Record<string, unknown>[] {
  if (data.length < 33) throw bad('.dbf 文件不完整');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const count = view.getUint32(4, true);
  const headerLength = view.getUint16(8, true);
  const recordLength = view.getUint16(10, true);
  if (recordLength < 1 && count > 0) throw bad('.dbf 文件已损坏：记录长度无效');
  const decode = decoderFor(cpg, data[29] ?? 0);
  const fields: { name: string; type: string; width: number }[] = [];
  for (let at = 32; at + 32 <= headerLength && data[at] !== 0x0d; at += 32) {
    const raw = data.subarray(at, at + 11);
    const end = raw.indexOf(0);
    fields.push({ name: decode(raw.subarray(0, end < 0 ? 11 : end)).trim(), type: String.fromCharCode(data[at + 11]!), width: data[at + 16]! });
  }
  if (headerLength + count * recordLength > data.length + 1) throw bad('.dbf 文件不完整：记录数与文件长度不符');
  const records: Record<string, unknown>[] = [];
  for (let r = 0; r < count; r++) {
    let at = headerLength + r * recordLength + 1;
    const rec: Record<string, unknown> = {};
    for (const f of fields) {
      const text = decode(data.subarray(at, at + f.width))
        .replace(/\0+$/, '')
        .trim();
      rec[f.name] = text === '' ? null : f.type === 'N' || f.type === 'F' ? Number(text) : f.type === 'L' ? /^[TtYy]/.test(text) : text;
      at += f.width;
    }
    records.push(rec);
  }
  return records;
}

/* ---------- GeoPackage ---------- */

/** Opens the upload as an in-memory SQLite database (a copy of the bytes; nothing touches the disk). */
function readGeoPackage(bytes: Uint8Array, budget: VertexBudget): ParsedFile {
  let db: Database.Database;
  try {
    db = new Database(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    db.pragma('quick_check');
  } catch {
    throw bad('GeoPackage 文件已损坏，无法打开');
  }
  try {
    let rows: { table_name: string; column_name: string; srs_id: number }[];
    try {
      rows = db.prepare('SELECT table_name, column_name, srs_id FROM gpkg_geometry_columns').all() as typeof rows;
    } catch {
      throw bad('不是有效的 GeoPackage：缺少 gpkg_geometry_columns 表');
    }
    if (rows.length === 0) throw bad('GeoPackage 中没有要素图层');
    if (rows.length > 1) throw bad(`GeoPackage 中有 ${rows.length} 个要素图层：一次只能导入一个图层`);
    const { table_name: table, column_name: geomColumn, srs_id: srsId } = rows[0]!;
    const srs = db.prepare('SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?').get(srsId) as
      | { organization: string; organization_coordsys_id: number; definition: string }
      | undefined;
    let crs: OutputCrs;
    if (!srs) throw new ImportError(400, '坐标系未知', `GeoPackage 的 srs_id ${srsId} 没有定义`, [{ field: 'crs', reason: `srs_id ${srsId} 未定义` }]);
    if (String(srs.organization).toUpperCase() === 'EPSG') crs = crsFromEpsg(Number(srs.organization_coordsys_id));
    else if (srsId === 0 || srsId === -1) throw new ImportError(400, '坐标系未知', 'GeoPackage 使用了未定义坐标系（srs_id 0 / -1）', [{ field: 'crs', reason: '未定义坐标系' }]);
    else crs = srs.definition && srs.definition !== 'undefined' ? crsFromWkt(srs.definition) : resolveCrs('4326')!;
    const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
    const features: SourceFeature[] = [];
    for (const row of db.prepare(`SELECT * FROM ${quote(table)}`).iterate() as Iterable<Record<string, unknown>>) {
      const { [geomColumn]: blob, ...properties } = row;
      const geometry = blob ? gpkgBlobToGeometry(blob as Uint8Array) : null;
      budget.take(vertexCount(geometry));
      features.push({ geometry, properties });
    }
    return { format: 'gpkg', crs, crsSource: `GeoPackage srs_id ${srsId}`, features };
  } finally {
    db.close();
  }
}

const ENVELOPE_BYTES = [0, 32, 48, 48, 64];

function gpkgBlobToGeometry(blob: Uint8Array): GeoJSON.Geometry | null {
  if (blob[0] !== 0x47 || blob[1] !== 0x50) throw bad('GeoPackage 几何数据头无效');
  const flags = blob[3]!;
  if (flags & 0x10) return null; // empty geometry
  const envelope = ENVELOPE_BYTES[(flags >> 1) & 0x07];
  if (envelope === undefined) throw bad('GeoPackage 几何数据头无效');
  try {
    return fromWkb(blob, 8 + envelope);
  } catch {
    throw bad('GeoPackage 几何数据已损坏');
  }
}
