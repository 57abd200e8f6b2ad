import { describe, expect, it } from 'vitest';
import { blindSpotFirst, coverageValue, exactMaxCoverage, greedyGuarantee, greedyMaxCoverage, type CoverageProblem } from './maxCoverage';

/** Exhaustive optimum over every set of n sites (tiny problems only). */
function bruteForce(problem: CoverageProblem, n: number): number {
  const m = problem.covers.length;
  let best = 0;
  const pick = (from: number, chosen: number[]) => {
    best = Math.max(best, coverageValue(problem, chosen));
    if (chosen.length === n) return;
    for (let s = from; s < m; s++) pick(s + 1, [...chosen, s]);
  };
  pick(0, []);
  return best;
}

describe('maximal coverage', () => {
  it('greedy equals the optimum on a case with disjoint best sites', () => {
    // Demand 0..5 weights; site 0 covers {0,1} (10), site 1 {1,2} (8), site 2 {3,4} (7), site 3 {5} (1).
    const problem: CoverageProblem = { weights: [5, 5, 3, 4, 3, 1], covers: [[0, 1], [1, 2], [3, 4], [5]] };
    const greedy = greedyMaxCoverage(problem, 2);
    expect(greedy.sites).toEqual([0, 2]);
    expect(greedy.steps.map((s) => s.gain)).toEqual([10, 7]);
    expect(greedy.value).toBe(17);
    const exact = exactMaxCoverage(problem, 2)!;
    expect(exact.value).toBe(17);
    expect(bruteForce(problem, 2)).toBe(17);
    expect(greedy.upperBound).toBeGreaterThanOrEqual(exact.value);
  });

  it('reports the gap where greedy is suboptimal (the big site first, then only one more point)', () => {
    // Unit weights. X = {0,1,2,3}, Y = {0,1,4}, Z = {2,3,5}: greedy takes X (4) then Y or Z (+1) = 5; {Y, Z} covers all 6.
    const problem: CoverageProblem = {
      weights: [1, 1, 1, 1, 1, 1],
      covers: [
        [0, 1, 2, 3],
        [0, 1, 4],
        [2, 3, 5],
      ],
    };
    const greedy = greedyMaxCoverage(problem, 2);
    expect(greedy.sites).toEqual([0, 1]);
    expect(greedy.steps.map((s) => s.gain)).toEqual([4, 1]);
    const exact = exactMaxCoverage(problem, 2)!;
    expect(exact.sites).toEqual([1, 2]);
    expect(exact.value).toBe(6);
    expect(bruteForce(problem, 2)).toBe(6);
    // The actual gap 1 − 5/6, within the worst-case guarantee 1 − (1 − 1/2)² = 0.75.
    expect(1 - greedy.value / exact.value).toBeCloseTo(1 / 6, 10);
    expect(greedy.value / exact.value).toBeGreaterThanOrEqual(greedyGuarantee(2));
    expect(greedy.upperBound).toBeGreaterThanOrEqual(6);
    expect(greedy.upperBound).toBeLessThanOrEqual(7);
  });

  it('greedy, exact and brute force agree on random small problems; the bound holds', () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let trial = 0; trial < 40; trial++) {
      const D = 12;
      const weights = Array.from({ length: D }, () => Math.floor(rand() * 10));
      const covers = Array.from({ length: 9 }, () => Array.from({ length: D }, (_, d) => d).filter(() => rand() < 0.25));
      const problem = { weights, covers };
      for (const n of [1, 2, 3]) {
        const opt = bruteForce(problem, n);
        const exact = exactMaxCoverage(problem, n)!;
        const greedy = greedyMaxCoverage(problem, n);
        expect(exact.value).toBe(opt);
        expect(coverageValue(problem, exact.sites)).toBe(opt);
        expect(greedy.value).toBeLessThanOrEqual(opt);
        expect(greedy.value).toBeGreaterThanOrEqual(greedyGuarantee(n) * opt - 1e-9);
        expect(greedy.upperBound).toBeGreaterThanOrEqual(opt);
        if (n === 1) expect(greedy.value).toBe(opt);
      }
    }
  });

  it('blind spot first serves the heaviest uncovered point by its nearest site', () => {
    // Demand 0 (weight 9) is reached by site 0 at 800 m and site 1 at 100 m; site 0 would also reach 1 and 2.
    const problem: CoverageProblem = {
      weights: [9, 6, 6, 1],
      covers: [[0, 1, 2], [0], [3]],
      distances: [[800, 300, 300], [100], [50]],
    };
    const heuristic = blindSpotFirst(problem, 2);
    expect(heuristic.sites).toEqual([1, 0]);
    expect(heuristic.value).toBe(21);
    expect(blindSpotFirst(problem, 1)).toEqual({ sites: [1], value: 9 });
    expect(greedyMaxCoverage(problem, 1).value).toBe(21);
  });

  it('gives up on the exact search beyond its node budget', () => {
    // Overlapping sets, where greedy's own value does not meet the bound at the root, so the search must branch.
    const covers = Array.from({ length: 40 }, (_, s) => [s % 30, (s * 7 + 3) % 30, (s * 11 + 5) % 30, (s * 13 + 1) % 30]);
    const problem = { weights: Array.from({ length: 30 }, (_, d) => 1 + (d % 4)), covers };
    const greedy = greedyMaxCoverage(problem, 6);
    expect(greedy.upperBound).toBeGreaterThan(greedy.value);
    expect(exactMaxCoverage(problem, 6, 3)).toBeNull();
    expect(exactMaxCoverage(problem, 6)!.value).toBeGreaterThanOrEqual(greedy.value);
  });
});
