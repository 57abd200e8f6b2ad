/**
 * 选址分析 on real PostGIS:
 *  1. one candidate's coverage change (what-if: its circle on the fly + the delta
 *     over the communities it touches) — target p95 < 1 s — against recomputing the
 *     whole-city coverage with the same facilities, in the same run (the baseline);
 *  2. 10 suggested sites from up to 5,000 road-node candidates — target < 10 s;
 *  3. greedy vs "largest blind spot first" vs the exact optimum (small N) in covered demand.
 * Run at small sizes on the shared machine: npm run bench -- --only siting --grids 3000.
 */
import { loadavg } from 'node:os';
import { sql } from 'drizzle-orm';
import { blindSpotFirst, exactMaxCoverage, greedyMaxCoverage } from '../kernel/maxCoverage';
import { coverageSummary } from '../server/coverage/coverage';
import { DEFAULT_SPEED_M_PER_MIN } from '../server/coverage/walking';
import { sitingProblem } from '../server/siting/suggest';
import { whatIf } from '../server/siting/whatIf';
import { describeStats, fmt, measure } from './lib/stats';
import type { BenchSuite } from './lib/suite';

const SPEED = DEFAULT_SPEED_M_PER_MIN;

export const suite: BenchSuite = {
  name: 'siting',
  title: '选址分析: one candidate’s coverage change vs whole-city coverage; 10 sites from 5,000 candidates; greedy vs blind spot first',
  run: async ({ db, grids }) => {
    console.log(
      `  ${grids} grids; load average before: ${loadavg()
        .map((l) => fmt(l, 2))
        .join(' ')}`,
    );
    // Warm: every facility's circle cached, as in normal use.
    await coverageSummary(db, 'community', { speedMPerMin: SPEED });
    const baseline = await measure([1, 2, 3], 1, () => coverageSummary(db, 'community', { speedMPerMin: SPEED }));
    const points = await db.rows<{ lon: number; lat: number }>(sql`SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM grids WHERE id % 97 = 0 ORDER BY id LIMIT 20`);
    const one = await measure(points, 1, (p) => whatIf(db, [{ name: '候选', kind: 'red_station', position: [Number(p.lon), Number(p.lat)] }], { speedMPerMin: SPEED }));
    console.log(`  whole-city coverage, circles cached (baseline): ${describeStats(baseline)}`);
    console.log(`  one candidate's what-if (circle + delta)      : ${describeStats(one)}`);
    console.log(`  ratio what-if/whole-city p50 ${fmt(one.p50 / baseline.p50, 2)}×; target p95 < 1 s: ${one.p95 < 1000 ? 'met' : 'NOT met'}`);

    const t0 = performance.now();
    const { problem, candidates, demand } = await sitingProblem(db, { kind: 'party_centre', count: 10, maxCandidates: 5000, exactUpTo: 0, categories: [], incidentWeight: 0, speedMPerMin: SPEED });
    const t1 = performance.now();
    const greedy = greedyMaxCoverage(problem, 10);
    const t2 = performance.now();
    const heuristic = blindSpotFirst(problem, 10);
    const total = demand.reduce((s, d) => s + d.weight, 0);
    console.log(`  suggestion: ${candidates.length} candidates, ${demand.length} demand points (${fmt(total, 0)} uncovered households)`);
    console.log(`    reach sets ${fmt((t1 - t0) / 1000, 2)} s + greedy ${fmt(t2 - t1, 0)} ms = ${fmt((t2 - t0) / 1000, 2)} s; target < 10 s: ${t2 - t0 < 10_000 ? 'met' : 'NOT met'}`);
    console.log(
      `    greedy 10 sites: ${fmt(greedy.value, 0)} households; proven ≥ ${fmt((greedy.value / greedy.upperBound) * 100)} % of the optimum (bound ${fmt(greedy.upperBound, 0)}; worst case ${fmt(greedy.guarantee * 100)} %)`,
    );
    console.log(`    largest blind spot first: ${fmt(heuristic.value, 0)} households (${fmt((heuristic.value / Math.max(greedy.value, 1e-9)) * 100)} % of greedy)`);
    for (const n of [2, 3]) {
      const small = { ...problem, covers: problem.covers.slice(0, 300), distances: problem.distances?.slice(0, 300) };
      const g = greedyMaxCoverage(small, n);
      const e = exactMaxCoverage(small, n);
      console.log(
        `    N=${n}, first 300 candidates: greedy ${fmt(g.value, 0)}, exact ${e ? `${fmt(e.value, 0)} (gap ${fmt((1 - g.value / Math.max(e.value, 1e-9)) * 100, 2)} %, ${e.nodes} nodes)` : 'gave up'}, blind spot first ${fmt(blindSpotFirst(small, n).value, 0)}`,
      );
    }
    console.log(
      `  load average after: ${loadavg()
        .map((l) => fmt(l, 2))
        .join(' ')}`,
    );
  },
};
