import { describe, expect, it } from 'vitest';
import { buildWalkGraph, reachWithin, type RoadEdgeRow } from './nodeNetwork';

/**
 * A 4×4 lattice, node (i, j) has id 1 + i + 4j; east–west edges are 200 m,
 * north–south edges 150 m, so the walking distance between (i, j) and (k, l)
 * is 200·|i−k| + 150·|j−l| — every expectation below follows from that.
 */
function lattice(): RoadEdgeRow[] {
  const id = (i: number, j: number) => 1 + i + 4 * j;
  const edges: RoadEdgeRow[] = [];
  for (let j = 0; j < 4; j++) for (let i = 0; i < 3; i++) edges.push({ id: edges.length + 1, source: id(i, j), target: id(i + 1, j), cost: 200 });
  for (let i = 0; i < 4; i++) for (let j = 0; j < 3; j++) edges.push({ id: edges.length + 1, source: id(i, j), target: id(i, j + 1), cost: 150 });
  return edges;
}
const manhattan = (i: number, j: number, k: number, l: number) => 200 * Math.abs(i - k) + 150 * Math.abs(j - l);

describe('walking network search (Node Dijkstra)', () => {
  it('finds the lattice distance to every node from a start node', () => {
    const reach = reachWithin(buildWalkGraph(lattice()), [{ node: 6, offset: 0 }], 10_000);
    expect(reach.size).toBe(16);
    for (let j = 0; j < 4; j++) for (let i = 0; i < 4; i++) expect(reach.get(1 + i + 4 * j)).toBeCloseTo(manhattan(i, j, 1, 1), 9);
  });

  it('walks edges both ways (pedestrians ignore one-way rules)', () => {
    // Every edge is stored source → target with increasing i/j; from the far corner we must walk them backwards.
    const reach = reachWithin(buildWalkGraph(lattice()), [{ node: 16, offset: 0 }], 10_000);
    expect(reach.get(1)).toBe(600 + 450);
  });

  it('stops at the distance bound and keeps nodes exactly on it', () => {
    const reach = reachWithin(buildWalkGraph(lattice()), [{ node: 1, offset: 0 }], 350);
    // (0,0)=0, (1,0)=200, (0,1)=150, (0,2)=300, (1,1)=350 — (2,0)=400 and (0,3)=450 are beyond.
    expect(Object.fromEntries([...reach].sort((a, b) => a[0] - b[0]))).toEqual({ 1: 0, 2: 200, 5: 150, 6: 350, 9: 300 });
  });

  it('starts from several nodes with a head start each (a centre snapped mid-edge)', () => {
    // Centre 30 m off the middle of edge (0,0)–(1,0): 30 + 100 m to either end.
    const reach = reachWithin(
      buildWalkGraph(lattice()),
      [
        { node: 1, offset: 130 },
        { node: 2, offset: 130 },
      ],
      10_000,
    );
    for (let j = 0; j < 4; j++) for (let i = 0; i < 4; i++) expect(reach.get(1 + i + 4 * j)).toBeCloseTo(130 + Math.min(manhattan(i, j, 0, 0), manhattan(i, j, 1, 0)), 9);
  });

  it('ignores edges with a negative cost (pgRouting: no edge) and starts beyond the bound', () => {
    const edges = lattice().map((e) => (e.source === 1 && e.target === 2 ? { ...e, cost: -1 } : e));
    const reach = reachWithin(buildWalkGraph(edges), [{ node: 1, offset: 0 }], 10_000);
    expect(reach.get(2)).toBe(150 + 200 + 150); // round the block via (0,1) and (1,1)
    expect(reachWithin(buildWalkGraph(lattice()), [{ node: 1, offset: 500 }], 400).size).toBe(0);
  });
});
