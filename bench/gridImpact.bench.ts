/**
 * Dry-run impact of a boundary move (issue 17 point 7): PUT /api/grids/:code?dryRun=true, which
 * runs the whole validated save and then lists the buildings, households, open incidents,
 * coverage and worker load that move, against the plain validated save (PUT, committed) of the
 * same kind of move in the same run. The sample has ~10 buildings per grid (300,000 at 30,000 grids).
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../db/client';
import { createApp } from '../server/app';
import { TEST_ADMIN } from '../server/testing/principals';
import { editCases, moved } from './gridEdits.bench';
import { describeStats, fmt, measure } from './lib/stats';
import type { BenchSuite } from './lib/suite';

async function runImpactBench(db: DbHandle, grids: number): Promise<void> {
  const [counts] = await db.rows<{ buildings: number }>(sql`SELECT count(*)::int AS buildings FROM buildings`);
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
