/**
 * Tile serving on real PostGIS: the HTTP endpoint vs the same ST_AsMVT SQL run
 * directly on a pg pool (the floor the server can reach), same tiles, same concurrency.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../db/client';
import { createApp } from '../server/app';
import { TEST_ADMIN } from '../server/testing/principals';
import { TILE_SETS } from '../server/tiles/layers';
import { postgisTileQuery } from '../server/tiles/renderTile';
import { tileForLonLat } from '../kernel/webMercator';
import { describeStats, fmt, measure } from './lib/stats';
import type { BenchSuite } from './lib/suite';

export interface TileBenchResult {
  tiles: number;
  direct: ReturnType<typeof describeStats>;
  server: ReturnType<typeof describeStats>;
  ratio: number;
}

/** Every z13–z15 tile over the central county's urban core, the area leaders look at. */
async function benchTiles(db: DbHandle): Promise<{ z: number; x: number; y: number }[]> {
  const [core] = await db.rows<{ lon: number; lat: number }>(sql`SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM regions WHERE code = '450902'`);
  const lon = Number(core!.lon);
  const lat = Number(core!.lat);
  const tiles: { z: number; x: number; y: number }[] = [];
  for (const [z, span] of [
    [13, 2],
    [14, 4],
    [15, 6],
  ] as const) {
    const c = tileForLonLat(z, lon, lat);
    for (let dx = -span; dx <= span; dx++) for (let dy = -span; dy <= span; dy++) tiles.push({ z, x: c.x + dx, y: c.y + dy });
  }
  return tiles;
}

export async function runTileBench(db: DbHandle, concurrency = 8, rounds = 3): Promise<TileBenchResult> {
  const tiles = await benchTiles(db);
  const work = Array.from({ length: rounds }, () => tiles).flat();
  const layers = TILE_SETS.grids;

  const app = createApp(db, { anonymousUser: TEST_ADMIN });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((done) => server.once('listening', () => done()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // Warm both paths once so neither pays for cold caches.
  await measure(tiles, concurrency, (t) => db.rows(postgisTileQuery(layers, t.z, t.x, t.y)));
  let bytes = 0;
  const direct = await measure(work, concurrency, async (t) => {
    const [row] = await db.rows<{ mvt: Uint8Array }>(postgisTileQuery(layers, t.z, t.x, t.y));
    bytes += row?.mvt.byteLength ?? 0;
  });
  const viaServer = await measure(work, concurrency, async (t) => {
    const res = await fetch(`${base}/tiles/grids/${t.z}/${t.x}/${t.y}.mvt`);
    if (!res.ok) throw new Error(`tile ${t.z}/${t.x}/${t.y}: ${res.status}`);
    await res.arrayBuffer();
  });
  server.close();
  console.log(`  tiles: ${tiles.length} distinct (z13–z15) × ${rounds} rounds, concurrency ${concurrency}, avg ${fmt(bytes / work.length / 1024)} KiB`);
  console.log(`  direct ST_AsMVT SQL : ${describeStats(direct)}`);
  console.log(`  server /tiles       : ${describeStats(viaServer)}`);
  const ratio = viaServer.perSecond / direct.perSecond;
  console.log(`  ratio server/direct : ${fmt(ratio, 2)} (throughput), p99 ${fmt(viaServer.p99 / direct.p99, 2)}×`);
  return { tiles: work.length, direct: describeStats(direct), server: describeStats(viaServer), ratio };
}

export const suite: BenchSuite = {
  name: 'tiles',
  title: '/tiles/grids vs direct ST_AsMVT (PostGIS)',
  run: async ({ db, concurrency }) => {
    await runTileBench(db, concurrency);
  },
};
