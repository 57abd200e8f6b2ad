/**
 * Incidents at scale on real PostGIS: 1,000,000 incidents over 12 months.
 *
 *  - map aggregation for the city view (hexbins, heatmap, weekly series, playback
 *    colour domain) vs the floor for the same filter: a plain count(*);
 *  - ingestion rate (rows/s) of the full pipeline (field checks, ST_Contains grid
 *    assignment, one transaction) vs a raw multi-row INSERT of the same rows.
 *
 * The million rows live in schema `bench_incidents` of the scale database, built
 * once with generate_series (≈1 min) and reused; a second pool puts that schema
 * first on its search_path, so the very same queries run against it and the
 * sample's own incidents (public.incidents) stay untouched.
 */
import { sql } from 'drizzle-orm';
import { openDatabase, type DbHandle } from '../db/client';
import { createApp } from '../server/app';
import { TEST_ADMIN } from '../server/testing/principals';
import { colourDomain, countIncidents, heatmap, hexbins, timeSeries } from '../server/incidents/aggregation';
import type { IncidentFilter } from '../server/incidents/filters';
import { ingest, type RawIncident } from '../server/incidents/ingest';
import { heatCellForZoom, hexSizeForZoom } from '../kernel/webMercator';
import { DEFAULT_SERVER_URL, withDatabase } from './lib/benchDatabase';
import { fmt, measure, type RunStats } from './lib/stats';
import type { BenchSuite } from './lib/suite';
import { viewArea } from '../web/src/features/incidents/incidentFilter';

const TARGET = 1_000_000;
const SCHEMA = 'bench_incidents';
/** The whole of 玉林市 on one screen. */
const CITY_ZOOM = 10;
/** A street-level view, deeper than the zooms with stored cells. */
const STREET_ZOOM = 14;
const ROUNDS = 10;
const INGEST_ROWS = 20_000;

/** Creates (or reuses) SCHEMA.incidents with TARGET rows, indexed like the public table. */
async function prepare(db: DbHandle): Promise<void> {
  await load(db);
  // Indexes as the migrations define them on public.incidents (added to an existing copy too).
  const missing = await db.rows<{ indexdef: string }>(sql`
    SELECT p.indexdef FROM pg_indexes p
    WHERE p.schemaname = 'public' AND p.tablename = 'incidents' AND p.indexname <> 'incidents_pkey'
      AND NOT EXISTS (SELECT 1 FROM pg_indexes b WHERE b.schemaname = ${SCHEMA} AND b.indexname = p.indexname)`);
  for (const { indexdef } of missing) await db.db.execute(sql.raw(indexdef.replace(' ON public.incidents ', ` ON ${SCHEMA}.incidents `)));
  if (missing.length > 0) await db.db.execute(sql.raw(`VACUUM ANALYZE ${SCHEMA}.incidents`));
}

async function load(db: DbHandle): Promise<void> {
  await db.db.execute(sql.raw(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`));
  const [state] = await db.rows<{ same_columns: boolean; n: number | null }>(sql`
    SELECT (SELECT array_agg(column_name::text ORDER BY column_name) FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'incidents')
         = (SELECT array_agg(column_name::text ORDER BY column_name) FROM information_schema.columns WHERE table_schema = ${SCHEMA} AND table_name = 'incidents') AS same_columns,
           (SELECT reltuples::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ${SCHEMA} AND c.relname = 'incidents') AS n`);
  if (state?.same_columns && Number(state.n) >= TARGET * 0.99) {
    const [exact] = await db.rows<{ n: number }>(sql.raw(`SELECT count(*)::int AS n FROM ${SCHEMA}.incidents`));
    if (Number(exact!.n) === TARGET) return;
  }
  const t0 = performance.now();
  process.stdout.write(`  preparing ${TARGET.toLocaleString()} incidents in ${SCHEMA}… `);
  await db.db.execute(sql.raw(`DROP TABLE IF EXISTS ${SCHEMA}.incidents, ${SCHEMA}.incident_transitions`));
  await db.db.execute(sql.raw(`DROP SEQUENCE IF EXISTS ${SCHEMA}.incidents_id_seq`));
  // Same columns, defaults, generated columns and checks; indexes are built after the load (faster), in prepare().
  await db.db.execute(sql.raw(`CREATE TABLE ${SCHEMA}.incidents (LIKE public.incidents INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING CONSTRAINTS)`));
  await db.db.execute(sql.raw(`CREATE TABLE ${SCHEMA}.incident_transitions (LIKE public.incident_transitions INCLUDING ALL)`));
  // The same row triggers (stored hexagon cells), so loaded and ingested rows are complete.
  const triggers = await db.rows<{ def: string }>(sql`
    SELECT pg_get_triggerdef(t.oid) AS def FROM pg_trigger t WHERE t.tgrelid = 'public.incidents'::regclass AND NOT t.tgisinternal`);
  for (const { def } of triggers) await db.db.execute(sql.raw(def.replace(' ON public.incidents ', ` ON ${SCHEMA}.incidents `)));
  await db.db.execute(sql.raw(`SELECT setseed(0.450902)`));
  // Households-weighted would be nicer; uniform over grids with a seasonal wave is enough for load.
  await db.db.execute(
    sql.raw(`
    INSERT INTO ${SCHEMA}.incidents (id, category_code, source, reporter, description, geom, grid_code, community_code, street_code,
                                     stage, escalation, reported_at, deadline_at, closed_at, rework_count, extended)
    WITH g AS (SELECT row_number() OVER (ORDER BY code) AS k, code, community_code, street_code, ST_X(label_point) AS x, ST_Y(label_point) AS y FROM public.grids),
         gc AS (SELECT count(*) AS n FROM g),
         cats AS (SELECT row_number() OVER (ORDER BY code) AS k, code, CASE WHEN deadline_unit = 'days' THEN deadline_amount * 24 ELSE deadline_amount END AS deadline_hours FROM public.incident_categories),
         cc AS (SELECT count(*) AS n FROM cats),
         draws AS (
           SELECT s AS id, 1 + floor(random() * (SELECT n FROM gc))::int AS gk, 1 + floor(random() * (SELECT n FROM cc))::int AS ck,
                  random() AS r_source, random() AS r_stage, random() AS r_esc,
                  (random() - 0.5) * 0.004 AS dx, (random() - 0.5) * 0.004 AS dy,
                  timestamptz '2025-11-20 16:00:00+08' + (365 * (s::float8 / ${TARGET} + 0.03 * sin(s::float8 / 7919))) * interval '1 day' AS t
           FROM generate_series(1, ${TARGET}) AS s)
    SELECT d.id, c.code,
           CASE WHEN d.r_source < 0.6 THEN 'grid' WHEN d.r_source < 0.75 THEN 'hongsheng' ELSE 'hotline' END,
           'bench', 'bench', ST_SetSRID(ST_MakePoint(g.x + d.dx, g.y + d.dy), 4326), g.code, g.community_code, g.street_code,
           (CASE WHEN d.r_stage < 0.9 THEN 'evaluate' WHEN d.r_stage < 0.95 THEN 'close' ELSE 'handle' END)::incident_stage,
           (CASE WHEN d.r_esc < 0.72 THEN 'grid' WHEN d.r_esc < 0.9 THEN 'community' WHEN d.r_esc < 0.98 THEN 'street' ELSE 'department' END)::escalation_level,
           d.t, d.t + make_interval(hours => c.deadline_hours),
           CASE WHEN d.r_stage < 0.95 THEN d.t + make_interval(hours => (c.deadline_hours * (0.2 + d.r_esc))::int) END,
           CASE WHEN d.r_stage > 0.94 THEN 1 ELSE 0 END, d.r_esc > 0.96
    FROM draws d JOIN g ON g.k = d.gk JOIN cats c ON c.k = d.ck`),
  );
  await db.db.execute(sql.raw(`ALTER TABLE ${SCHEMA}.incidents ADD PRIMARY KEY (id)`));
  // Own id sequence: the copied default would draw from public.incidents_id_seq and collide with 1..TARGET.
  await db.db.execute(sql.raw(`CREATE SEQUENCE IF NOT EXISTS ${SCHEMA}.incidents_id_seq`));
  await db.db.execute(sql.raw(`SELECT setval('${SCHEMA}.incidents_id_seq', ${TARGET})`));
  await db.db.execute(sql.raw(`ALTER TABLE ${SCHEMA}.incidents ALTER COLUMN id SET DEFAULT nextval('${SCHEMA}.incidents_id_seq')`));
  await db.db.execute(sql.raw(`VACUUM ANALYZE ${SCHEMA}.incidents`));
  console.log(`${fmt((performance.now() - t0) / 1000)} s`);
}

const p50 = (s: RunStats) => `p50 ${fmt(s.p50)} ms, p95 ${fmt(s.p95)} ms`;
const rounds = <T>(value: T) => Array.from({ length: ROUNDS }, () => value);

async function benchAggregation(db: DbHandle): Promise<void> {
  const app = createApp(db, { anonymousUser: TEST_ADMIN });
  const year: IncidentFilter = {};
  const quarter: IncidentFilter = { source: ['grid', 'hotline'], from: new Date('2026-06-01T00:00:00+08:00'), to: new Date('2026-09-01T00:00:00+08:00') };
  const hexSize = hexSizeForZoom(CITY_ZOOM);
  const heatCell = heatCellForZoom(CITY_ZOOM);
  const total = await countIncidents(db, year);
  console.log(`  ${total.toLocaleString()} incidents; city view z${CITY_ZOOM}: hexagon ${fmt(hexSize, 0)} m, heat cell ${fmt(heatCell, 0)} m; ${ROUNDS} rounds each, sequential`);

  // A street-level view (z14, 1920×1080 around the city centre): deeper than the stored
  // cells, so the client sends its padded, snapped view and cells are computed per row.
  const streetView = viewArea(STREET_ZOOM, [110.155 - 0.0824, 22.64 - 0.038, 110.155 + 0.0824, 22.64 + 0.038]).bbox!;
  const street: IncidentFilter = { bbox: streetView.split(',').map(Number) as [number, number, number, number] };
  for (const [label, filter, query, zoom] of [
    ['12 months, no filter', year, '', CITY_ZOOM],
    ['3 months, 2 sources ', quarter, `&source=grid,hotline&from=2026-06-01T00:00:00%2B08:00&to=2026-09-01T00:00:00%2B08:00`, CITY_ZOOM],
    ['12 months, z14 view ', street, `&bbox=${streetView}`, STREET_ZOOM],
  ] as const) {
    await countIncidents(db, filter); // warm the cache for both sides
    const baseline = await measure(rounds(0), 1, () => countIncidents(db, filter));
    const hex = await measure(rounds(0), 1, () => hexbins(db, filter, hexSizeForZoom(zoom)));
    const http = await measure(rounds(0), 1, async () => {
      const res = await app.request(`/api/incidents/hexbins?zoom=${zoom}${query}`);
      if (!res.ok) throw new Error(`hexbins: ${res.status}`);
      await res.json();
    });
    const heat = await measure(rounds(0), 1, () => heatmap(db, filter, heatCellForZoom(zoom)));
    const cells = (await hexbins(db, filter, hexSizeForZoom(zoom))).cells.length;
    console.log(`  [${label}] baseline count(*)     : ${p50(baseline)}`);
    console.log(`  [${label}] hexbins (SQL)         : ${p50(hex)}  → ${cells} cells, ${fmt(hex.p50 / baseline.p50, 2)}× count(*)`);
    console.log(`  [${label}] GET /hexbins (HTTP)   : ${p50(http)}  → ${fmt(http.p50 / baseline.p50, 2)}× count(*), target < 300 ms: ${http.p50 < 300 ? 'met' : 'MISSED'}`);
    console.log(`  [${label}] heatmap (SQL)         : ${p50(heat)}  → ${fmt(heat.p50 / baseline.p50, 2)}× count(*)`);
  }
  const series = await measure(rounds(0), 1, () => timeSeries(db, year, 'week'));
  console.log(`  time series (52 weeks)                : ${p50(series)}`);
  const domain = await measure([0, 0, 0], 1, () => colourDomain(db, year, 'hexbin', hexSize, 'week'));
  console.log(`  playback colour domain (hex × week)   : ${p50(domain)} (once per filter change)`);
}

async function benchIngest(db: DbHandle): Promise<void> {
  const grids = await db.rows<{ code: string; x: number; y: number }>(sql`SELECT code, ST_X(label_point) AS x, ST_Y(label_point) AS y FROM grids ORDER BY code`);
  const rows: RawIncident[] = Array.from({ length: INGEST_ROWS }, (_, k) => {
    const g = grids[(k * 7919) % grids.length]!;
    return { row: k + 2, lon: Number(g.x), lat: Number(g.y), category: 'SR01', source: 'grid', reporter: 'bench-ingest', reportedAt: '2026-06-01 08:00', description: `bench-ingest ${k}` };
  });
  const cleanup = () => db.db.execute(sql`DELETE FROM incidents WHERE reporter LIKE 'bench-ingest%'`);
  await cleanup();

  const t0 = performance.now();
  const result = await ingest(db, rows, { writer: TEST_ADMIN, times: 'file' });
  const pipelineSeconds = (performance.now() - t0) / 1000;
  if (result.accepted !== INGEST_ROWS) throw new Error(`ingest accepted ${result.accepted} of ${INGEST_ROWS}: ${JSON.stringify(result.errors.slice(0, 3))}`);
  await cleanup();

  // Baseline: the same rows as raw multi-row INSERTs (1000 per statement), no validation, no grid lookup, no history.
  const t1 = performance.now();
  await db.db.transaction(async (tx) => {
    for (let start = 0; start < rows.length; start += 1000) {
      const values = rows
        .slice(start, start + 1000)
        .map((r) => sql`('SR01', 'grid', 'bench-ingest-raw', ${r.description as string}, ST_SetSRID(ST_MakePoint(${r.lon as number}, ${r.lat as number}), 4326), '2026-06-01T00:00:00Z'::timestamptz)`);
      await tx.execute(sql`INSERT INTO incidents (category_code, source, reporter, description, geom, reported_at) VALUES ${sql.join(values, sql`, `)}`);
    }
  });
  const rawSeconds = (performance.now() - t1) / 1000;
  await cleanup();
  const pipelineRate = INGEST_ROWS / pipelineSeconds;
  const rawRate = INGEST_ROWS / rawSeconds;
  console.log(`  ingest ${INGEST_ROWS.toLocaleString()} rows into a ${TARGET.toLocaleString()}-row table:`);
  console.log(`    raw multi-row INSERT (baseline)     : ${fmt(rawRate, 0)} rows/s (${fmt(rawSeconds, 2)} s)`);
  console.log(`    validate + locate + write (1 tx)    : ${fmt(pipelineRate, 0)} rows/s (${fmt(pipelineSeconds, 2)} s) → ${fmt(pipelineRate / rawRate, 2)}× the raw rate`);
}

export const suite: BenchSuite = {
  name: 'incidents',
  title: '1M incidents: hexbin/heatmap aggregation vs count(*), ingestion vs raw INSERT (PostGIS)',
  run: async ({ db, grids }) => {
    await prepare(db);
    const url = withDatabase(process.env.DATABASE_URL ?? DEFAULT_SERVER_URL, `dangjian_bench_${grids}`);
    const scoped = await openDatabase({ databaseUrl: `${url}?options=${encodeURIComponent(`-c search_path=${SCHEMA},public`)}`, poolSize: 4 });
    try {
      const [check] = await scoped.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM incidents`);
      if (Number(check!.n) !== TARGET) throw new Error(`search_path did not select ${SCHEMA}.incidents (${check!.n} rows)`);
      await benchAggregation(scoped);
      await benchIngest(scoped);
    } finally {
      await scoped.close();
    }
  },
};
