/**
 * A walkable street network: a jittered street lattice, dense in urban cores and
 * thinning to every fourth line in the countryside, with named arterials.
 * Laid out in pgRouting's shape (nodes, edges with source/target and costs in metres).
 */
import type { Position } from './lattice';
import type { Random } from './random';

export interface RoadNetwork {
  nodes: { id: number; position: Position }[];
  edges: { id: number; source: number; target: number; name: string | null; roadClass: 'arterial' | 'street' | 'lane'; lengthM: number; coords: [Position, Position] }[];
  /** Node positions along the main north-bound arterial (the 玉北 belt). */
  beltRoute: Position[];
}

export interface RoadOptions {
  random: Random;
  /** Local metres (relative to the sample's centre) → lon/lat. */
  toLonLat: (x: number, y: number) => Position;
  radius: number;
  contains: (x: number, y: number) => boolean;
  urbanCentres: { x: number; y: number; radius: number }[];
  /** The street lattice is aligned so that a node sits here. */
  origin: { x: number; y: number };
}

const SPACING_M = 160;
const NS_ARTERIALS = ['人民路', '教育路', '民主路', '江滨路', '清湾路', '玉东大道', '城站路', '新民路', '金港大道', '东明路'];
const EW_ARTERIALS = ['一环北路', '人民中路', '广场路', '二环北路', '玉柴大道', '南江路', '城西路', '名山大道', '北流路', '茂林路'];

export function generateRoads(options: RoadOptions): RoadNetwork {
  const { random, origin } = options;
  const steps = Math.ceil(options.radius / SPACING_M) + 1;
  const key = (i: number, j: number) => `${i},${j}`;
  const local = new Map<string, { x: number; y: number }>();
  for (let j = -steps; j <= steps; j++) {
    for (let i = -steps; i <= steps; i++) {
      const x = origin.x + i * SPACING_M + (i === 0 ? 0 : random.range(-25, 25));
      const y = origin.y + j * SPACING_M + (j === 0 ? 0 : random.range(-25, 25));
      if (options.contains(x, y)) local.set(key(i, j), { x, y });
    }
  }
  const urban = (x: number, y: number) => options.urbanCentres.some((c) => Math.hypot(x - c.x, y - c.y) < c.radius);

  const nodeIds = new Map<string, number>();
  const nodes: RoadNetwork['nodes'] = [];
  const nodeId = (k: string) => {
    let id = nodeIds.get(k);
    if (id === undefined) {
      id = nodes.length + 1;
      nodeIds.set(k, id);
      const p = local.get(k) as { x: number; y: number };
      nodes.push({ id, position: options.toLonLat(p.x, p.y) });
    }
    return id;
  };
  const edges: RoadNetwork['edges'] = [];
  const addEdge = (a: string, b: string, lineIndex: number, names: string[]) => {
    const p = local.get(a);
    const q = local.get(b);
    if (!p || !q) return;
    const arterial = lineIndex % 8 === 0;
    const isUrban = urban((p.x + q.x) / 2, (p.y + q.y) / 2);
    if (!arterial && !isUrban && lineIndex % 4 !== 0) return;
    const source = nodeId(a);
    const target = nodeId(b);
    edges.push({
      id: edges.length + 1,
      source,
      target,
      name: arterial ? (names[Math.abs(lineIndex / 8) % names.length] as string) : null,
      roadClass: arterial ? 'arterial' : isUrban ? 'street' : 'lane',
      lengthM: Math.round(Math.hypot(q.x - p.x, q.y - p.y) * 10) / 10,
      coords: [nodes[source - 1]!.position, nodes[target - 1]!.position],
    });
  };
  for (let j = -steps; j <= steps; j++) {
    for (let i = -steps; i <= steps; i++) {
      addEdge(key(i, j), key(i + 1, j), j, EW_ARTERIALS);
      addEdge(key(i, j), key(i, j + 1), i, NS_ARTERIALS);
    }
  }
  const beltRoute: Position[] = [];
  for (let j = 0; j <= 40 && local.has(key(0, j)); j++) {
    const p = local.get(key(0, j)) as { x: number; y: number };
    beltRoute.push(options.toLonLat(p.x, p.y));
  }
  return { nodes, edges, beltRoute };
}
