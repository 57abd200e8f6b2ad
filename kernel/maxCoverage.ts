/**
 * Maximal-coverage location (Church & ReVelle): choose N of the candidate sites
 * so that the weight of demand points within reach of at least one chosen site
 * is largest. Pure maths for the siting analysis (server/siting/suggest.ts):
 *  - greedy: the site with the largest marginal gain, N times (lazily evaluated).
 *    Coverage is monotone submodular, so greedy ≥ (1 − (1 − 1/N)^N) · OPT ≥ (1 − 1/e) · OPT
 *    (Nemhauser, Wolsey & Fisher 1978); the data-dependent bound
 *    OPT ≤ value_k + (sum of the N largest marginal gains w.r.t. the first k sites) is usually far tighter;
 *  - exact: branch and bound with that same bound, for small N and candidate sets;
 *  - blind spot first: the heaviest uncovered demand point, served by its nearest site —
 *    the straight heuristic the bench compares against.
 */

export interface CoverageProblem {
  /** Weight of each demand point (e.g. uncovered households). */
  weights: ArrayLike<number>;
  /** Per candidate site: the demand points within reach. */
  covers: readonly ArrayLike<number>[];
  /** Per candidate site, aligned with covers: the distance to each (for the blind-spot heuristic). */
  distances?: readonly ArrayLike<number>[];
}

export interface GreedyStep {
  site: number;
  gain: number;
  total: number;
}

export interface Solution {
  sites: number[];
  value: number;
}

export interface GreedySolution extends Solution {
  steps: GreedyStep[];
  /** min over steps k of value_k + the N largest marginal gains after k sites: OPT ≤ upperBound. */
  upperBound: number;
  /** 1 − (1 − 1/N)^N: greedy ≥ this share of the optimum, whatever the data. */
  guarantee: number;
}

/** Weight of the demand covered by `sites`. */
export function coverageValue(problem: CoverageProblem, sites: readonly number[]): number {
  const seen = new Uint8Array(problem.weights.length);
  let value = 0;
  for (const s of sites) {
    const c = problem.covers[s]!;
    for (let k = 0; k < c.length; k++) {
      const d = c[k]!;
      if (!seen[d]) {
        seen[d] = 1;
        value += problem.weights[d]!;
      }
    }
  }
  return value;
}

function gainOf(problem: CoverageProblem, site: number, covered: Uint8Array): number {
  const c = problem.covers[site]!;
  let g = 0;
  for (let k = 0; k < c.length; k++) if (!covered[c[k]!]) g += problem.weights[c[k]!]!;
  return g;
}

function markCovered(problem: CoverageProblem, site: number, covered: Uint8Array) {
  const c = problem.covers[site]!;
  for (let k = 0; k < c.length; k++) covered[c[k]!] = 1;
}

/** Sum of the `count` largest values. */
function topSum(values: Float64Array, count: number): number {
  if (count <= 0) return 0;
  const sorted = Float64Array.from(values).sort();
  let s = 0;
  for (let i = sorted.length - 1; i >= 0 && i >= sorted.length - count; i--) s += Math.max(0, sorted[i]!);
  return s;
}

export const greedyGuarantee = (n: number) => (n <= 0 ? 1 : 1 - (1 - 1 / n) ** n);

/**
 * Greedy with lazy evaluation: marginal gains only shrink, so a site whose stale
 * gain is still the largest after re-evaluation is the true best. Ties go to the
 * lower index. The bound is computed at the first step and every `boundEvery` steps.
 */
export function greedyMaxCoverage(problem: CoverageProblem, n: number): GreedySolution {
  const m = problem.covers.length;
  const covered = new Uint8Array(problem.weights.length);
  const gains = new Float64Array(m);
  for (let s = 0; s < m; s++) gains[s] = gainOf(problem, s, covered);
  const fresh = new Int32Array(m).fill(0); // step at which gains[s] was computed
  const chosen = new Uint8Array(m);
  const steps: GreedyStep[] = [];
  let total = 0;
  let upperBound = Infinity;
  for (let step = 0; step < Math.min(n, m); step++) {
    // OPT ≤ f(S) + the N largest marginal gains w.r.t. S (submodularity); stale gains only overestimate.
    upperBound = Math.min(upperBound, total + topSum(gains, n));
    for (;;) {
      let best = -1;
      for (let s = 0; s < m; s++) if (!chosen[s] && (best < 0 || gains[s]! > gains[best]!)) best = s;
      if (best < 0) break;
      if (fresh[best] === step) {
        if (gains[best]! <= 0) {
          // nothing left to gain
        } else {
          chosen[best] = 1;
          markCovered(problem, best, covered);
          total += gains[best]!;
          steps.push({ site: best, gain: gains[best]!, total });
        }
        break;
      }
      gains[best] = gainOf(problem, best, covered);
      fresh[best] = step;
    }
    if (steps.length <= step) break; // nothing more to gain
  }
  return { sites: steps.map((s) => s.site), value: total, steps, upperBound: Math.max(total, Math.min(upperBound, coverageValue(problem, allSites(m)))), guarantee: greedyGuarantee(n) };
}

const allSites = (m: number) => Array.from({ length: m }, (_, i) => i);

/**
 * The optimum by branch and bound (sites in order of their initial gain; bound =
 * value so far + the largest remaining marginal gains). Gives up (null) after
 * `maxNodes` search nodes, so callers can offer it for small problems only.
 */
export function exactMaxCoverage(problem: CoverageProblem, n: number, maxNodes = 2_000_000): (Solution & { nodes: number }) | null {
  const m = problem.covers.length;
  const empty = new Uint8Array(problem.weights.length);
  const order = allSites(m)
    .map((s) => ({ s, g: gainOf(problem, s, empty) }))
    .filter((x) => x.g > 0)
    .sort((a, b) => b.g - a.g || a.s - b.s)
    .map((x) => x.s);
  const greedy = greedyMaxCoverage(problem, n);
  let best: Solution = { sites: greedy.sites, value: greedy.value };
  let nodes = 0;
  const count = new Int32Array(problem.weights.length);
  const picked: number[] = [];
  const add = (site: number, sign: 1 | -1) => {
    const c = problem.covers[site]!;
    let delta = 0;
    for (let k = 0; k < c.length; k++) {
      const d = c[k]!;
      if (sign === 1) {
        if (count[d] === 0) delta += problem.weights[d]!;
        count[d] = count[d]! + 1;
      } else {
        count[d] = count[d]! - 1;
        if (count[d] === 0) delta -= problem.weights[d]!;
      }
    }
    return delta;
  };
  const gainNow = (site: number) => {
    const c = problem.covers[site]!;
    let g = 0;
    for (let k = 0; k < c.length; k++) if (count[c[k]!] === 0) g += problem.weights[c[k]!]!;
    return g;
  };
  let aborted = false;
  const search = (from: number, value: number) => {
    if (aborted) return;
    if (++nodes > maxNodes) {
      aborted = true;
      return;
    }
    if (value > best.value + 1e-9) best = { sites: [...picked], value };
    const left = n - picked.length;
    if (left === 0 || from >= order.length) return;
    const rest = new Float64Array(order.length - from);
    for (let i = from; i < order.length; i++) rest[i - from] = gainNow(order[i]!);
    if (value + topSum(rest, left) <= best.value + 1e-9) return;
    for (let i = from; i < order.length; i++) {
      if (rest[i - from]! <= 0) continue;
      const site = order[i]!;
      picked.push(site);
      const delta = add(site, 1);
      search(i + 1, value + delta);
      add(site, -1);
      picked.pop();
      if (aborted) return;
    }
  };
  search(0, 0);
  if (aborted) return null;
  return { sites: [...best.sites].sort((a, b) => a - b), value: best.value, nodes };
}

/**
 * "Largest blind spot first": the heaviest demand point not yet covered, served
 * by the nearest site that reaches it; N times (demand no site reaches is skipped).
 */
export function blindSpotFirst(problem: CoverageProblem, n: number): Solution {
  const D = problem.weights.length;
  const reachedBy: { site: number; dist: number }[][] = Array.from({ length: D }, () => []);
  problem.covers.forEach((c, s) => {
    for (let k = 0; k < c.length; k++) reachedBy[c[k]!]!.push({ site: s, dist: problem.distances?.[s]?.[k] ?? 0 });
  });
  const order = allSites(D).sort((a, b) => problem.weights[b]! - problem.weights[a]! || a - b);
  const covered = new Uint8Array(D);
  const sites: number[] = [];
  for (const d of order) {
    if (sites.length >= n) break;
    if (covered[d] || problem.weights[d]! <= 0 || reachedBy[d]!.length === 0) continue;
    const nearest = reachedBy[d]!.reduce((a, b) => (b.dist < a.dist || (b.dist === a.dist && b.site < a.site) ? b : a));
    if (!sites.includes(nearest.site)) sites.push(nearest.site);
    markCovered(problem, nearest.site, covered);
  }
  return { sites, value: coverageValue(problem, sites) };
}
