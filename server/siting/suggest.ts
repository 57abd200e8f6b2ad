/**
 * Suggested sites for N new facilities of a kind: maximal-coverage location over
 * candidate points (road nodes, evenly thinned to `maxCandidates` in id order),
 * weighted by the demand model of demand.ts. A candidate reaches a demand point
 * if the walk node → the point's nearest road node → the point is within the
 * 15-minute budget (the Node Dijkstra of nodeNetwork.ts on the walking graph, on
 * both engines; demand farther than SNAP_DISTANCE_M from any road is unreachable).
 * Greedy (kernel/maxCoverage.ts) with its bounds; the exact optimum as well when
 * the problem is small; "largest blind spot first" for comparison.
 * Estates' centroids join the candidates once an `estates` table exists (branch party-orgs).
 */
import { sql } from 'drizzle-orm';
import { blindSpotFirst, exactMaxCoverage, greedyMaxCoverage, type CoverageProblem } from '../../kernel/maxCoverage';
import { FACILITY_KIND_INFO, type FacilityKind } from '../../kernel/facilityKinds';
import type { DbHandle } from '../../db/client';
import { currentNetworkVersion } from '../coverage/networkVersion';
import { reachWithin, walkGraphFor } from '../coverage/nodeNetwork';
import { floatArray } from '../coverage/sqlArrays';
import { COVERAGE_MINUTES, SNAP_DISTANCE_M, walkingBudgetM } from '../coverage/walking';
import { demandPoints, type DemandOptions, type DemandPoint } from './demand';

export interface SuggestOptions extends DemandOptions {
  kind: FacilityKind;
  count: number;
  maxCandidates: number;
  /** Try the exact solver when count ≤ this. */
  exactUpTo: number;
}

export interface SitingProblem {
  demand: DemandPoint[];
  candidates: { id: number; position: [number, number] }[];
  problem: CoverageProblem;
}

async function nearestNodes(db: DbHandle, points: [number, number][]): Promise<({ node: number; m: number } | null)[]> {
  if (points.length === 0) return [];
  const rows = await db.rows<{ n: number; node: number | null; m: number | null }>(sql`
    SELECT p.n, s.id AS node, s.m
    FROM unnest(${floatArray(points.map((p) => p[0]))}::float8[], ${floatArray(points.map((p) => p[1]))}::float8[]) WITH ORDINALITY AS p(lon, lat, n)
    LEFT JOIN LATERAL (
      SELECT x.id, ST_Distance(x.geom::geography, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)::geography) AS m
      FROM (SELECT id, geom FROM road_nodes ORDER BY geom <-> ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326) LIMIT 4) x
      ORDER BY m, x.id LIMIT 1
    ) s ON s.m <= ${SNAP_DISTANCE_M}
    ORDER BY p.n`);
  return rows.map((r) => (r.node === null ? null : { node: Number(r.node), m: Number(r.m) }));
}

async function candidatePoints(db: DbHandle, maxCandidates: number, region: string | undefined): Promise<{ id: number; position: [number, number] }[]> {
  const inRegion = region ? sql`AND EXISTS (SELECT 1 FROM regions r WHERE r.code = ${region} AND ST_Covers(r.geom, n.geom))` : sql``;
  const [{ total }] = (await db.rows<{ total: number }>(sql`SELECT count(*)::int AS total FROM road_nodes n WHERE true ${inRegion}`)) as [{ total: number }];
  const stride = Math.max(1, Math.ceil(Number(total) / maxCandidates));
  const rows = await db.rows<{ id: number; lon: number; lat: number }>(sql`
    SELECT id, lon, lat FROM (
      SELECT n.id, ST_X(n.geom) AS lon, ST_Y(n.geom) AS lat, row_number() OVER (ORDER BY n.id) AS k FROM road_nodes n WHERE true ${inRegion}
    ) t WHERE (k - 1) % ${stride} = 0 ORDER BY id LIMIT ${maxCandidates}`);
  return rows.map((r) => ({ id: Number(r.id), position: [Number(r.lon), Number(r.lat)] }));
}

/** Demand, candidates and who reaches whom. */
export async function sitingProblem(db: DbHandle, options: SuggestOptions): Promise<SitingProblem> {
  const demand = (await demandPoints(db, options)).filter((d) => d.weight > 0);
  const candidates = await candidatePoints(db, options.maxCandidates, options.region);
  const snaps = await nearestNodes(
    db,
    demand.map((d) => d.position),
  );
  const demandAt = new Map<number, { d: number; m: number }[]>();
  snaps.forEach((s, d) => {
    if (!s) return;
    const list = demandAt.get(s.node) ?? [];
    list.push({ d, m: s.m });
    demandAt.set(s.node, list);
  });
  const graph = await walkGraphFor(db, await currentNetworkVersion(db));
  const budget = walkingBudgetM(COVERAGE_MINUTES, options.speedMPerMin);
  const covers: number[][] = [];
  const distances: number[][] = [];
  for (const c of candidates) {
    const reach = reachWithin(graph, [{ node: c.id, offset: 0 }], budget);
    const cov: number[] = [];
    const dist: number[] = [];
    for (const [node, metres] of reach) {
      for (const x of demandAt.get(node) ?? []) {
        if (metres + x.m <= budget) {
          cov.push(x.d);
          dist.push(metres + x.m);
        }
      }
    }
    covers.push(cov);
    distances.push(dist);
  }
  return { demand, candidates, problem: { weights: demand.map((d) => d.weight), covers, distances } };
}

export async function suggestSites(db: DbHandle, options: SuggestOptions) {
  const t0 = performance.now();
  const { demand, candidates, problem } = await sitingProblem(db, options);
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
  return {
    kind: options.kind,
    count: options.count,
    demandModel: `需求 = 各网格（户数 + ${options.incidentWeight} × 近 365 天${options.categories.length ? `类别 ${options.categories.join('、')} 的` : ''}事件数）× 网格未被现有${options.kind ? name : '阵地'}15 分钟圈覆盖的面积比例，置于网格标注点；候选点为路网节点（均匀抽取至多 ${options.maxCandidates} 个）；步行 ${walkingBudgetM(COVERAGE_MINUTES, options.speedMPerMin)} 米内可达即覆盖`,
    demandPoints: demand.length,
    candidates: candidates.length,
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
    elapsedMs: { problem: Math.round(t1 - t0), greedy: Math.round(t2 - t1) },
  };
}
