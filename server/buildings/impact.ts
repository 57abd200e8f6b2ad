/**
 * Why: a planner moving a boundary must see, before saving, whose households move. Inside the
 * edit's transaction (after the change and the rules, before commit or the dry run's rollback)
 * this reads what the grid versions written since `mark` touched and compares each building's
 * stored grid (buildings.grid_id) and each open incident's grid (incidents.grid_code) with the
 * grid that contains its point now. Only rows inside the extent of the changed grids are looked
 * at (GiST), so the cost follows the size of the edit, not of the city.
 *
 * The same comparison keeps the stored figures current on a real save (applyGridMoves, called by
 * gridWriteTransaction for every grid write): buildings follow the grid containing their point,
 * and open incidents follow too, so the new grid's workers take them over; closed incidents keep
 * the grid they were handled in.
 */
import { sql } from 'drizzle-orm';
import { executeRows, type Executor } from '../../db/client';
import { bandStatus, type BandStatus, type HouseholdBand } from '../../kernel/householdBand';
import { bandOf } from './bands';

const OPEN = sql`i.stage NOT IN ('close', 'evaluate')`;

export interface BuildingMove {
  code: string;
  name: string | null;
  households: number;
  population: number;
  from: string | null;
  to: string | null;
  /** Inside a 15-minute walking circle of a service centre. */
  covered: boolean;
}

export interface GridTotals {
  buildings: number;
  households: number;
  population: number;
  openIncidents: number;
  /** Households of buildings inside a 15-minute walking circle. */
  coveredHouseholds: number;
}

export interface GridImpact {
  code: string;
  name: string;
  /** The grid's registered households (grids.households), beside the sums of its buildings. */
  registeredHouseholds: number;
  before: GridTotals;
  after: GridTotals;
  status: BandStatus;
  statusBefore: BandStatus;
}

export interface WorkerLoad {
  username: string;
  displayName: string;
  gridCodes: string[];
  /** Open incidents in the worker's grids. */
  before: number;
  after: number;
}

export interface EditImpact {
  band: HouseholdBand & { configured: boolean };
  moved: { buildings: number; households: number; population: number; openIncidents: number; coveredHouseholds: number };
  buildings: BuildingMove[];
  incidents: { id: number; from: string | null; to: string | null }[];
  grids: GridImpact[];
  workers: WorkerLoad[];
}

/** The changed versions since `mark`, with their extent (one box: edits are local). */
const changed = (mark: number) => sql`
  v AS MATERIALIZED (SELECT grid_id, grid_code, before_geom, after_geom FROM grid_versions WHERE id > ${mark}),
  ext AS MATERIALIZED (SELECT ST_SetSRID(ST_Extent(g), 4326) AS box FROM (SELECT before_geom AS g FROM v UNION ALL SELECT after_geom FROM v) x)`;

const containing = (point: ReturnType<typeof sql>) => sql`(SELECT g.id FROM grids g WHERE g.geom && ${point} AND ST_Intersects(g.geom, ${point}) ORDER BY g.id LIMIT 1)`;

/** Buildings in the changed extent, with their stored grid and the grid containing their point now. */
const buildingCandidates = sql`
  SELECT b.id, b.code, b.name, b.households, b.population, b.grid_id AS old_id, b.geom, ${containing(sql`b.geom`)} AS new_id
  FROM buildings b, ext WHERE b.geom && ext.box`;

/** Open incidents in the changed extent, likewise; incidentMovesTo (candidate `c`, containing grid `g`) picks those whose grid changes. */
const incidentCandidates = sql`
  SELECT i.id, i.grid_code, ${containing(sql`i.geom`)} AS new_id FROM incidents i, ext WHERE i.geom && ext.box AND ${OPEN}`;
const incidentMovesTo = sql`c.grid_code IS DISTINCT FROM g.code AND (c.new_id IS NOT NULL OR c.grid_code IN (SELECT grid_code FROM v))`;

interface MoveRow {
  id: number;
  code: string;
  name: string | null;
  households: number;
  population: number;
  old_id: number | null;
  new_id: number | null;
  from_code: string | null;
  to_code: string | null;
  covered: boolean;
}

async function buildingMoves(tx: Executor, mark: number, withCoverage: boolean): Promise<MoveRow[]> {
  return executeRows<MoveRow>(
    tx,
    sql`
    WITH ${changed(mark)},
    cand AS (${buildingCandidates})
    SELECT c.id, c.code, c.name, c.households, c.population, c.old_id, c.new_id,
           coalesce(og.code, (SELECT grid_code FROM v WHERE v.grid_id = c.old_id LIMIT 1)) AS from_code, ng.code AS to_code,
           ${withCoverage ? sql`EXISTS (SELECT 1 FROM isochrones i WHERE i.minutes = 15 AND i.geom && c.geom AND ST_Intersects(i.geom, c.geom))` : sql`false`} AS covered
    FROM cand c LEFT JOIN grids og ON og.id = c.old_id LEFT JOIN grids ng ON ng.id = c.new_id
    WHERE c.old_id IS DISTINCT FROM c.new_id
    ORDER BY c.code`,
  );
}

interface IncidentMoveRow {
  id: number;
  from_code: string | null;
  to_code: string | null;
}

async function incidentMoves(tx: Executor, mark: number): Promise<IncidentMoveRow[]> {
  return executeRows<IncidentMoveRow>(
    tx,
    sql`
    WITH ${changed(mark)},
    cand AS (${incidentCandidates})
    SELECT c.id::int AS id, c.grid_code AS from_code, g.code AS to_code
    FROM cand c LEFT JOIN grids g ON g.id = c.new_id
    WHERE ${incidentMovesTo}
    ORDER BY c.id`,
  );
}

/**
 * Brings buildings' grids and open incidents' grids up to date after a grid write (in its
 * transaction). Called by gridWriteTransaction for every grid save, so it is one statement:
 * the same comparisons as buildingMoves and incidentMoves, applied by two data-modifying CTEs
 * over one scan of the versions (a no-op when nothing moved).
 */
export async function applyGridMoves(tx: Executor, mark: number): Promise<void> {
  await tx.execute(sql`
    WITH ${changed(mark)},
    bcand AS (${buildingCandidates}),
    bmoved AS (
      UPDATE buildings b SET grid_id = c.new_id, community_code = coalesce(g.community_code, b.community_code), updated_at = now()
      FROM bcand c LEFT JOIN grids g ON g.id = c.new_id
      WHERE b.id = c.id AND c.old_id IS DISTINCT FROM c.new_id
      RETURNING 1),
    icand AS (${incidentCandidates}),
    imoved AS (
      UPDATE incidents i SET grid_code = g.code, community_code = coalesce(left(g.code, 12), i.community_code), street_code = coalesce(left(g.code, 9), i.street_code)
      FROM icand c LEFT JOIN grids g ON g.id = c.new_id
      WHERE i.id = c.id AND ${incidentMovesTo}
      RETURNING 1)
    SELECT (SELECT count(*) FROM bmoved) AS buildings, (SELECT count(*) FROM imoved) AS incidents`);
}

const emptyTotals = (): GridTotals => ({ buildings: 0, households: 0, population: 0, openIncidents: 0, coveredHouseholds: 0 });

/** What the edit in progress moves (dry run): buildings, open incidents, coverage, worker load, per-grid totals and the band. */
export async function editImpact(tx: Executor, mark: number, communityCode: string): Promise<EditImpact> {
  const [moves, incidents, band] = [await buildingMoves(tx, mark, true), await incidentMoves(tx, mark), await bandOf(tx, communityCode)];
  // Totals before, by the stored assignment, of every grid the edit touched or a move reaches.
  const gridRows = await executeRows<{ id: number; code: string; name: string; households: number; deleted: boolean }>(
    tx,
    sql`
    WITH v AS (SELECT DISTINCT grid_id, grid_code FROM grid_versions WHERE id > ${mark})
    SELECT v.grid_id AS id, coalesce(g.code, v.grid_code) AS code, coalesce(g.name, v.grid_code) AS name, coalesce(g.households, 0) AS households, g.id IS NULL AS deleted
    FROM v LEFT JOIN grids g ON g.id = v.grid_id ORDER BY 2`,
  );
  const ids = gridRows.map((g) => g.id);
  const idList = `{${ids.join(',')}}`;
  const codeList = `{${gridRows.map((g) => g.code).join(',')}}`;
  const sums = await executeRows<{ grid_id: number; buildings: number; households: number; population: number; covered: number }>(
    tx,
    sql`
    SELECT b.grid_id, count(*)::int AS buildings, coalesce(sum(b.households), 0)::int AS households, coalesce(sum(b.population), 0)::int AS population,
           coalesce(sum(b.households) FILTER (WHERE EXISTS (SELECT 1 FROM isochrones i WHERE i.minutes = 15 AND i.geom && b.geom AND ST_Intersects(i.geom, b.geom))), 0)::int AS covered
    FROM buildings b WHERE b.grid_id = ANY(${idList}::int[]) GROUP BY b.grid_id`,
  );
  const open = await executeRows<{ grid_code: string; n: number }>(tx, sql`SELECT i.grid_code, count(*)::int AS n FROM incidents i WHERE i.grid_code = ANY(${codeList}::text[]) AND ${OPEN} GROUP BY i.grid_code`);
  const before = new Map<string, GridTotals>(gridRows.map((g) => [g.code, emptyTotals()]));
  const codeOfId = new Map(gridRows.map((g) => [g.id, g.code]));
  for (const s of sums) {
    const t = before.get(codeOfId.get(s.grid_id) as string);
    if (t) Object.assign(t, { buildings: s.buildings, households: s.households, population: s.population, coveredHouseholds: s.covered });
  }
  for (const o of open) {
    const t = before.get(o.grid_code);
    if (t) t.openIncidents = o.n;
  }
  const after = new Map([...before].map(([code, t]) => [code, { ...t }]));
  const shift = (code: string | null, sign: 1 | -1, f: Partial<GridTotals>) => {
    const t = code === null ? undefined : after.get(code);
    if (!t) return;
    for (const [k, n] of Object.entries(f) as [keyof GridTotals, number][]) t[k] += sign * n;
  };
  for (const m of moves) {
    const f = { buildings: 1, households: m.households, population: m.population, coveredHouseholds: m.covered ? m.households : 0 };
    shift(m.from_code, -1, f);
    shift(m.to_code, 1, f);
  }
  for (const i of incidents) {
    shift(i.from_code, -1, { openIncidents: 1 });
    shift(i.to_code, 1, { openIncidents: 1 });
  }
  const grids: GridImpact[] = gridRows
    .filter((g) => !g.deleted)
    .map((g) => {
      const b = before.get(g.code) as GridTotals;
      const a = after.get(g.code) as GridTotals;
      return { code: g.code, name: g.name, registeredHouseholds: Number(g.households), before: b, after: a, status: bandStatus(a.households, band), statusBefore: bandStatus(b.households, band) };
    });
  const workers = await workerLoads(tx, ids, incidents);
  const buildingMovesOut: BuildingMove[] = moves.map((m) => ({ code: m.code, name: m.name, households: m.households, population: m.population, from: m.from_code, to: m.to_code, covered: Boolean(m.covered) }));
  return {
    band: { min: band.min, max: band.max, configured: band.configured },
    moved: {
      buildings: moves.length,
      households: moves.reduce((s, m) => s + m.households, 0),
      population: moves.reduce((s, m) => s + m.population, 0),
      openIncidents: incidents.length,
      coveredHouseholds: moves.reduce((s, m) => s + (m.covered ? m.households : 0), 0),
    },
    buildings: buildingMovesOut,
    incidents: incidents.map((i) => ({ id: Number(i.id), from: i.from_code, to: i.to_code })),
    grids,
    workers,
  };
}

/** Open incidents per grid worker bound to any of the touched grids, before and after the moves. */
async function workerLoads(tx: Executor, gridIds: number[], incidents: IncidentMoveRow[]): Promise<WorkerLoad[]> {
  if (gridIds.length === 0) return [];
  const rows = await executeRows<{ username: string; display_name: string; codes: string[] | string; open: number }>(
    tx,
    sql`
    WITH w AS (SELECT DISTINCT ug.user_id FROM user_grids ug WHERE ug.grid_id = ANY(${`{${gridIds.join(',')}}`}::int[])),
    wg AS (SELECT w.user_id, array_agg(g.code ORDER BY g.code) AS codes FROM w JOIN user_grids ug ON ug.user_id = w.user_id JOIN grids g ON g.id = ug.grid_id GROUP BY w.user_id)
    SELECT u.username, u.display_name, wg.codes,
           (SELECT count(*)::int FROM incidents i WHERE i.grid_code = ANY(wg.codes) AND ${OPEN}) AS open
    FROM wg JOIN users u ON u.id = wg.user_id ORDER BY u.username`,
  );
  return rows.map((r) => {
    const codes = Array.isArray(r.codes) ? r.codes : r.codes.replace(/^\{|\}$/g, '').split(',');
    const mine = new Set(codes);
    let after = Number(r.open);
    for (const i of incidents) {
      if (i.from_code !== null && mine.has(i.from_code)) after -= 1;
      if (i.to_code !== null && mine.has(i.to_code)) after += 1;
    }
    return { username: r.username, displayName: r.display_name, gridCodes: codes, before: Number(r.open), after };
  });
}
