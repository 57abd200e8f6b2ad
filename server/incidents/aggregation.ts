/**
 * Server-side aggregation for the map, so the browser never receives a million
 * points: hexbins (PostGIS hexagon layout in EPSG:3857), heatmap cells, a time
 * series for playback, the incidents of one hexagon, and a stable colour domain.
 *
 * Hexagon membership is computed with arithmetic on the stored Web Mercator
 * columns (merc_x/merc_y) — cube rounding of axial coordinates — which gives the
 * same cells as ST_HexagonGrid/ST_Hexagon without a per-row spatial join.
 * Counts, cell lists and the domain all use this one expression, so they agree.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { filterSql, type IncidentFilter } from './filters';
import type { SessionUser } from '../../kernel/roles';
import { readableBy } from './incidentAccess';
import { hexBbox, hexCentre, hexRing, storedHeatZoom, storedHexZoom, toLonLat } from '../../kernel/webMercator';

export type Bucket = 'day' | 'week' | 'month';

/** China keeps one offset all year (no DST): bucket days, weeks and months in Beijing time. */
const LOCAL = sql`interval '8 hours'`;

/**
 * (hi, hj) = the PostGIS hexagon (ST_Hexagon(size, hi, hj)) holding each filtered incident:
 * stored columns at the zooms of STORED_HEX_ZOOMS, computed otherwise.
 * Flat-topped axial coordinates q = ⅔x/s, r = (−⅓x + √3⁄3·y)/s, cube-rounded, then
 * converted to PostGIS's odd-column-up offset rows: hj = r + floor(q/2) (q >> 1 on integers).
 */
export function hexCellsSql(size: number, where: SQL): SQL {
  const zoom = storedHexZoom(size);
  if (zoom !== null) {
    // Cells stored at ingestion for this size (same arithmetic, see migration 0005).
    const [hi, hj] = [sql.raw(`i.hex_z${zoom}_i`), sql.raw(`i.hex_z${zoom}_j`)];
    return sql`SELECT i.id, i.reported_at, ${hi} AS hi, ${hj} AS hj FROM incidents i WHERE ${where}`;
  }
  return computedHexCellsSql(size, where);
}

/** Cells computed per row from merc_x/merc_y, for sizes without stored cells. */
export function computedHexCellsSql(size: number, where: SQL): SQL {
  // Constants folded in JS; each level is fenced with OFFSET 0 so PostgreSQL computes
  // q, r and their roundings once per row instead of inlining them into every use.
  const k1 = 2 / 3 / size;
  const k2 = Math.sqrt(3) / 3 / size;
  const k3 = 1 / 3 / size;
  return sql`
    SELECT h.id, h.reported_at, h.cq AS hi, h.cr + (h.cq >> 1) AS hj FROM (
      SELECT a.id, a.reported_at,
             CASE WHEN a.dx > a.dy AND a.dx > a.dz THEN (-a.ry - a.rz)::int ELSE a.rx::int END AS cq,
             CASE WHEN a.dx > a.dy AND a.dx > a.dz THEN a.rz::int WHEN a.dy > a.dz THEN a.rz::int ELSE (-a.rx - a.ry)::int END AS cr
      FROM (
        SELECT b.id, b.reported_at, b.rx, b.ry, b.rz, abs(b.rx - b.q) AS dx, abs(b.ry + b.q + b.r) AS dy, abs(b.rz - b.r) AS dz
        FROM (
          SELECT p.id, p.reported_at, p.q, p.r, round(p.q) AS rx, round(-p.q - p.r) AS ry, round(p.r) AS rz
          FROM (
            SELECT i.id, i.reported_at, i.merc_x * ${k1}::float8 AS q, i.merc_y * ${k2}::float8 - i.merc_x * ${k3}::float8 AS r
            FROM incidents i WHERE ${where} OFFSET 0
          ) p OFFSET 0
        ) b OFFSET 0
      ) a OFFSET 0
    ) h`;
}

export interface HexCell {
  i: number;
  j: number;
  count: number;
  /** Centre and closed ring in lon/lat, ready for a deck.gl PolygonLayer/ColumnLayer. */
  centre: [number, number];
  polygon: [number, number][];
}

export interface HexbinResult {
  sizeM: number;
  total: number;
  max: number;
  cells: HexCell[];
}

export async function hexbins(db: DbHandle, filter: IncidentFilter, sizeM: number): Promise<HexbinResult> {
  const rows = await db.rows<{ hi: number; hj: number; n: number }>(sql`
    SELECT hi, hj, count(*)::int AS n FROM (${hexCellsSql(sizeM, filterSql(filter))}) h GROUP BY hi, hj ORDER BY hi, hj`);
  let total = 0;
  let max = 0;
  const cells = rows.map((r) => {
    const count = Number(r.n);
    total += count;
    max = Math.max(max, count);
    const [cx, cy] = hexCentre(sizeM, r.hi, r.hj);
    return { i: r.hi, j: r.hj, count, centre: toLonLat(cx, cy), polygon: hexRing(sizeM, r.hi, r.hj) };
  });
  return { sizeM, total, max, cells };
}

export interface HeatPoint {
  position: [number, number];
  weight: number;
}

/**
 * Heatmap cells (cx, cy) with each incident's Web Mercator position: the stored
 * hexagons of zoom + 2 where available (a grouping by two indexed integers), else
 * squares of `cellM` computed per row. Used by the heatmap and its colour domain alike.
 */
export function heatCellsSql(cellM: number, where: SQL): SQL {
  const zoom = storedHeatZoom(cellM);
  const [cx, cy] = zoom !== null ? [sql.raw(`i.hex_z${zoom}_i`), sql.raw(`i.hex_z${zoom}_j`)] : [sql`floor(i.merc_x / ${cellM}::float8)::int`, sql`floor(i.merc_y / ${cellM}::float8)::int`];
  return sql`SELECT ${cx} AS cx, ${cy} AS cy, i.merc_x, i.merc_y, i.reported_at FROM incidents i WHERE ${where}`;
}

/**
 * Heatmap input: incidents aggregated to small cells (about 6 px), one weighted
 * point per cell at the mean position of its incidents. The number of points is
 * bounded by the view, not by the number of incidents.
 */
export interface HeatmapResult {
  cellM: number;
  total: number;
  max: number;
  points: HeatPoint[];
}

export async function heatmap(db: DbHandle, filter: IncidentFilter, cellM: number): Promise<HeatmapResult> {
  const rows = await db.rows<{ lon: number; lat: number; n: number }>(sql`
    SELECT avg(c.merc_x) AS lon, avg(c.merc_y) AS lat, count(*)::int AS n FROM (${heatCellsSql(cellM, filterSql(filter))}) c GROUP BY c.cx, c.cy`);
  let total = 0;
  let max = 0;
  const points = rows.map((r) => {
    const weight = Number(r.n);
    total += weight;
    max = Math.max(max, weight);
    const [lon, lat] = toLonLat(Number(r.lon), Number(r.lat));
    return { position: [Math.round(lon * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6] as [number, number], weight };
  });
  return { cellM, total, max, points };
}

/** Bucket start in Beijing local time as a timestamp without zone. */
function bucketSql(bucket: Bucket, column: SQL): SQL {
  return sql`date_trunc(${bucket}, (${column} + ${LOCAL}) AT TIME ZONE 'UTC')`;
}

export interface TimeBucket {
  /** Start of the bucket, ISO 8601 with +08:00. */
  start: string;
  count: number;
}

/** Counts per day/week/month (Beijing time), zero-filled between the window's ends for smooth playback. */
export interface TimeSeriesResult {
  bucket: Bucket;
  total: number;
  max: number;
  buckets: TimeBucket[];
}

export async function timeSeries(db: DbHandle, filter: IncidentFilter, bucket: Bucket): Promise<TimeSeriesResult> {
  const where = filterSql(filter);
  const lower = filter.from ? sql`${filter.from.toISOString()}::timestamptz` : sql`(SELECT min(i.reported_at) FROM incidents i WHERE ${where})`;
  const upper = filter.to ? sql`${filter.to.toISOString()}::timestamptz - interval '1 microsecond'` : sql`(SELECT max(i.reported_at) FROM incidents i WHERE ${where})`;
  const rows = await db.rows<{ start: string; n: number }>(sql`
    WITH counts AS (
      SELECT ${bucketSql(bucket, sql`i.reported_at`)} AS b, count(*)::int AS n FROM incidents i WHERE ${where} GROUP BY 1
    ), span AS (
      SELECT ${bucketSql(bucket, lower)} AS lo, ${bucketSql(bucket, upper)} AS hi
    )
    SELECT to_char(g.b, 'YYYY-MM-DD"T"HH24:MI:SS') AS start, coalesce(c.n, 0)::int AS n
    FROM span, generate_series(span.lo, span.hi, ${`1 ${bucket}`}::interval) AS g(b)
    LEFT JOIN counts c ON c.b = g.b
    ORDER BY g.b`);
  const buckets = rows.map((r) => ({ start: `${r.start}+08:00`, count: Number(r.n) }));
  return { bucket, total: buckets.reduce((a, b) => a + b.count, 0), max: buckets.reduce((a, b) => Math.max(a, b.count), 0), buckets };
}

export interface ColourDomain {
  layer: 'hexbin' | 'heatmap';
  bucket: Bucket;
  sizeM: number;
  max: number;
  maxPerBucket: number;
}

/**
 * The colour domain for playback: the largest count any one cell reaches in any
 * one frame (`bucket`) of the whole filtered period. Fetched once per filter, it
 * keeps the legend still while frames change.
 */
export async function colourDomain(db: DbHandle, filter: IncidentFilter, layer: 'hexbin' | 'heatmap', sizeM: number, bucket: Bucket): Promise<ColourDomain> {
  const where = filterSql(filter);
  const cells =
    layer === 'hexbin'
      ? sql`SELECT h.hi AS cx, h.hj AS cy, ${bucketSql(bucket, sql`h.reported_at`)} AS b FROM (${hexCellsSql(sizeM, where)}) h`
      : sql`SELECT h.cx, h.cy, ${bucketSql(bucket, sql`h.reported_at`)} AS b FROM (${heatCellsSql(sizeM, where)}) h`;
  const [row] = await db.rows<{ max: number | null; per_bucket: number | null }>(sql`
    WITH c AS (${cells}),
    per_cell AS (SELECT count(*) AS n FROM c GROUP BY cx, cy, b),
    per_bucket AS (SELECT count(*) AS n FROM c GROUP BY b)
    SELECT (SELECT max(n) FROM per_cell)::int AS max, (SELECT max(n) FROM per_bucket)::int AS per_bucket`);
  return { layer, bucket, sizeM, max: Number(row?.max ?? 0), maxPerBucket: Number(row?.per_bucket ?? 0) };
}

export interface IncidentListItem {
  id: number;
  categoryCode: string;
  category: string;
  source: string;
  stage: string;
  escalation: string;
  reporter: string | null;
  description: string | null;
  gridCode: string | null;
  reportedAt: string;
  deadlineAt: string | null;
  closedAt: string | null;
  position: [number, number];
}

interface ListRow {
  id: number;
  category_code: string;
  major: string;
  minor: string;
  source: string;
  stage: string;
  escalation: string;
  reporter: string | null;
  description: string | null;
  grid_code: string | null;
  reported_at: Date | string;
  deadline_at: Date | string | null;
  closed_at: Date | string | null;
  lon: number;
  lat: number;
  total: number;
}

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

/** One page of the incidents in a hexagon. */
export interface CellPage {
  total: number;
  page: number;
  pageSize: number;
  items: IncidentListItem[];
}

/** The incidents of hexagon (i, j), newest first, one page at a time. */
/**
 * The incidents of one hexagon, as records: only those `reader` may read (the loop's read
 * rule), whereas the counts of /hexbins and /heatmap are statistics every reader sees.
 */
export async function hexCellIncidents(db: DbHandle, reader: SessionUser, filter: IncidentFilter, cell: { sizeM: number; i: number; j: number }, page: { page: number; pageSize: number }): Promise<CellPage> {
  // The hexagon's bbox lets the GiST index narrow the scan before the exact test.
  const [w, s, e, n] = hexBbox(cell.sizeM, cell.i, cell.j);
  const where = sql`${filterSql(filter)} AND ${readableBy(reader)} AND i.geom && ST_MakeEnvelope(${w - 1e-7}, ${s - 1e-7}, ${e + 1e-7}, ${n + 1e-7}, 4326)`;
  const rows = await db.rows<ListRow>(sql`
    SELECT i.id, i.category_code, c.major, c.minor, i.source, i.stage, i.escalation, i.reporter, i.description, i.grid_code,
           i.reported_at, i.deadline_at, i.closed_at, ST_X(i.geom) AS lon, ST_Y(i.geom) AS lat, count(*) OVER ()::int AS total
    FROM (${hexCellsSql(cell.sizeM, where)}) h
    JOIN incidents i ON i.id = h.id
    JOIN incident_categories c ON c.code = i.category_code
    WHERE h.hi = ${cell.i} AND h.hj = ${cell.j}
    ORDER BY i.reported_at DESC, i.id DESC
    LIMIT ${page.pageSize} OFFSET ${(page.page - 1) * page.pageSize}`);
  let total = Number(rows[0]?.total ?? 0);
  if (rows.length === 0 && page.page > 1) {
    const [count] = await db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM (${hexCellsSql(cell.sizeM, where)}) h WHERE h.hi = ${cell.i} AND h.hj = ${cell.j}`);
    total = Number(count?.n ?? 0);
  }
  return { total, page: page.page, pageSize: page.pageSize, items: rows.map(listItem) };
}

function listItem(r: ListRow): IncidentListItem {
  return {
    id: Number(r.id),
    categoryCode: r.category_code,
    category: `${r.major}/${r.minor}`,
    source: r.source,
    stage: r.stage,
    escalation: r.escalation,
    reporter: r.reporter,
    description: r.description,
    gridCode: r.grid_code,
    reportedAt: iso(r.reported_at) as string,
    deadlineAt: iso(r.deadline_at),
    closedAt: iso(r.closed_at),
    position: [Number(r.lon), Number(r.lat)],
  };
}

/** Count of incidents matching the filter (the bench baseline and a cross-check). */
export async function countIncidents(db: DbHandle, filter: IncidentFilter): Promise<number> {
  const [row] = await db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM incidents i WHERE ${filterSql(filter)}`);
  return Number(row?.n ?? 0);
}
