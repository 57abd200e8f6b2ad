/**
 * Suggested sites for N new facilities of a kind: maximal-coverage location over
 * candidate points, weighted by the demand model of demand.ts. Candidates are
 * road nodes (evenly thinned to exactly `maxCandidates` in id order), estates' centroids
 * or the centres of a hexagon lattice of side `hexM` metres over the city (or the
 * region), the last two snapped to their nearest road node within SNAP_DISTANCE_M
 * (points with none are dropped) and then thinned the same way.
 * A candidate reaches a grid's demand if the walk candidate → its node → the
 * grid's nearest road node → its label point is within the 15-minute budget (the
 * Node Dijkstra of nodeNetwork.ts on the walking graph, on both engines).
 *
 * Who reaches whom depends only on the network, the grids and the candidates, not
 * on the facilities or the weights, so it is kept in memory per data version
 * (`reachTable`) and warmed in the background (sitingWarmer.ts): a suggestion then
 * costs the greedy alone. Greedy (kernel/maxCoverage.ts) with its bounds; the
 * exact optimum as well when the problem is small; "largest blind spot first" for comparison.
 */
import { sql } from 'drizzle-orm';
import { blindSpotFirst, exactMaxCoverage, greedyMaxCoverage, type CoverageProblem } from '../../kernel/maxCoverage';
import { FACILITY_KIND_INFO, type FacilityKind } from '../../kernel/facilityKinds';
import type { DbHandle } from '../../db/client';
import { ReachSearch, walkGraphFor } from '../coverage/nodeNetwork';
import { floatArray } from '../coverage/sqlArrays';
import { COVERAGE_MINUTES, SNAP_DISTANCE_M, walkingBudgetM } from '../coverage/walking';
import { demandPoints, type DemandOptions, type DemandPoint } from './demand';
import { versionedCache } from './versionedCache';

export const CANDIDATE_SOURCES = ['nodes', 'estates', 'hexagons'] as const;
export type CandidateSource = (typeof CANDIDATE_SOURCES)[number];
export const CANDIDATE_SOURCE_NAMES: Record<CandidateSource, string> = { nodes: '路网节点', estates: '小区中心', hexagons: '六边形网格' };
export const DEFAULT_HEX_M = 300;

export interface CandidateOptions {
  source: CandidateSource;
  /** Hexagon side, metres (source 'hexagons'). */
  hexM: number;
  maxCandidates: number;
  region?: string;
  speedMPerMin: number;
}

export interface SuggestOptions extends DemandOptions, CandidateOptions {
  kind: FacilityKind;
  count: number;
  /** Try the exact solver when count ≤ this. */
  exactUpTo: number;
}

export interface CandidatePoint {
  /** Road node id, estate id, or the lattice cell's number. */
  id: number;
  position: [number, number];
  /** The road node the walk starts from and the walk to it, metres. */
  node: number;
  offset: number;
}

/** Who reaches whom: per candidate, indices into gridIds and the walking distance to each. */
export interface ReachTable {
  version: string;
  gridIds: number[];
  candidates: CandidatePoint[];
  covers: Int32Array[];
  distances: Float32Array[];
  /** Candidate points of the source that no road node is near (skipped). */
  unsnapped: number;
  computedMs: number;
}

export interface SitingProblem {
  demand: DemandPoint[];
  candidates: CandidatePoint[];
  problem: CoverageProblem;
  table: ReachTable;
}

async function nearestNodes(db: DbHandle, points: ([number, number] | null)[]): Promise<({ node: number; m: number } | null)[]> {
  const at = points.flatMap((p, i) => (p ? [{ i, p }] : []));
  const out: ({ node: number; m: number } | null)[] = points.map(() => null);
  if (at.length === 0) return out;
  const rows = await db.rows<{ n: number; node: number | null; m: number | null }>(sql`
    SELECT p.n, s.id AS node, s.m
    FROM unnest(${floatArray(at.map((x) => x.p[0]))}::float8[], ${floatArray(at.map((x) => x.p[1]))}::float8[]) WITH ORDINALITY AS p(lon, lat, n)
    JOIN LATERAL (
      SELECT x.id, ST_Distance(x.geom::geography, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)::geography) AS m
      FROM (SELECT id, geom FROM road_nodes ORDER BY geom <-> ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326) LIMIT 4) x
      ORDER BY m, x.id LIMIT 1
    ) s ON s.m <= ${SNAP_DISTANCE_M}
    ORDER BY p.n`);
  for (const r of rows) out[at[Number(r.n) - 1]!.i] = { node: Number(r.node), m: Number(r.m) };
  return out;
}

const inRegionSql = (region: string | undefined, geom: ReturnType<typeof sql>) => (region ? sql`EXISTS (SELECT 1 FROM regions r WHERE r.code = ${region} AND ST_Covers(r.geom, ${geom}))` : sql`true`);

/**
 * `max` of `points` spread evenly over their order (the i-th kept is at ⌊i·n / max⌋), all of them
 * when there are no more than `max`: exactly `max` remain, not every ⌈n / max⌉-th (which leaves as
 * few as half).
 */
export const thin = <T>(points: readonly T[], max: number): T[] => {
  const n = points.length;
  if (n <= max) return [...points];
  return Array.from({ length: Math.max(0, max) }, (_, i) => points[Math.floor((i * n) / max)] as T);
};

async function nodeCandidates(db: DbHandle, o: CandidateOptions): Promise<CandidatePoint[]> {
  const rows = await db.rows<{ id: number; lon: number; lat: number }>(sql`
    SELECT n.id, ST_X(n.geom) AS lon, ST_Y(n.geom) AS lat FROM road_nodes n WHERE ${inRegionSql(o.region, sql`n.geom`)} ORDER BY n.id`);
  return thin(rows, o.maxCandidates).map((r) => ({ id: Number(r.id), position: [Number(r.lon), Number(r.lat)], node: Number(r.id), offset: 0 }));
}

/** The points snapped to their nearest road node (those with none near are dropped), then thinned to `max`. */
async function snapped(db: DbHandle, points: { id: number; position: [number, number] }[], max: number): Promise<{ candidates: CandidatePoint[]; unsnapped: number }> {
  const snaps = await nearestNodes(
    db,
    points.map((p) => p.position),
  );
  const candidates: CandidatePoint[] = [];
  points.forEach((p, i) => {
    const s = snaps[i];
    if (s) candidates.push({ ...p, node: s.node, offset: s.m });
  });
  return { candidates: thin(candidates, max), unsnapped: points.length - candidates.length };
}

async function estateCandidates(db: DbHandle, o: CandidateOptions) {
  const rows = await db.rows<{ id: number; lon: number; lat: number }>(sql`
    SELECT e.id, ST_X(c.p) AS lon, ST_Y(c.p) AS lat
    FROM estates e CROSS JOIN LATERAL (SELECT ST_Centroid(e.geom) AS p) c
    WHERE ${inRegionSql(o.region, sql`c.p`)} ORDER BY e.id`);
  return snapped(
    db,
    rows.map((r) => ({ id: Number(r.id), position: [Number(r.lon), Number(r.lat)] as [number, number] })),
    o.maxCandidates,
  );
}

/** Centres of a pointy-top hexagon lattice of side `side` metres over the city (or region), inside it. */
async function hexagonCandidates(db: DbHandle, o: CandidateOptions) {
  const [box] = await db.rows<{ x0: number | null; y0: number | null; x1: number; y1: number }>(sql`
    SELECT ST_XMin(e) AS x0, ST_YMin(e) AS y0, ST_XMax(e) AS x1, ST_YMax(e) AS y1
    FROM (SELECT ST_Extent(geom)::geometry AS e FROM regions WHERE ${o.region ? sql`code = ${o.region}` : sql`level = 'city'`}) t`);
  if (!box || box.x0 === null || box.y0 === null) return { candidates: [], unsnapped: 0 };
  const [x0, y0, x1, y1] = [Number(box.x0), Number(box.y0), Number(box.x1), Number(box.y1)];
  const phi = (((y0 + y1) / 2) * Math.PI) / 180;
  const mPerDegLat = 111132.92 - 559.82 * Math.cos(2 * phi) + 1.175 * Math.cos(4 * phi);
  const mPerDegLon = 111412.84 * Math.cos(phi) - 93.5 * Math.cos(3 * phi);
  const dx = (Math.sqrt(3) * o.hexM) / mPerDegLon;
  const dy = (1.5 * o.hexM) / mPerDegLat;
  const lons: number[] = [];
  const lats: number[] = [];
  for (let j = 0; y0 + j * dy <= y1; j++) {
    for (let i = 0; x0 + (i + (j % 2) / 2) * dx <= x1; i++) {
      lons.push(x0 + (i + (j % 2) / 2) * dx);
      lats.push(y0 + j * dy);
    }
  }
  const inside = await db.rows<{ n: number; lon: number; lat: number }>(sql`
    SELECT p.n, p.lon, p.lat FROM unnest(${floatArray(lons)}::float8[], ${floatArray(lats)}::float8[]) WITH ORDINALITY AS p(lon, lat, n)
    WHERE EXISTS (SELECT 1 FROM regions r WHERE ${o.region ? sql`r.code = ${o.region}` : sql`r.level = 'city'`} AND ST_Covers(r.geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)))
    ORDER BY p.n`);
  return snapped(
    db,
    inside.map((r) => ({ id: Number(r.n), position: [Number(r.lon), Number(r.lat)] as [number, number] })),
    o.maxCandidates,
  );
}

/** What the reach table rests on: the road network, the grid set and the estates. */
async function reachVersion(db: DbHandle): Promise<string> {
  const [row] = await db.rows<{ v: string }>(sql`
    SELECT concat_ws('|',
      coalesce((SELECT value #>> '{}' FROM meta WHERE key = 'network_version'), '0'),
      (SELECT concat_ws(':', count(*), coalesce(sum(id), 0), coalesce(max(updated_at)::text, '')) FROM grids),
      (SELECT concat_ws(':', count(*), coalesce(sum(id), 0), coalesce(max(updated_at)::text, '')) FROM estates)) AS v`);
  return String(row!.v);
}

/** The grids (id order) and, per road node, the grids whose label point snaps to it and the walk from it, metres. */
interface GridSnaps {
  gridIds: number[];
  gridsAt: Map<number, { g: number; m: number }[]>;
}

async function computeGridSnaps(db: DbHandle): Promise<GridSnaps> {
  const grids = await db.rows<{ id: number; lon: number | null; lat: number | null }>(sql`SELECT id, ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM grids ORDER BY id`);
  const snaps = await nearestNodes(
    db,
    grids.map((g) => (g.lon === null || g.lat === null ? null : [Number(g.lon), Number(g.lat)])),
  );
  const gridsAt = new Map<number, { g: number; m: number }[]>();
  snaps.forEach((s, g) => {
    if (!s) return;
    const list = gridsAt.get(s.node) ?? [];
    list.push({ g, m: s.m });
    gridsAt.set(s.node, list);
  });
  return { gridIds: grids.map((g) => Number(g.id)), gridsAt };
}

/** The grids' snaps depend on the network and the grids alone: one computation serves every candidate source. */
const gridSnapCache = versionedCache<GridSnaps>();

async function computeReachTable(db: DbHandle, version: string, o: CandidateOptions): Promise<ReachTable> {
  const t0 = performance.now();
  const [{ candidates, unsnapped }, { gridIds, gridsAt }] = await Promise.all([
    o.source === 'nodes' ? nodeCandidates(db, o).then((candidates) => ({ candidates, unsnapped: 0 })) : o.source === 'estates' ? estateCandidates(db, o) : hexagonCandidates(db, o),
    gridSnapCache.get(db, 'grids', version, () => computeGridSnaps(db)),
  ]);
  const [network] = await db.rows<{ v: number }>(sql`SELECT coalesce((SELECT (value #>> '{}')::int FROM meta WHERE key = 'network_version'), 0) AS v`);
  const graph = await walkGraphFor(db, Number(network!.v));
  const budget = walkingBudgetM(COVERAGE_MINUTES, o.speedMPerMin);
  const covers: Int32Array[] = [];
  const distances: Float32Array[] = [];
  const search = new ReachSearch(graph);
  for (const c of candidates) {
    const cov: number[] = [];
    const dist: number[] = [];
    search.run([{ node: c.node, offset: c.offset }], budget, (node, metres) => {
      const at = gridsAt.get(node);
      if (!at) return;
      for (const x of at) {
        if (metres + x.m <= budget) {
          cov.push(x.g);
          dist.push(metres + x.m);
        }
      }
    });
    covers.push(Int32Array.from(cov));
    distances.push(Float32Array.from(dist));
  }
  return { version, gridIds, candidates, covers, distances, unsnapped, computedMs: performance.now() - t0 };
}

const tables = versionedCache<ReachTable>();

/** Who reaches whom for these candidates, recomputed when the network, grids or estates change. */
export async function reachTable(db: DbHandle, o: CandidateOptions): Promise<ReachTable> {
  const version = await reachVersion(db);
  const key = [o.source, o.source === 'hexagons' ? o.hexM : '', o.maxCandidates, o.region ?? '', o.speedMPerMin].join('|');
  return tables.get(db, key, version, () => computeReachTable(db, version, o));
}

/** Drops every cached reach table of this database (tests, the bench's cold run). */
export function forgetReachTables(db: DbHandle): void {
  tables.forget(db);
  gridSnapCache.forget(db);
}

/** Demand, candidates and who reaches whom (demand: the grids of weight > 0). */
export async function sitingProblem(db: DbHandle, options: SuggestOptions): Promise<SitingProblem> {
  // Both at once: the reach table is mostly Dijkstra in Node, the demand mostly the overlay in the database.
  const [table, allDemand] = await Promise.all([reachTable(db, options), demandPoints(db, options)]);
  const demand = allDemand.filter((d) => d.weight > 0);
  const demandOf = new Map(demand.map((d, i) => [d.gridId, i]));
  const index = Int32Array.from(table.gridIds, (id) => demandOf.get(id) ?? -1);
  const covers: number[][] = [];
  const distances: number[][] = [];
  for (let s = 0; s < table.candidates.length; s++) {
    const cov: number[] = [];
    const dist: number[] = [];
    const from = table.covers[s]!;
    for (let k = 0; k < from.length; k++) {
      const d = index[from[k]!]!;
      if (d >= 0) {
        cov.push(d);
        dist.push(table.distances[s]![k]!);
      }
    }
    covers.push(cov);
    distances.push(dist);
  }
  return { demand, candidates: table.candidates, table, problem: { weights: demand.map((d) => d.weight), covers, distances } };
}

export async function suggestSites(db: DbHandle, options: SuggestOptions) {
  const t0 = performance.now();
  const { demand, candidates, problem, table } = await sitingProblem(db, options);
  const t1 = performance.now();
  const greedy = greedyMaxCoverage(problem, options.count);
  const t2 = performance.now();
  const exact = options.count <= options.exactUpTo ? exactMaxCoverage(problem, options.count) : null;
  const heuristic = blindSpotFirst(problem, options.count);
  const totalWeight = demand.reduce((s, d) => s + d.weight, 0);
  const site = (s: number) => {
    const covered = problem.covers[s]!;
    return { candidateId: candidates[s]!.id, position: candidates[s]!.position, reachableDemandPoints: covered.length };
  };
  const name = FACILITY_KIND_INFO[options.kind].label;
  const sourceText =
    options.source === 'nodes'
      ? `路网节点（均匀抽取至多 ${options.maxCandidates} 个）`
      : options.source === 'estates'
        ? `小区中心（各小区的形心，接入 ${SNAP_DISTANCE_M} 米内最近的路网节点）`
        : `边长 ${options.hexM} 米的六边形网格中心（接入 ${SNAP_DISTANCE_M} 米内最近的路网节点）`;
  return {
    kind: options.kind,
    count: options.count,
    source: options.source,
    sourceName: CANDIDATE_SOURCE_NAMES[options.source],
    hexM: options.source === 'hexagons' ? options.hexM : null,
    demandModel: `需求 = 各网格（户数 + ${options.incidentWeight} × 近 365 天${options.categories.length ? `类别 ${options.categories.join('、')} 的` : ''}事件数）× 网格未被现有${name}15 分钟圈覆盖的面积比例，置于网格标注点；候选点为${sourceText}；步行 ${walkingBudgetM(COVERAGE_MINUTES, options.speedMPerMin)} 米内可达即覆盖`,
    demandPoints: demand.length,
    candidates: candidates.length,
    /** Candidate points with no road node within reach of a snap (estates, hexagons). */
    unsnappedCandidates: table.unsnapped,
    totalWeight,
    greedy: {
      value: greedy.value,
      steps: greedy.steps.map((s, i) => ({ order: i + 1, ...site(s.site), gain: s.gain, total: s.total })),
      guarantee: greedy.guarantee,
      upperBound: greedy.upperBound,
      /** Greedy is within this share of the optimum (from the data-dependent bound). */
      gapAtMost: greedy.upperBound > 0 ? 1 - greedy.value / greedy.upperBound : 0,
    },
    exact: exact ? { value: exact.value, sites: exact.sites.map(site), nodes: exact.nodes, gap: exact.value > 0 ? 1 - greedy.value / exact.value : 0 } : null,
    blindSpotFirst: { value: heuristic.value, sites: heuristic.sites.map(site) },
    elapsedMs: { problem: Math.round(t1 - t0), greedy: Math.round(t2 - t1), reachTable: Math.round(table.computedMs) },
  };
}
