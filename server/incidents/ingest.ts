/**
 * Incident ingestion: one incident or a CSV/GeoJSON batch.
 *
 *  1. parse   — CSV (header row; English or Chinese column names) or a GeoJSON
 *               FeatureCollection of Points into raw rows, each with its row number
 *               (CSV: line number in the file, header = line 1; GeoJSON: feature index + 1);
 *  2. validate — per field (category known, source known, time sane, coordinates
 *               numeric), then spatially in SQL: inside the city (regions level city),
 *               inside a grid (ST_Contains on grids) or a known grid code when the
 *               row has no coordinates; grid/community/street assigned from the grid;
 *               A planner's rows must all lie in their jurisdiction, or nothing is written (403);
 *  3. write   — all good rows in ONE transaction (incident + its 信息收集 transition),
 *               so a failure leaves nothing half-imported. Bad rows are reported
 *               row by row (row, field, reason in Chinese) and never written.
 * The 信息收集 transition is signed by the signed-in writer. Its time is the server's
 * clock — except in an admin's import of historical cases, where each row carries its
 * 上报时间 and the history rows (and an audit entry) are marked imported.
 * Progress is reported through a callback after each chunk of each phase.
 */
import { parse as parseCsvSync } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import type { DbHandle, Executor } from '../../db/client';
import type { IncidentSource } from '../../kernel/stages';
import { DomainError } from '../http/domainError';
import { impossibleDate } from '../http/params';
import { actorName, mayWrite, OutsideJurisdiction, type IncidentWriter } from './incidentWriter';

export const MAX_BATCH_ROWS = 200_000;
const CHUNK = 5_000;

/** One row as it came in, before validation. */
export interface RawIncident {
  row: number;
  lon?: unknown;
  lat?: unknown;
  gridCode?: unknown;
  category?: unknown;
  source?: unknown;
  reporter?: unknown;
  reportedAt?: unknown;
  description?: unknown;
}

export interface RowError {
  row: number;
  field: string;
  reason: string;
}

/** A row that passed every check, located and assigned to its grid. */
export interface ValidIncident {
  row: number;
  lon: number;
  lat: number;
  gridCode: string;
  communityCode: string;
  streetCode: string;
  categoryCode: string;
  source: IncidentSource;
  reporter: string | null;
  reportedAt: string;
  description: string | null;
}

export type IngestPhase = 'parse' | 'validate' | 'write' | 'done';
export interface IngestProgress {
  phase: IngestPhase;
  done: number;
  total: number;
}
export type ProgressListener = (progress: IngestProgress) => void;

export interface IngestResult {
  total: number;
  accepted: number;
  rejected: number;
  /** Ids of the written incidents, in row order. */
  ids: number[];
  errors: RowError[];
}

/** The file as a whole cannot be read (not CSV/GeoJSON, no header, too many rows): 400, nothing is checked row by row. */
export class IngestFormatError extends DomainError {
  constructor(reason: string) {
    super(400, '导入文件无效', reason, { errors: [{ field: '(body)', reason }] });
  }
}

// ---------------------------------------------------------------- parse

/** Column names accepted in a CSV header (case-insensitive for the English ones). */
const CSV_COLUMNS: Record<string, keyof Omit<RawIncident, 'row'>> = {
  lon: 'lon',
  lng: 'lon',
  longitude: 'lon',
  经度: 'lon',
  lat: 'lat',
  latitude: 'lat',
  纬度: 'lat',
  grid_code: 'gridCode',
  gridcode: 'gridCode',
  grid: 'gridCode',
  网格编码: 'gridCode',
  category: 'category',
  category_code: 'category',
  categorycode: 'category',
  事件类别: 'category',
  类别: 'category',
  source: 'source',
  来源: 'source',
  reporter: 'reporter',
  上报人: 'reporter',
  reported_at: 'reportedAt',
  reportedat: 'reportedAt',
  time: 'reportedAt',
  上报时间: 'reportedAt',
  description: 'description',
  描述: 'description',
  事件描述: 'description',
};

export function parseCsv(text: string): RawIncident[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsvSync(text, { bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true }) as never;
  } catch (error) {
    throw new IngestFormatError(`CSV 格式错误：${(error as Error).message}`);
  }
  const [header, ...body] = records;
  if (!header) throw new IngestFormatError('CSV 为空：第一行应为表头');
  const columns = header.record.map((name) => CSV_COLUMNS[name.trim().toLowerCase()] ?? CSV_COLUMNS[name.trim()]);
  if (!columns.includes('category')) throw new IngestFormatError('CSV 表头缺少 category（事件类别）列');
  if (!columns.includes('lon') && !columns.includes('gridCode')) throw new IngestFormatError('CSV 表头应有 lon,lat（经纬度）或 grid_code（网格编码）列');
  if (body.length > MAX_BATCH_ROWS) throw new IngestFormatError(`一次最多导入 ${MAX_BATCH_ROWS} 行，本次 ${body.length} 行`);
  return body.map(({ record, info }) => {
    const raw: RawIncident = { row: info.lines };
    record.forEach((value, k) => {
      const key = columns[k];
      if (key && value !== '') raw[key] = value;
    });
    return raw;
  });
}

export function parseGeoJson(value: unknown): RawIncident[] {
  const fc = value as { type?: unknown; features?: unknown };
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) throw new IngestFormatError('GeoJSON 应为 FeatureCollection');
  if (fc.features.length > MAX_BATCH_ROWS) throw new IngestFormatError(`一次最多导入 ${MAX_BATCH_ROWS} 个要素，本次 ${fc.features.length} 个`);
  return fc.features.map((feature: unknown, k: number) => {
    const f = (feature ?? {}) as { geometry?: { type?: unknown; coordinates?: unknown } | null; properties?: Record<string, unknown> | null };
    const p = f.properties ?? {};
    const raw: RawIncident = {
      row: k + 1,
      gridCode: p.gridCode ?? p.grid_code,
      category: p.category ?? p.categoryCode ?? p.category_code,
      source: p.source,
      reporter: p.reporter,
      reportedAt: p.reportedAt ?? p.reported_at,
      description: p.description,
    };
    if (f.geometry) {
      const coords = f.geometry.coordinates;
      if (f.geometry.type === 'Point' && Array.isArray(coords)) [raw.lon, raw.lat] = coords;
      else raw.lon = Symbol.for('not-a-point');
    }
    return raw;
  });
}

// ---------------------------------------------------------------- validate (fields)

export interface CategoryInfo {
  code: string;
  minor: string;
}

const SOURCE_ALIASES: Record<string, IncidentSource> = {
  grid: 'grid',
  网格: 'grid',
  网格员: 'grid',
  网格员上报: 'grid',
  网格事件: 'grid',
  hongsheng: 'hongsheng',
  红绳: 'hongsheng',
  为民红绳: 'hongsheng',
  hotline: 'hotline',
  '12345': 'hotline',
  热线: 'hotline',
  '12345热线': 'hotline',
};

const TIME_FORMAT = '格式无效（应为 ISO 8601，如 2026-05-01T08:30:00+08:00 或 2026-05-01 08:30）';

/**
 * A 上报时间 as a Date, or why not. Local times without a zone are Beijing time.
 * Impossible calendar dates (2026-02-30, 25:00) are refused, never rolled over.
 */
export function readReportedAt(value: string): { date: Date } | { reason: string } {
  const v = value.trim();
  const local = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(v);
  const zoned = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/.exec(v);
  // Only YYYY-MM-DD may come without a time.
  const match = local && (local[4] !== undefined || /^\d{4}-\d{2}-\d{2}$/.test(v)) ? local : zoned;
  if (!match) return { reason: TIME_FORMAT };
  const [y, mo, d, h = '0', mi = '00', s = '00'] = match.slice(1, 7) as [string, string, string, string?, string?, string?];
  const impossible = impossibleDate(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s));
  if (impossible) return { reason: impossible };
  const date = new Date(match === local ? `${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}T${h.padStart(2, '0')}:${mi}:${s}+08:00` : v);
  return Number.isNaN(date.getTime()) ? { reason: TIME_FORMAT } : { date };
}

export function parseReportedAt(value: string): Date | null {
  const read = readReportedAt(value);
  return 'date' in read ? read.date : null;
}

/** Text that went through a wrong decoding somewhere (U+FFFD) is never stored. */
const REPLACEMENT = '\uFFFD';
const MANGLED = '含有无法识别的字符（�），文件或请求的编码可能有误（应为 UTF-8 或 GBK）';

const text = (v: unknown) => (v === undefined || v === null ? '' : String(v).trim());
const number = (v: unknown) => (typeof v === 'number' ? v : text(v) === '' ? NaN : Number(text(v)));

/** Checks that need no database (besides the category list). Location is checked in SQL next. */
export function validateFields(
  raw: RawIncident,
  categories: Map<string, CategoryInfo>,
  now: Date,
  times: ReportTimes,
): { ok: true; row: Omit<ValidIncident, 'gridCode' | 'communityCode' | 'streetCode'> & { gridCode: string | null; hasPoint: boolean } } | { ok: false; errors: RowError[] } {
  const errors: RowError[] = [];
  const fail = (field: string, reason: string) => errors.push({ row: raw.row, field, reason });

  const categoryText = text(raw.category);
  const category = categories.get(categoryText) ?? categories.get(categoryText.toUpperCase());
  if (!categoryText) fail('category', '缺少事件类别');
  else if (!category) fail('category', `未知的事件类别「${categoryText}」（应为 incident_categories 中的编码或小类名称）`);

  const sourceText = text(raw.source);
  const source = SOURCE_ALIASES[sourceText] ?? SOURCE_ALIASES[sourceText.toLowerCase()];
  if (!sourceText) fail('source', '缺少来源');
  else if (!source) fail('source', `未知的来源「${sourceText}」（应为 grid 网格、hongsheng 为民红绳 或 hotline 12345热线）`);

  const timeText = text(raw.reportedAt);
  const read = timeText && times === 'file' ? readReportedAt(timeText) : null;
  const reportedAt = times === 'server' ? now : read && 'date' in read ? read.date : null;
  if (times === 'server') {
    if (timeText) fail('reportedAt', '上报时间由服务器按当前时间记录，不可填写（只有管理员导入历史事件时可带上报时间）');
  } else if (!timeText) fail('reportedAt', '缺少上报时间');
  else if (!reportedAt) fail('reportedAt', `上报时间「${timeText}」${read && 'reason' in read ? read.reason : TIME_FORMAT}`);
  else if (reportedAt.getTime() > now.getTime() + 5 * 60_000) fail('reportedAt', '上报时间不能晚于当前时间');
  else if (reportedAt.getFullYear() < 2000) fail('reportedAt', '上报时间不能早于 2000 年');

  const gridText = text(raw.gridCode);
  if (gridText && !/^\d{15}$/.test(gridText)) fail('gridCode', `网格编码「${gridText}」应为 15 位数字`);

  const hasLon = raw.lon !== undefined && raw.lon !== null && text(raw.lon) !== '';
  const hasLat = raw.lat !== undefined && raw.lat !== null && text(raw.lat) !== '';
  let lon = NaN;
  let lat = NaN;
  if (typeof raw.lon === 'symbol') fail('location', 'GeoJSON 要素的几何应为 Point');
  else if (hasLon || hasLat) {
    lon = number(raw.lon);
    lat = number(raw.lat);
    if (!hasLon) fail('lon', '有纬度但缺少经度');
    else if (!Number.isFinite(lon) || lon < -180 || lon > 180) fail('lon', `经度「${text(raw.lon)}」应为 -180~180 的数字`);
    if (!hasLat) fail('lat', '有经度但缺少纬度');
    else if (!Number.isFinite(lat) || lat < -90 || lat > 90) fail('lat', `纬度「${text(raw.lat)}」应为 -90~90 的数字`);
  } else if (!gridText) fail('location', '缺少位置：请填写经纬度或网格编码');

  const reporter = text(raw.reporter);
  if (reporter.length > 50) fail('reporter', '上报人不超过 50 个字');
  else if (reporter.includes(REPLACEMENT)) fail('reporter', `上报人${MANGLED}`);
  const description = text(raw.description);
  if (description.length > 2000) fail('description', '事件描述不超过 2000 个字');
  else if (description.includes(REPLACEMENT)) fail('description', `事件描述${MANGLED}`);

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    row: {
      row: raw.row,
      lon,
      lat,
      hasPoint: hasLon && hasLat,
      gridCode: gridText || null,
      categoryCode: (category as CategoryInfo).code,
      source: source as IncidentSource,
      reporter: reporter || null,
      reportedAt: (reportedAt as Date).toISOString(),
      description: description || null,
    },
  };
}

export async function loadCategories(db: DbHandle): Promise<Map<string, CategoryInfo>> {
  const rows = await db.rows<{ code: string; minor: string }>(sql`SELECT code, minor FROM incident_categories`);
  const map = new Map<string, CategoryInfo>();
  for (const r of rows) {
    map.set(r.code, r);
    map.set(r.minor, r);
  }
  return map;
}

// ---------------------------------------------------------------- validate (location)

interface LocatedRow {
  row: number;
  in_city: boolean;
  grid_code: string | null;
  community_code: string | null;
  street_code: string | null;
  given_known: boolean;
  lon: number | null;
  lat: number | null;
}

/**
 * One query per chunk: is each point inside the city, which grid contains it
 * (ST_Contains), does a given grid code exist; rows with only a grid code are
 * placed at that grid's label point.
 */
async function locate(db: DbHandle, rows: { row: number; lon: number | null; lat: number | null; gridCode: string | null }[]): Promise<Map<number, LocatedRow>> {
  const located = await db.rows<LocatedRow>(sql`
    WITH input AS (
      SELECT r.row, r.grid_code AS given,
             CASE WHEN r.lon IS NOT NULL THEN ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326) END AS pt
      FROM jsonb_to_recordset(${JSON.stringify(rows.map((r) => ({ row: r.row, lon: r.lon, lat: r.lat, grid_code: r.gridCode })))}::jsonb)
           AS r("row" int, lon float8, lat float8, grid_code text)
    )
    SELECT i.row,
           (i.pt IS NULL OR EXISTS (SELECT 1 FROM regions c WHERE c.level = 'city' AND ST_Contains(c.geom, i.pt))) AS in_city,
           coalesce(g.code, k.code) AS grid_code,
           coalesce(g.community_code, k.community_code) AS community_code,
           coalesce(g.street_code, k.street_code) AS street_code,
           (k.code IS NOT NULL) AS given_known,
           ST_X(coalesce(i.pt, k.place)) AS lon, ST_Y(coalesce(i.pt, k.place)) AS lat
    FROM input i
    LEFT JOIN LATERAL (
      SELECT code, community_code, street_code FROM grids WHERE i.pt IS NOT NULL AND ST_Contains(geom, i.pt) ORDER BY code LIMIT 1
    ) g ON true
    LEFT JOIN LATERAL (
      SELECT code, community_code, street_code, coalesce(label_point, ST_PointOnSurface(geom)) AS place FROM grids WHERE code = i.given
    ) k ON true`);
  return new Map(located.map((r) => [Number(r.row), r]));
}

// ---------------------------------------------------------------- pipeline

/**
 * Where 上报时间 comes from: 'file' — an admin's import of historical cases, each row
 * carries its own and the history is marked imported; 'server' — a report or a
 * planner's batch, the server's clock, and a row that carries one is refused.
 */
export type ReportTimes = 'file' | 'server';

export interface IngestOptions {
  /** The signed-in user: signs the 信息收集 transitions; a planner's rows must lie in their jurisdiction. */
  writer: IncidentWriter;
  times: ReportTimes;
  now?: Date;
  onProgress?: ProgressListener;
  /** The encoding the file was read in, recorded with an import. */
  encoding?: string;
}

/** The rows of a batch after every check, ready to be written. */
export interface CheckedBatch {
  total: number;
  valid: ValidIncident[];
  errors: RowError[];
}

/**
 * Phases parse and validate: every row checked by field and located; throws
 * OutsideJurisdiction (403) when a planner's batch has a row outside their jurisdiction.
 */
export async function checkRows(db: DbHandle, rows: RawIncident[], options: IngestOptions): Promise<CheckedBatch> {
  const now = options.now ?? new Date();
  const progress = options.onProgress ?? (() => {});
  const total = rows.length;
  const errors: RowError[] = [];
  const categories = await loadCategories(db);
  progress({ phase: 'parse', done: total, total });

  const valid: ValidIncident[] = [];
  for (let start = 0; start < rows.length; start += CHUNK) {
    const checked = rows.slice(start, start + CHUNK).map((raw) => validateFields(raw, categories, now, options.times));
    const passed = checked.flatMap((c) => {
      if (c.ok) return [c.row];
      errors.push(...c.errors);
      return [];
    });
    const located =
      passed.length > 0
        ? await locate(
            db,
            passed.map((r) => ({ row: r.row, lon: r.hasPoint ? r.lon : null, lat: r.hasPoint ? r.lat : null, gridCode: r.gridCode })),
          )
        : new Map();
    for (const r of passed) {
      const loc = located.get(r.row) as LocatedRow;
      const fail = (field: string, reason: string) => errors.push({ row: r.row, field, reason });
      if (r.hasPoint && !loc.in_city) fail('location', `位置（${r.lon}, ${r.lat}）不在本市范围内`);
      else if (r.gridCode && !loc.given_known) fail('gridCode', `网格编码「${r.gridCode}」不存在`);
      else if (!loc.grid_code) fail('location', `位置（${r.lon}, ${r.lat}）不在任何网格内`);
      else if (r.hasPoint && r.gridCode && loc.grid_code !== r.gridCode) fail('gridCode', `坐标位于网格 ${loc.grid_code}，与填写的网格编码 ${r.gridCode} 不一致`);
      else
        valid.push({
          row: r.row,
          lon: Number(loc.lon),
          lat: Number(loc.lat),
          gridCode: loc.grid_code,
          communityCode: loc.community_code as string,
          streetCode: loc.street_code as string,
          categoryCode: r.categoryCode,
          source: r.source,
          reporter: r.reporter,
          reportedAt: r.reportedAt,
          description: r.description,
        });
    }
    progress({ phase: 'validate', done: Math.min(total, start + CHUNK), total });
  }
  errors.sort((a, b) => a.row - b.row);
  const outside = valid.filter((r) => !mayWrite(options.writer, r));
  if (outside.length > 0) throw new OutsideJurisdiction(options.writer, outside);
  return { total, valid, errors };
}

/** Phases write and done: the checked rows in one transaction. */
export async function writeChecked(db: DbHandle, checked: CheckedBatch, options: IngestOptions): Promise<IngestResult> {
  const { total, valid, errors } = checked;
  const progress = options.onProgress ?? (() => {});
  const ids = await writeIncidents(db, valid, { writer: options.writer, imported: options.times === 'file', encoding: options.encoding }, (done) => progress({ phase: 'write', done, total: valid.length }));
  progress({ phase: 'done', done: total, total });
  return { total, accepted: ids.length, rejected: new Set(errors.map((e) => e.row)).size, ids, errors };
}

/** Validates every row, then writes the good ones in one transaction. */
export async function ingest(db: DbHandle, rows: RawIncident[], options: IngestOptions): Promise<IngestResult> {
  return writeChecked(db, await checkRows(db, rows, options), options);
}

/**
 * All rows in one transaction, chunk by chunk: each chunk is one INSERT … SELECT
 * over jsonb_to_recordset that also records the 信息收集 transition (action `report`),
 * signed by the writer; a report of the writer's own (not an import of historical
 * cases) also records the writer as its reporter account (reporter_user_id). The deadline is the report time plus the category's deadline_hours. An
 * import of historical cases marks its transitions imported and adds an audit entry
 * (action import) saying so, in the same transaction.
 */
export async function writeIncidents(
  db: DbHandle,
  rows: ValidIncident[],
  by: {
    writer: IncidentWriter;
    imported: boolean;
    encoding?: string;
    afterWrite?: (tx: Parameters<Parameters<DbHandle['db']['transaction']>[0]>[0], ids: number[]) => Promise<void>;
    /** More writes that belong to the same transaction (e.g. the hotline's case number), given the new ids. */
    inTransaction?: (tx: Executor, ids: number[]) => Promise<void>;
  },
  onChunk: (done: number) => void = () => {},
): Promise<number[]> {
  if (rows.length === 0) return [];
  const actor = actorName(by.writer);
  return db.db.transaction(async (tx) => {
    const ids: number[] = [];
    for (let start = 0; start < rows.length; start += CHUNK) {
      const chunk = rows.slice(start, start + CHUNK).map((r, k) => ({ ord: start + k, ...r }));
      const result = (await tx.execute(sql`
        WITH input AS (
          SELECT * FROM jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) AS r(
            ord int, lon float8, lat float8, "gridCode" text, "communityCode" text, "streetCode" text,
            "categoryCode" text, source text, reporter text, "reportedAt" timestamptz, description text)
        ), ins AS (
          INSERT INTO incidents (category_code, source, reporter, reporter_user_id, description, geom, grid_code, community_code, street_code, stage, reported_at, deadline_at)
          SELECT r."categoryCode", r.source, r.reporter, ${by.imported ? null : by.writer.id}::int, r.description, ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326),
                 r."gridCode", r."communityCode", r."streetCode", 'collect', r."reportedAt",
                 r."reportedAt" + make_interval(hours => c.deadline_hours)
          FROM input r JOIN incident_categories c ON c.code = r."categoryCode"
          ORDER BY r.ord
          RETURNING id, reporter, reported_at
        ), history AS (
          INSERT INTO incident_transitions (incident_id, from_stage, to_stage, actor, actor_username, actor_user_id, at, note, action, imported)
          SELECT id, NULL, 'collect', ${actor}, ${by.writer.username}, ${by.writer.id}::int, reported_at, '上报', 'report', ${by.imported} FROM ins
        )
        SELECT id FROM ins ORDER BY id`)) as unknown as { rows: { id: number }[] };
      if (result.rows.length !== chunk.length) throw new Error(`写入行数不符：应为 ${chunk.length}，实为 ${result.rows.length}`);
      ids.push(...result.rows.map((r) => Number(r.id)));
      onChunk(Math.min(rows.length, start + CHUNK));
    }
    if (by.imported) {
      const times = rows.map((r) => r.reportedAt).sort();
      const detail = { imported: true, accepted: ids.length, firstId: ids[0], lastId: ids.at(-1), reportedFrom: times[0], reportedTo: times.at(-1), encoding: by.encoding };
      await tx.execute(sql`INSERT INTO audit_log (actor, action, entity, detail) VALUES (${by.writer.username}, 'import', 'incidents', ${JSON.stringify(detail)}::jsonb)`);
    }
    // A further write of the same transaction (a report closed on the spot).
    if (by.afterWrite) await by.afterWrite(tx, ids);
    if (by.inTransaction) await by.inTransaction(tx, ids);
    return ids;
  });
}
