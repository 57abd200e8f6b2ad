/**
 * Tile serving on real PostGIS: the HTTP endpoint without its cache vs the same ST_AsMVT
 * SQL run directly on a pg pool (the floor the server can reach), same tiles, same
 * concurrency; then the endpoint with its tile cache warm (vs uncached), and the largest
 * grid tile per zoom over the whole dataset (generalised areas below z13, grids above).
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../db/client';
import { createApp } from '../server/app';
import { ensureAreas } from '../server/grids/gridWrites';
import { TILE_SETS } from '../server/tiles/layers';
import { followingCache } from '../server/tiles/tileCache';
import { tileContextOf } from '../server/tiles/generalise';
import { postgisTileQuery } from '../server/tiles/renderTile';
import { tileForLonLat } from '../kernel/webMercator';
import { benchSessionHeaders } from './lib/benchSession';
import { httpLoad } from './lib/httpLoad';
import { describeStats, fmt, measure, type RunStats } from './lib/stats';
import type { BenchSuite } from './lib/suite';

export interface TileBenchResult {
  tiles: number;
  direct: ReturnType<typeof describeStats>;
  server: ReturnType<typeof describeStats>;
  ratio: number;
  cached: ReturnType<typeof describeStats>;
  cachedRatio: number;
}

type Tile = { z: number; x: number; y: number };

/** Rounds as one run: throughput over all of them; latency percentiles the median round's. */
function combined(rounds: RunStats[]): RunStats {
  const count = rounds.reduce((n, r) => n + r.count, 0);
  const seconds = rounds.reduce((n, r) => n + r.seconds, 0);
  const median = (pick: (r: RunStats) => number) => rounds.map(pick).sort((a, b) => a - b)[Math.floor(rounds.length / 2)] as number;
  return { count, seconds, perSecond: count / seconds, p50: median((r) => r.p50), p95: median((r) => r.p95), p99: median((r) => r.p99) };
}
const tilePath = (t: Tile) => `/tiles/grids/${t.z}/${t.x}/${t.y}.mvt`;

/** The app as production runs it (sessions checked per request), on a port; tiles fetched from another thread. */
async function serveApp(db: DbHandle, tileCache: ReturnType<typeof followingCache> | null, concurrency: number) {
  const app = createApp(db, { tileCache });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((done) => server.once('listening', () => done()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const headers = await benchSessionHeaders(db);
  return {
    load: (tiles: readonly Tile[], warmup: readonly Tile[] = []) => httpLoad(base, tiles.map(tilePath), concurrency, { headers, warmup: warmup.map(tilePath) }),
    close: () => server.close(),
  };
}

/**
 * The largest tile per zoom of a tile set over the whole dataset (every tile to z15, the core at z16):
 * the grid set (base grids, generalised areas, 微网格 from their zoom on), and the sets of the other
 * levels (专属网格, foreign networks) over the extent of their own tables.
 */
async function largestTiles(db: DbHandle, concurrency: number, set: 'grids' | 'exclusive' | 'foreign' = 'grids'): Promise<void> {
  const table = { grids: 'grids', exclusive: 'sub_grids', foreign: 'foreign_grids' }[set];
  const [box] = await db.rows<{ w: number | null; s: number; e: number; n: number }>(sql`
    SELECT ST_XMin(e) AS w, ST_YMin(e) AS s, ST_XMax(e) AS e, ST_YMax(e) AS n FROM (SELECT ST_Extent(geom)::geometry AS e FROM ${sql.raw(table)}) x`);
  if (box?.w == null) return;
  const parts: string[] = [];
  for (let z = set === 'grids' ? 8 : 11; z <= 16; z++) {
    const nw = tileForLonLat(z, Number(box!.w), Number(box!.n));
    const se = tileForLonLat(z, Number(box!.e), Number(box!.s));
    const tiles: { x: number; y: number }[] = [];
    for (let x = nw.x; x <= se.x; x++) for (let y = nw.y; y <= se.y; y++) tiles.push({ x, y });
    const sample = z <= 15 ? tiles : (await benchTiles(db, [[16, 8]])).map(({ x, y }) => ({ x, y }));
    let max = 0;
    let at = '';
    await measure(sample, concurrency, async (t) => {
      const [row] = await db.rows<{ mvt: Uint8Array }>(postgisTileQuery(TILE_SETS[set], z, t.x, t.y, tileContextOf(db)));
      const size = row?.mvt.byteLength ?? 0;
      if (size > max) [max, at] = [size, `${z}/${t.x}/${t.y}`];
    });
    parts.push(`z${z} ${fmt(max / 1024)} KiB (${at}, of ${sample.length})`);
  }
  console.log(`  largest ${set} tile per zoom (limit 500 KiB):\n    ${parts.join('\n    ')}`);
}

/** Every z13–z15 tile over the central county's urban core, the area leaders look at. */
async function benchTiles(
  db: DbHandle,
  spans: readonly (readonly [number, number])[] = [
    [13, 2],
    [14, 4],
    [15, 6],
  ],
): Promise<{ z: number; x: number; y: number }[]> {
  const [core] = await db.rows<{ lon: number; lat: number }>(sql`SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM regions WHERE code = '450902'`);
  const lon = Number(core!.lon);
  const lat = Number(core!.lat);
  const tiles: { z: number; x: number; y: number }[] = [];
  for (const [z, span] of spans) {
    const c = tileForLonLat(z, lon, lat);
    for (let dx = -span; dx <= span; dx++) for (let dy = -span; dy <= span; dy++) tiles.push({ z, x: c.x + dx, y: c.y + dy });
  }
  return tiles;
}

export async function runTileBench(db: DbHandle, concurrency = 8, rounds = 3): Promise<TileBenchResult> {
  const tiles = await benchTiles(db);
  const work = Array.from({ length: rounds }, () => tiles).flat();
  const layers = TILE_SETS.grids;

  await ensureAreas(db);
  const uncached = await serveApp(db, null, concurrency);

  // Warm both paths once so neither pays for cold caches (the server's in its measuring thread).
  await measure(tiles, concurrency, (t) => db.rows(postgisTileQuery(layers, t.z, t.x, t.y, tileContextOf(db))));
  // Direct and server passes alternate, so drift on the machine (checkpoints, other work) hits both alike.
  let bytes = 0;
  const directRounds: RunStats[] = [];
  const serverRounds: RunStats[] = [];
  for (let round = 0; round < rounds; round++) {
    directRounds.push(
      await measure(tiles, concurrency, async (t) => {
        const [row] = await db.rows<{ mvt: Uint8Array }>(postgisTileQuery(layers, t.z, t.x, t.y, tileContextOf(db)));
        bytes += row?.mvt.byteLength ?? 0;
      }),
    );
    serverRounds.push(await uncached.load(tiles, tiles.slice(0, 40)));
  }
  const direct = combined(directRounds);
  const viaServer = combined(serverRounds);
  uncached.close();

  const cache = followingCache(db, { maxBytes: 256 * 1024 * 1024 });
  const cachedApp = await serveApp(db, cache, concurrency);
  // Cached answers take a millisecond: more rounds, so the figure is a rate, not a start-up.
  const cached = await cachedApp.load(Array.from({ length: rounds * 4 }, () => tiles).flat(), tiles);
  cachedApp.close();

  console.log(
    `  tiles: ${tiles.length} distinct (z13–z15) × ${rounds} rounds, concurrency ${concurrency} (signed-in session; bare keep-alive HTTP/1.1 client in its own thread), avg ${fmt(bytes / (tiles.length * rounds) / 1024)} KiB; direct and uncached passes alternate`,
  );
  console.log(`  direct ST_AsMVT SQL     : ${describeStats(direct)}`);
  console.log(`  server /tiles, uncached : ${describeStats(viaServer)}`);
  console.log(`  server /tiles, cached   : ${describeStats(cached)}  (${cache.size} tiles, ${fmt(cache.sizeBytes / 1024 / 1024)} MiB held)`);
  const ratio = viaServer.perSecond / direct.perSecond;
  const cachedRatio = cached.perSecond / viaServer.perSecond;
  console.log(`  ratio uncached/direct   : ${fmt(ratio, 2)} (throughput; target ≥ 0.9), p99 ${fmt(viaServer.p99 / direct.p99, 2)}×`);
  console.log(`  ratio cached/uncached   : ${fmt(cachedRatio, 1)}× (throughput; target ≥ 10×)`);
  await largestTiles(db, concurrency);
  await largestTiles(db, concurrency, 'exclusive');
  await largestTiles(db, concurrency, 'foreign');
  return { tiles: work.length, direct: describeStats(direct), server: describeStats(viaServer), ratio, cached: describeStats(cached), cachedRatio };
}

export const suite: BenchSuite = {
  name: 'tiles',
  title: '/tiles/grids vs direct ST_AsMVT (PostGIS)',
  run: async ({ db, concurrency, openScale }) => {
    await runTileBench(db, concurrency);
    if (process.env.BENCH_LARGE === '1') {
      console.log('  — at 300,000 grids —');
      const large = await openScale(300_000);
      await ensureAreas(large);
      await largestTiles(large, concurrency);
    }
  },
};
