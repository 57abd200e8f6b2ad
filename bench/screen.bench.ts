/**
 * Leaders' big screen: time to the first full render in headless Chromium
 * (all panels filled, heatmap loaded, map idle with grid tiles drawn) on the
 * 30,000-grid / 100,000-incident scale sample, against the same page on an empty
 * database (region outline only: no grids, centres, demonstrations or incidents).
 * 15-minute isochrones are not requested (?isochrones=0): computing them is the
 * coverage bench's subject, and the screen does not wait for them.
 * The server runs as server/main.ts does: the city's figures kept warm by the
 * summary refresher. Then GET /api/screen/summary under 50 concurrent connections,
 * answered from the cache, against the same figures computed per request.
 * Needs web/dist (npx vite build) and Chromium.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openDatabase, type DbHandle } from '../db/client';
import { createApp } from '../server/app';
import { computeScreenSummaryReport } from '../server/screen/summary';
import { startSummaryRefresher, summaryComputations } from '../server/screen/summaryCache';
import { serveWeb } from '../server/serveWeb';
import { TEST_ADMIN } from '../server/testing/principals';
import { launchBrowser } from '../web/e2e/browser';
import { loadDataset } from '../data/load';
import { generateSample } from '../data/sample';
import { DEFAULT_SERVER_URL, withDatabase } from './lib/benchDatabase';
import { benchSessionHeaders } from './lib/benchSession';
import { httpLoad } from './lib/httpLoad';
import { describeStats, fmt, measure } from './lib/stats';
import type { BenchSuite } from './lib/suite';

const RUNS = 3;
const GRIDS = 30_000;
const INCIDENTS = 100_000;
const EMPTY_DB = 'dangjian_bench_screen_empty';
const CONNECTIONS = 50;
const SUMMARY_REQUESTS = 5000;

async function startServer(db: DbHandle) {
  const app = createApp(db, { anonymousUser: TEST_ADMIN });
  if (!serveWeb(app)) throw new Error('web/dist missing: run "npx vite build" first');
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((done) => server.once('listening', () => done()));
  const stopRefresher = startSummaryRefresher(db);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      stopRefresher();
      return new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/** A migrated database holding only the city and district outlines of `source`. */
async function emptyDatabase(source: DbHandle): Promise<DbHandle> {
  const serverUrl = process.env.DATABASE_URL ?? DEFAULT_SERVER_URL;
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${EMPTY_DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${EMPTY_DB}`);
  await admin.end();
  const empty = await openDatabase({ databaseUrl: withDatabase(serverUrl, EMPTY_DB), poolSize: 8 });
  const regions = await source.rows<{ code: string; name: string; level: string; parent_code: string | null; geom: string; label: string }>(sql`
    SELECT code, name, level::text AS level, parent_code, ST_AsEWKT(geom) AS geom, ST_AsEWKT(label_point) AS label FROM regions WHERE level IN ('city', 'district')`);
  for (const r of regions) {
    await empty.rows(sql`INSERT INTO regions (code, name, level, parent_code, geom, label_point)
      VALUES (${r.code}, ${r.name}, ${r.level}::region_level, ${r.parent_code}, ST_GeomFromEWKT(${r.geom}), ST_GeomFromEWKT(${r.label}))`);
  }
  await empty.rows(sql`INSERT INTO meta (key, value) VALUES ('dataset', ${JSON.stringify({ label: '空库（基准）', sample: false })}::jsonb)`);
  return empty;
}

/** The scale sample with exactly `incidents` incidents, in its own database (kept between runs). */
async function scaleDatabase(grids: number, incidents: number): Promise<DbHandle> {
  const serverUrl = process.env.DATABASE_URL ?? DEFAULT_SERVER_URL;
  const name = `dangjian_bench_screen_${grids}_${incidents}`;
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  if ((await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount !== 1) await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const handle = await openDatabase({ databaseUrl: withDatabase(serverUrl, name), poolSize: 16 });
  const [row] = await handle.rows<{ value: { options?: { grids: number; incidents: number } } }>(sql`SELECT value FROM meta WHERE key = 'dataset'`);
  if (row?.value.options?.grids !== grids || row.value.options.incidents !== incidents) {
    const t0 = Date.now();
    process.stdout.write(`  preparing ${name}… `);
    await loadDataset(handle, generateSample({ grids, incidents, seed: 450902 }));
    console.log(`${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  return handle;
}

/** Milliseconds from navigation to the first full render, median of RUNS cold page loads. */
async function firstFullRender(db: DbHandle, expectGrids: boolean): Promise<{ median: number; runs: number[] }> {
  const server = await startServer(db);
  const browser = await launchBrowser();
  const runs: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
      const page = await context.newPage();
      const t0 = performance.now();
      await page.goto(`${server.url}/screen?isochrones=0`);
      await page.waitForSelector('body[data-screen-ready="true"]', { timeout: 300_000 });
      if (expectGrids) await page.waitForSelector('body[data-grids-rendered="true"]', { timeout: 300_000 });
      runs.push(performance.now() - t0);
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const sorted = [...runs].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, runs };
}

/**
 * GET /api/screen/summary from CONNECTIONS concurrent keep-alive clients in their own thread
 * (bench/lib/httpLoad.ts), with a signed-in session read on every request as in production.
 */
async function summaryThroughput(db: DbHandle) {
  const server = await startServer(db);
  try {
    const headers = await benchSessionHeaders(db);
    const paths = Array.from({ length: SUMMARY_REQUESTS }, () => '/api/screen/summary');
    // The first answer is computed (or joins the refresher's computation); the rest are measured from the cache.
    const first = await fetch(`${server.url}/api/screen/summary`, { headers });
    if (first.status !== 200) throw new Error(`summary answered ${first.status}`);
    await first.arrayBuffer();
    const computedBefore = summaryComputations(db);
    const stats = await httpLoad(server.url, paths, CONNECTIONS, { headers, warmup: paths.slice(0, 200) });
    return { stats, computations: summaryComputations(db) - computedBefore };
  } finally {
    await server.close();
  }
}

/**
 * The same figures computed for every request (what the route did before the cache). Eight at a time:
 * fifty would wait longer than the pool's connection timeout (each computation runs its queries in parallel).
 */
const UNCACHED_CONCURRENCY = 8;
async function uncachedThroughput(db: DbHandle) {
  return measure(Array.from({ length: 40 }), UNCACHED_CONCURRENCY, () => computeScreenSummaryReport(db, undefined));
}

export const suite: BenchSuite = {
  name: 'screen',
  title: 'Big screen: first full render, 30,000 grids + 100,000 incidents vs an empty database (headless Chromium)',
  async run(ctx) {
    let large = await ctx.openScale(GRIDS, INCIDENTS);
    let own: DbHandle | null = null;
    let [counts] = await large.rows<{ grids: number; incidents: number }>(sql`SELECT (SELECT count(*) FROM grids)::int AS grids, (SELECT count(*) FROM incidents)::int AS incidents`);
    if (counts!.incidents < INCIDENTS) {
      // bench/run.ts caches scale databases by grid count only; another suite opened this size with fewer incidents.
      console.log(`  (the shared ${GRIDS}-grid database holds ${counts!.incidents} incidents; using a separate one with ${INCIDENTS})`);
      own = await scaleDatabase(GRIDS, INCIDENTS);
      large = own;
      [counts] = await large.rows<{ grids: number; incidents: number }>(sql`SELECT (SELECT count(*) FROM grids)::int AS grids, (SELECT count(*) FROM incidents)::int AS incidents`);
    }
    const cached = await summaryThroughput(large);
    console.log(`  /api/screen/summary, ${CONNECTIONS} connections, cached: ${describeStats(cached.stats)}; recomputed ${cached.computations}× (target ≥ 500 /s)`);
    const uncached = await uncachedThroughput(large);
    console.log(`  same figures computed per request, ${UNCACHED_CONCURRENCY} at a time: ${describeStats(uncached)}`);
    const empty = await emptyDatabase(large);
    try {
      const baseline = await firstFullRender(empty, false);
      const loaded = await firstFullRender(large, true);
      console.log(`  empty database:                         ${fmt(baseline.median, 0)} ms (runs ${baseline.runs.map((r) => fmt(r, 0)).join(', ')})`);
      console.log(`  ${counts!.grids} grids, ${counts!.incidents} incidents: ${fmt(loaded.median, 0)} ms (runs ${loaded.runs.map((r) => fmt(r, 0)).join(', ')})`);
      console.log(`  ratio loaded / empty: ${fmt(loaded.median / baseline.median, 2)}× (target ≤ 2×)`);
    } finally {
      await empty.close();
      await own?.close();
    }
  },
};
