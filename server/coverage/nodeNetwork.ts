/**
 * Network search in Node for the embedded engine (PGlite has no pgRouting):
 * the road graph held in compact arrays, and a bounded multi-source Dijkstra
 * equivalent to pgr_drivingDistance(…, directed := false) over `cost`.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';

export interface RoadEdgeRow {
  id: number;
  source: number;
  target: number;
  cost: number;
}

/** An undirected graph in compressed-sparse-row form (walkers ignore one-way rules). */
export interface WalkGraph {
  nodeIds: Int32Array;
  indexOf: Map<number, number>;
  offsets: Int32Array;
  neighbours: Int32Array;
  costs: Float64Array;
}

export function buildWalkGraph(edges: RoadEdgeRow[]): WalkGraph {
  const indexOf = new Map<number, number>();
  const ids: number[] = [];
  const usable = edges.filter((e) => Number(e.cost) >= 0); // pgRouting: a negative cost means "no edge"
  const index = (id: number) => {
    let i = indexOf.get(id);
    if (i === undefined) {
      i = ids.length;
      indexOf.set(id, i);
      ids.push(id);
    }
    return i;
  };
  const ends = usable.map((e) => [index(Number(e.source)), index(Number(e.target))] as const);
  const degree = new Int32Array(ids.length + 1);
  for (const [a, b] of ends) {
    degree[a + 1]! += 1;
    degree[b + 1]! += 1;
  }
  const offsets = new Int32Array(ids.length + 1);
  for (let i = 1; i <= ids.length; i++) offsets[i] = offsets[i - 1]! + degree[i]!;
  const fill = offsets.slice(0, ids.length);
  const neighbours = new Int32Array(offsets[ids.length]!);
  const costs = new Float64Array(offsets[ids.length]!);
  usable.forEach((e, k) => {
    const [a, b] = ends[k]!;
    const cost = Number(e.cost);
    neighbours[fill[a]!] = b;
    costs[fill[a]!++] = cost;
    neighbours[fill[b]!] = a;
    costs[fill[b]!++] = cost;
  });
  return { nodeIds: Int32Array.from(ids), indexOf, offsets, neighbours, costs };
}

/** Minimal binary min-heap of (distance, node index) pairs. */
class MinHeap {
  private keys: number[] = [];
  private values: number[] = [];
  get size() {
    return this.keys.length;
  }
  push(key: number, value: number) {
    const keys = this.keys;
    const values = this.values;
    let i = keys.length;
    keys.push(key);
    values.push(value);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent]! <= key) break;
      keys[i] = keys[parent]!;
      values[i] = values[parent]!;
      i = parent;
    }
    keys[i] = key;
    values[i] = value;
  }
  pop(): [number, number] {
    const keys = this.keys;
    const values = this.values;
    const top: [number, number] = [keys[0]!, values[0]!];
    const lastKey = keys.pop()!;
    const lastValue = values.pop()!;
    const n = keys.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const child = r < n && keys[r]! < keys[l]! ? r : l;
        if (keys[child]! >= lastKey) break;
        keys[i] = keys[child]!;
        values[i] = values[child]!;
        i = child;
      }
      keys[i] = lastKey;
      values[i] = lastValue;
    }
    return top;
  }
}

/**
 * Shortest walking distance from a set of start nodes (each with a head start,
 * e.g. the walk from the centre to that node along its snapped edge) to every
 * node within `maxDistance`. Returns node id → metres.
 */
export function reachWithin(graph: WalkGraph, starts: { node: number; offset: number }[], maxDistance: number): Map<number, number> {
  const dist = new Map<number, number>();
  new ReachSearch(graph).run(starts, maxDistance, (node, d) => dist.set(node, d));
  return dist;
}

/**
 * The search of reachWithin, reusable for many searches on one graph (the siting
 * reach table runs thousands): its distance array is allocated once and only the
 * entries a search touched are reset, and reached nodes go to a visitor instead of
 * a Map. Same heap, same order: the nodes come out exactly as reachWithin lists them.
 */
export class ReachSearch {
  private readonly best: Float64Array;
  private touched: Int32Array;
  private touchedCount = 0;

  constructor(private readonly graph: WalkGraph) {
    this.best = new Float64Array(graph.nodeIds.length).fill(Infinity);
    this.touched = new Int32Array(64);
  }

  private touch(i: number) {
    if (this.touchedCount === this.touched.length) {
      const grown = new Int32Array(this.touched.length * 2);
      grown.set(this.touched);
      this.touched = grown;
    }
    this.touched[this.touchedCount++] = i;
  }

  /** Calls `visit(node id, metres)` for every node within `maxDistance`, nearest first. */
  run(starts: readonly { node: number; offset: number }[], maxDistance: number, visit: (node: number, metres: number) => void): void {
    const { graph, best } = this;
    const heap = new MinHeap();
    for (const s of starts) {
      const i = graph.indexOf.get(s.node);
      if (i === undefined || s.offset > maxDistance || s.offset >= best[i]!) continue;
      if (best[i] === Infinity) this.touch(i);
      best[i] = s.offset;
      heap.push(s.offset, i);
    }
    while (heap.size > 0) {
      const [d, i] = heap.pop();
      if (d > best[i]!) continue; // stale entry
      visit(graph.nodeIds[i]!, d);
      for (let k = graph.offsets[i]!; k < graph.offsets[i + 1]!; k++) {
        const j = graph.neighbours[k]!;
        const nd = d + graph.costs[k]!;
        if (nd <= maxDistance && nd < best[j]!) {
          if (best[j] === Infinity) this.touch(j);
          best[j] = nd;
          heap.push(nd, j);
        }
      }
    }
    for (let k = 0; k < this.touchedCount; k++) best[this.touched[k]!] = Infinity;
    this.touchedCount = 0;
  }
}

/** One graph per database handle, rebuilt when the network version moves on. */
const graphs = new WeakMap<DbHandle, { version: number; graph: Promise<WalkGraph> }>();

/** Edges read per statement: short statements let other queries in between on the single-connection embedded engine. */
const EDGE_PAGE = 5000;

async function readEdges(db: DbHandle): Promise<RoadEdgeRow[]> {
  const edges: RoadEdgeRow[] = [];
  for (let after = -(2 ** 31) - 1; ; ) {
    const page = await db.rows<RoadEdgeRow>(sql`SELECT id, source, target, cost FROM road_edges WHERE id > ${after}::bigint ORDER BY id LIMIT ${EDGE_PAGE}`);
    edges.push(...page);
    if (page.length < EDGE_PAGE) return edges;
    after = Number(page[page.length - 1]!.id);
  }
}

export function walkGraphFor(db: DbHandle, networkVersion: number): Promise<WalkGraph> {
  const cached = graphs.get(db);
  if (cached && cached.version === networkVersion) return cached.graph;
  const graph = readEdges(db).then(buildWalkGraph);
  graphs.set(db, { version: networkVersion, graph });
  graph.catch(() => graphs.delete(db));
  return graph;
}
