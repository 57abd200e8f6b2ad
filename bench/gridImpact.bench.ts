/**
 * Dry-run impact of a boundary move (issue 17 point 7): PUT /api/grids/:code?dryRun=true, which
 * runs the whole validated save and then lists the buildings, households, open incidents,
 * coverage and worker load that move, against the plain validated save (PUT, committed) of the
 * same kind of move in the same run. The sample has ~2 buildings per grid; the case is
 * 300,000 buildings at 30,000 grids, so the bench first tops the database up to 10 per grid
 * (random points inside each grid, marked updated_by = 'bench', once per database).
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../db/client';
import { createApp } from '../server/app';
import { ensureAreas } from '../server/grids/gridWrites';
import { TEST_ADMIN } from '../server/testing/principals';
import { editCases, moved } from './gridEdits.bench';
import { describeStats, fmt, measure } from './lib/stats';
import type { BenchSuite } from './lib/suite';

/** Adds random buildings inside every grid until there are about `perGrid` per grid (kept for later runs). */
async function topUpBuildings(db: DbHandle, perGrid: number): Promise<void> {
  const [row] = await db.rows<{ buildings: number; grids: number }>(sql`SELECT (SELECT count(*)::int FROM buildings) AS buildings, (SELECT count(*)::int FROM grids) AS grids`);
  const extra = Math.round((perGrid * row!.grids - row!.buildings) / row!.grids);
  if (extra <= 0) return;
  const t0 = Date.now();
  process.stdout.write(`  adding ${extra} buildings per grid… `);
  await db.rows(sql`
    INSERT INTO buildings (code, name, floors, households, population, community_code, geom, grid_id, updated_by)
    SELECT g.code || 'B' || lpad(p.path[1]::text, 3, '0'), g.name || '补' || p.path[1] || '栋', 6,
           greatest(1, g.households / ${perGrid}), greatest(1, g.population / ${perGrid}), g.community_code, p.geom, g.id, 'bench'
    FROM grids g, LATERAL ST_Dump(ST_GeneratePoints(g.geom, ${extra}, g.id)) p
    ON CONFLICT (code) DO NOTHING`);
  await db.rows(sql`ANALYZE buildings`);
  console.log(`${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

async function runImpactBench(db: DbHandle, grids: number): Promise<void> {
  await topUpBuildings(db, 10);
  const [counts] = await db.rows<{ buildings: number }>(sql`SELECT count(*)::int AS buildings FROM buildings`);
  // The generalised areas are built once per database (a server does it at its first write or tile), not per save.
  await ensureAreas(db);
  const cases = await editCases(db, 60);
  const app = createApp(db, { anonymousUser: TEST_ADMIN });
  const version = async (code: string) => (await db.rows<{ version: number }>(sql`SELECT version FROM grids WHERE code = ${code}`))[0]!.version;
  const put = async (code: string, body: unknown, dryRun: boolean) => {
    const res = await app.request(`/api/grids/${code}${dryRun ? '?dryRun=true' : ''}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json = (await res.json()) as { impact?: { moved: { buildings: number } } };
    return { ok: res.status === 200, moved: json.impact?.moved.buildings ?? 0 };
  };
  let rejected = 0;
  let movedBuildings = 0;
  // A large move (40 % of the way to the neighbour's label point), so buildings do cross.
  const impact = await measure(cases, 1, async (c) => {
    const r = await put(c.code, { version: await version(c.code), geometry: moved(c, 0.4) }, true);
    if (!r.ok) rejected++;
    movedBuildings += r.moved;
  });
  const saves = await measure(cases, 1, async (c) => {
    const r = await put(c.code, { version: await version(c.code), geometry: moved(c, 0.4) }, false);
    if (!r.ok) rejected++;
  });
  console.log(`  ${grids} grids, ${counts?.buildings ?? 0} buildings: ${cases.length} moves in ${cases.length} communities, ${rejected} rejected, ${movedBuildings} buildings moved in the dry runs`);
  console.log(`    dry-run impact (PUT ?dryRun=true)  : ${describeStats(impact)}`);
  console.log(`    validated save (PUT, committed)    : ${describeStats(saves)}`);
  console.log(`    ratio p95 impact/save              : ${fmt(impact.p95 / saves.p95, 2)}×  (target impact p95 < 150 ms)`);
}

export const suite: BenchSuite = {
  name: 'gridImpact',
  title: 'dry-run impact of a boundary move vs the validated save (PostGIS)',
  run: async ({ db, grids, openScale }) => {
    await runImpactBench(db, grids);
    if (process.env.BENCH_LARGE === '1') await runImpactBench(await openScale(300_000), 300_000);
  },
};
