/**
 * 选址分析 on real PostGIS:
 *  1. one candidate's coverage change (what-if: its circle on the fly + the delta
 *     over the grids it touches) — target p95 < 1 s — against recomputing the
 *     whole-city coverage with the same facilities, in the same run (the baseline);
 *     the what-if reads the cached coverage state; its first, cold call is shown too;
 *  2. 10 suggested sites from up to 5,000 road-node candidates — target < 10 s —
 *     cold (nothing cached, all inside the request) and after the background warm-up;
 *     the bench city has fewer road nodes than 5,000, so the target's 5,000 candidates
 *     are run as a hexagon lattice of ~6,000 points too, cold (after point 4);
 *  3. greedy vs "largest blind spot first" vs the exact optimum (small N) in covered demand;
 *  4. the estates' and hexagon candidate sources, cold.
 */
import { loadavg } from 'node:os';
import { sql } from 'drizzle-orm';
import { blindSpotFirst, exactMaxCoverage, greedyMaxCoverage } from '../kernel/maxCoverage';
import { coverageSummary } from '../server/coverage/coverage';
import { DEFAULT_SPEED_M_PER_MIN } from '../server/coverage/walking';
import { forgetCoverageStates } from '../server/siting/coverageState';
import { startSitingWarmer } from '../server/siting/sitingWarmer';
import { type CandidateSource, DEFAULT_HEX_M, forgetReachTables, sitingProblem } from '../server/siting/suggest';
import { whatIf } from '../server/siting/whatIf';
import { describeStats, fmt, measure } from './lib/stats';
import type { BenchSuite } from './lib/suite';

const SPEED = DEFAULT_SPEED_M_PER_MIN;
const secs = (ms: number) => `${fmt(ms / 1000, 2)} s`;

export const suite: BenchSuite = {
  name: 'siting',
  title: '选址分析: one candidate’s coverage change vs whole-city coverage; 10 sites from 5,000 candidates (cold and warmed); greedy vs blind spot first',
  run: async ({ db, grids }) => {
    const load = () =>
      loadavg()
        .map((l) => fmt(l, 2))
        .join(' ');
    console.log(`  ${grids} grids; load average before: ${load()}`);
    // Every facility's circle cached, as in normal use (the walking-circle job keeps them so).
    await coverageSummary(db, 'community', { speedMPerMin: SPEED });
    const baseline = await measure([1, 2, 3], 1, () => coverageSummary(db, 'community', { speedMPerMin: SPEED }));
    const points = await db.rows<{ lon: number; lat: number }>(sql`SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM grids WHERE id % 97 = 0 ORDER BY id LIMIT 21`);
    const candidate = (p: { lon: number; lat: number }) => [{ name: '候选', kind: 'red_station' as const, position: [Number(p.lon), Number(p.lat)] as [number, number] }];
    // Cold: the first what-if after a data change computes the city's coverage state inside the request.
    forgetCoverageStates(db);
    const c0 = performance.now();
    const first = await whatIf(db, candidate(points[0]!), { speedMPerMin: SPEED });
    const coldMs = performance.now() - c0;
    const one = await measure(points.slice(1), 1, (p) => whatIf(db, candidate(p), { speedMPerMin: SPEED }));
    const sample = await whatIf(db, candidate(points[1]!), { speedMPerMin: SPEED });
    console.log(`  whole-city coverage, circles cached (baseline): ${describeStats(baseline)}`);
    console.log(`  one candidate's what-if, state warm (circle + touched grids): ${describeStats(one)}; e.g. ${sample.total.gridsOverlaid} grids overlaid`);
    console.log(`  first what-if, state cold (state ${secs(first.elapsedMs.state)} inside it): ${secs(coldMs)}`);
    console.log(`  ratio what-if p95 / whole-city p50 ${fmt(one.p95 / baseline.p50, 3)}×; target p95 < 1 s: ${one.p95 < 1000 ? 'met' : 'NOT met'}`);

    const options = (source: CandidateSource) => ({ kind: 'party_centre' as const, count: 10, maxCandidates: 5000, exactUpTo: 0, categories: [], incidentWeight: 0, speedMPerMin: SPEED, source, hexM: DEFAULT_HEX_M });
    const suggest = async (source: CandidateSource) => {
      const t0 = performance.now();
      const p = await sitingProblem(db, options(source));
      const t1 = performance.now();
      const greedy = greedyMaxCoverage(p.problem, 10);
      return { ...p, greedy, problemMs: t1 - t0, greedyMs: performance.now() - t1 };
    };
    // Cold: nothing cached (as right after start without the warmer, or a request racing it).
    forgetCoverageStates(db);
    forgetReachTables(db);
    const cold = await suggest('nodes');
    console.log(
      `  10 sites from ${cold.candidates.length} road nodes, ${cold.demand.length} demand points, cold: ${secs(cold.problemMs + cold.greedyMs)} (reach table ${secs(cold.table.computedMs)}, greedy ${fmt(cold.greedyMs, 0)} ms)`,
    );
    // Warmed in the background after the data changed (as the server does after start and after changes).
    forgetCoverageStates(db);
    forgetReachTables(db);
    const warmer = startSitingWarmer(db, { pollMs: 3_600_000 });
    const w0 = performance.now();
    await warmer.whenWarm();
    console.log(`  background warm-up (coverage states of all kinds + reach table): ${secs(performance.now() - w0)}`);
    const warmRuns = await measure([1, 2, 3], 1, () => suggest('nodes'));
    const warm = await suggest('nodes');
    console.log(`  10 sites after the warm-up: ${describeStats(warmRuns)}; target < 10 s: cold ${cold.problemMs + cold.greedyMs < 10_000 ? 'met' : 'NOT met'}, warmed ${warmRuns.p95 < 10_000 ? 'met' : 'NOT met'}`);
    await warmer.stop();
    const { problem, demand, greedy } = warm;
    const heuristic = blindSpotFirst(problem, 10);
    const total = demand.reduce((s, d) => s + d.weight, 0);
    console.log(`    demand ${fmt(total, 0)} uncovered households; greedy 10 sites: ${fmt(greedy.value, 0)}; gains per site ${greedy.steps.map((s) => fmt(s.gain, 0)).join(', ')}`);
    console.log(`    proven ≥ ${fmt((greedy.value / greedy.upperBound) * 100)} % of the optimum (bound ${fmt(greedy.upperBound, 0)}; worst case ${fmt(greedy.guarantee * 100)} %)`);
    console.log(`    largest blind spot first: ${fmt(heuristic.value, 0)} households (${fmt((heuristic.value / Math.max(greedy.value, 1e-9)) * 100)} % of greedy)`);
    for (const n of [2, 3]) {
      const small = { ...problem, covers: problem.covers.slice(0, 300), distances: problem.distances?.slice(0, 300) };
      const g = greedyMaxCoverage(small, n);
      const e = exactMaxCoverage(small, n);
      console.log(
        `    N=${n}, first 300 candidates: greedy ${fmt(g.value, 0)}, exact ${e ? `${fmt(e.value, 0)} (gap ${fmt((1 - g.value / Math.max(e.value, 1e-9)) * 100, 2)} %, ${e.nodes} nodes)` : 'gave up'}, blind spot first ${fmt(blindSpotFirst(small, n).value, 0)}`,
      );
    }
    let hex300 = 0;
    for (const source of ['estates', 'hexagons'] as const) {
      const r = await suggest(source);
      if (source === 'hexagons') hex300 = r.candidates.length + r.table.unsnapped;
      console.log(
        `  10 sites from ${r.candidates.length} ${source} (${r.table.unsnapped} off the roads), cold reach table: ${secs(r.problemMs + r.greedyMs)}; greedy ${fmt(r.greedy.value, 0)} households, blind spot first ${fmt(blindSpotFirst(r.problem, 10).value, 0)}`,
      );
    }
    // ≥ 5,000 candidates (issue 19 point 7): the bench city has only ~4,200 road nodes, so a hexagon
    // lattice whose side is scaled from the 300 m lattice's count to give ~6,000 points (all kept:
    // maxCandidates 20,000, the API's limit; each snapped to its nearest road node, its offset walked
    // first); the reach table cold, as the lattice is not warmed in the background.
    const hexSide = Math.floor((DEFAULT_HEX_M * Math.sqrt(hex300 / 6000)) / 10) * 10;
    {
      const t0 = performance.now();
      const p = await sitingProblem(db, { ...options('hexagons'), hexM: hexSide, maxCandidates: 20_000 });
      const t1 = performance.now();
      const g = greedyMaxCoverage(p.problem, 10);
      const ms = performance.now() - t0;
      const nodes = new Set(p.candidates.map((c) => c.node)).size;
      console.log(
        `  10 sites from ${p.candidates.length} candidates (hexagons of ${hexSide} m, ${p.table.unsnapped} off the roads dropped; at ${nodes} distinct road nodes), cold: ${secs(ms)} (problem ${secs(t1 - t0)}, greedy ${fmt(performance.now() - t1, 0)} ms); greedy ${fmt(g.value, 0)} households, blind spot first ${fmt(blindSpotFirst(p.problem, 10).value, 0)}; target ≥ 5,000 candidates in < 10 s: ${p.candidates.length >= 5000 && ms < 10_000 ? 'met' : 'NOT met'}`,
      );
    }
    console.log(`  load average after: ${load()}`);
  },
};
