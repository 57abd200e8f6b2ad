/**
 * 15-minute circles on real PostGIS (pgr_drivingDistance):
 *  1. one centre's isochrone, cold (cache row deleted first) — target < 100 ms;
 *  2. whole-city coverage (~300 centres), cold (all circles computed) and warm
 *     (circles cached) — target < 3 s;
 * each against a straight-line buffer baseline measured in the same run.
 */
import { loadavg } from 'node:os';
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../db/client';
import { coverageSummary } from '../server/coverage/coverage';
import { bufferIsochronesSql } from '../server/coverage/isochroneSql';
import { ensureIsochrones } from '../server/coverage/isochrones';
import { DEFAULT_SPEED_M_PER_MIN, walkingBudgetM } from '../server/coverage/walking';
import { describeStats, fmt, measure } from './lib/stats';
import type { BenchSuite } from './lib/suite';

/** A single-county sample has ~300 centres (市/区/街道/社区/小区) over ~9k road edges. */
const COVERAGE_GRIDS = 3000;
const SPEED = DEFAULT_SPEED_M_PER_MIN;

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await work();
  return { ms: performance.now() - t0, value };
}

async function singleCentre(db: DbHandle) {
  // Every 7th centre: all levels, urban and rural.
  const ids = (await db.rows<{ id: number }>(sql`SELECT id FROM service_centres WHERE id % 7 = 0 ORDER BY id LIMIT 40`)).map((r) => Number(r.id));
  const baseline = await measure(ids, 1, (id) => db.rows(sql`SELECT ST_AsBinary(geom) FROM (${bufferIsochronesSql([{ key: 0, centreId: id, budgetM: walkingBudgetM(15, SPEED) }])}) b`));
  const network = await measure(ids, 1, async (id) => {
    await db.rows(sql`DELETE FROM isochrones WHERE centre_id = ${id}`);
    await ensureIsochrones(db, { centreIds: [id], minutes: [15], speedMPerMin: SPEED });
  });
  const threeRings = await measure(ids, 1, async (id) => {
    await db.rows(sql`DELETE FROM isochrones WHERE centre_id = ${id}`);
    await ensureIsochrones(db, { centreIds: [id], minutes: [5, 10, 15], speedMPerMin: SPEED });
  });
  console.log(`  one centre, ${ids.length} centres in turn, cache cleared each time`);
  console.log(`  straight-line buffer (baseline)  : ${describeStats(baseline)}`);
  console.log(`  network isochrone 15 min (cold)  : ${describeStats(network)}`);
  console.log(`  network isochrones 5/10/15 (cold): ${describeStats(threeRings)}`);
  console.log(`  ratio network/buffer p50 ${fmt(network.p50 / baseline.p50, 1)}×, p95 ${fmt(network.p95 / baseline.p95, 1)}×; target p95 < 100 ms: ${network.p95 < 100 ? 'met' : 'NOT met'}`);
}

/** The same per-grid overlay as the coverage analysis, over straight-line circles. */
async function bufferCoverage(db: DbHandle) {
  return db.rows(sql`
    WITH cover AS MATERIALIZED (
      SELECT ST_Subdivide(ST_Union(ST_Buffer(geom::geography, ${walkingBudgetM(15, SPEED)}::float8, 'quad_segs=8')::geometry, 1e-7), 128) AS g FROM service_centres
    ),
    gc AS (
      SELECT g.community_code, g.households, g.area_m2,
             coalesce(sum(CASE WHEN ST_Within(g.geom, c.g) THEN g.area_m2 ELSE ST_Area(ST_Intersection(g.geom, c.g, 1e-7)::geography) END), 0) AS covered_m2
      FROM grids g LEFT JOIN cover c ON ST_Intersects(g.geom, c.g) GROUP BY g.id
    )
    SELECT community_code, sum(households * least(1, covered_m2 / nullif(area_m2, 0))) AS covered FROM gc GROUP BY community_code`);
}

async function wholeCity(db: DbHandle) {
  const [facts] = await db.rows<{ centres: number; edges: number; grids: number }>(sql`
    SELECT (SELECT count(*)::int FROM service_centres) AS centres, (SELECT count(*)::int FROM road_edges) AS edges, (SELECT count(*)::int FROM grids) AS grids`);
  console.log(`  whole city: ${facts!.centres} centres, ${facts!.edges} road edges, ${facts!.grids} grids`);
  const baseline = await timed(() => bufferCoverage(db));
  await db.rows(sql`DELETE FROM isochrones`);
  const cold = await timed(() => coverageSummary(db, 'community', { speedMPerMin: SPEED }));
  const warm = await timed(() => coverageSummary(db, 'community', { speedMPerMin: SPEED }));
  const circles = await timed(async () => {
    await db.rows(sql`DELETE FROM isochrones`);
    return ensureIsochrones(db, { centreIds: null, minutes: [15], speedMPerMin: SPEED });
  });
  console.log(`  straight-line buffers + overlay (baseline): ${fmt(baseline.ms / 1000, 2)} s`);
  console.log(`  network circles computed                  : ${fmt(circles.ms / 1000, 2)} s (${circles.value} circles)`);
  console.log(`  coverage, cold (circles + overlay)        : ${fmt(cold.ms / 1000, 2)} s — ${fmt(cold.ms / baseline.ms, 1)}× baseline; target < 3 s: ${cold.ms < 3000 ? 'met' : 'NOT met'}`);
  console.log(`  coverage, warm (circles cached)           : ${fmt(warm.ms / 1000, 2)} s — ${fmt(warm.ms / baseline.ms, 1)}× baseline; target < 3 s: ${warm.ms < 3000 ? 'met' : 'NOT met'}`);
  console.log(`  city households covered: ${fmt(cold.value.total.householdShare * 100)} % (network) `);
}

export const suite: BenchSuite = {
  name: 'isochrones',
  title: '15-minute circles: one centre cold, whole-city coverage (PostGIS + pgRouting) vs straight-line buffers',
  run: async ({ openScale }) => {
    const db = await openScale(COVERAGE_GRIDS);
    if (!db.capabilities.pgRouting) console.log('  (pgRouting missing: the Node search is used)');
    // Latencies on the 2-core machine depend on what else runs; say so next to the figures.
    console.log(
      `  load average before: ${loadavg()
        .map((l) => fmt(l, 2))
        .join(' ')}`,
    );
    await singleCentre(db);
    await wholeCity(db);
    console.log(
      `  load average after: ${loadavg()
        .map((l) => fmt(l, 2))
        .join(' ')}`,
    );
  },
};
