/**
 * Walking isochrones per centre with a cache in the `isochrones` table. A cached
 * row is valid while it was computed on the current network version and after
 * the centre's last change; anything else is recomputed and upserted.
 */
import { sql, type SQL } from 'drizzle-orm';
import { executeRows, type DbHandle } from '../../db/client';
import { bufferIsochronesSql, networkIsochronesSql, type NetworkIsochroneInput } from './isochroneSql';
import { currentNetworkVersion } from './networkVersion';
import { walkGraphFor, reachWithin } from './nodeNetwork';
import { pgRoutingReach } from './pgRoutingReach';
import { FIXED_METRES, OverlayIncomplete, precisionMemory, withPrecisionFallback } from './precision';
import { CENTRES_TABLE, snapCentres, startNodes, type CentreSnap } from './snap';
import { intArray } from './sqlArrays';
import { walkingBudgetM, type IsochroneMethod } from './walking';

/** Which search finds the reachable nodes: pgRouting where the database has it, Node otherwise. */
export type NetworkSearch = 'pgrouting' | 'node';

export const defaultSearch = (db: DbHandle): NetworkSearch => (db.capabilities.pgRouting ? 'pgrouting' : 'node');

/** Centres per polygon statement: big enough to save round trips, small enough to parallelise. */
const BATCH = 16;

export async function reachFromSnap(db: DbHandle, snap: CentreSnap, maxDistance: number, search: NetworkSearch, networkVersion: number, centres: SQL = CENTRES_TABLE): Promise<Map<number, number>> {
  if (!snap.edge) return new Map();
  if (search === 'pgrouting') return pgRoutingReach(db, snap.edge, snap.centreId, maxDistance, centres);
  return reachWithin(await walkGraphFor(db, networkVersion), startNodes(snap.edge), maxDistance);
}

export interface IsochroneRequest {
  /** null: every centre. */
  centreIds: readonly number[] | null;
  minutes: readonly number[];
  speedMPerMin: number;
  search?: NetworkSearch;
}

/** Centres of the request with the minutes whose cached circle is missing or stale, the centre changed last first (then by id); at most `limit` centres. */
export async function missingIsochrones(db: DbHandle, request: IsochroneRequest, version: number, limit: number | null = null): Promise<Map<number, number[]>> {
  const missing = await db.rows<{ centre_id: number; minutes: number[] }>(sql`
    SELECT c.id AS centre_id, array_agg(m.minutes ORDER BY m.minutes) AS minutes
    FROM service_centres c
    CROSS JOIN unnest(${intArray(request.minutes)}::int[]) AS m(minutes)
    LEFT JOIN isochrones i
      ON i.centre_id = c.id AND i.minutes = m.minutes AND i.speed_m_per_min = ${request.speedMPerMin}::float8
     AND i.network_version = ${version} AND i.computed_at >= c.updated_at
    WHERE i.centre_id IS NULL AND (${request.centreIds === null} OR c.id = ANY(${intArray(request.centreIds ?? [])}::int[]))
    GROUP BY c.id, c.updated_at
    -- The centre changed last first: the one a planner just saved is computed next, not after the whole city.
    ORDER BY c.updated_at DESC, c.id
    LIMIT ${limit}`);
  return new Map(missing.map((m) => [Number(m.centre_id), m.minutes.map(Number)]));
}

/** Computes and caches whatever of the request is missing or stale. Returns how many rows it (re)computed. */
export async function ensureIsochrones(db: DbHandle, request: IsochroneRequest): Promise<number> {
  const version = await currentNetworkVersion(db);
  const search = request.search ?? defaultSearch(db);
  const minutesOf = await missingIsochrones(db, request, version);
  if (minutesOf.size === 0) return 0;
  const ids = [...minutesOf.keys()];
  // Batches run concurrently on a pool (PostGIS); the embedded engine serialises them anyway.
  const batches: number[][] = [];
  for (let i = 0; i < ids.length; i += BATCH) batches.push(ids.slice(i, i + BATCH));
  let next = 0;
  let written = 0;
  const workers = Array.from({ length: db.kind === 'postgis' ? 3 : 1 }, async () => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      const count = await computeBatch(db, batch, minutesOf, request.speedMPerMin, search, version);
      written += count;
    }
  });
  await Promise.all(workers);
  return written;
}

/** Computes and writes the circles of `centreIds` for the minutes `minutesOf` names; returns the rows written. */
export async function computeBatch(db: DbHandle, centreIds: number[], minutesOf: Map<number, number[]>, speed: number, search: NetworkSearch, version: number): Promise<number> {
  const snaps = await snapCentres(db, centreIds);
  const network: NetworkIsochroneInput[] = [];
  const buffers: { key: number; centreId: number; budgetM: number }[] = [];
  const rows: { key: number; centreId: number; minutes: number; method: IsochroneMethod; updatedAt: string }[] = [];
  for (const snap of snaps) {
    const minutes = minutesOf.get(snap.centreId) ?? [];
    const budgets = minutes.map((m) => walkingBudgetM(m, speed));
    const reach = snap.edge ? await reachFromSnap(db, snap, Math.max(...budgets), search, version) : null;
    minutes.forEach((m, k) => {
      const key = rows.length;
      const budgetM = budgets[k]!;
      if (snap.edge && reach) {
        network.push({ key, centreId: snap.centreId, budgetM, edge: snap.edge, reach });
        rows.push({ key, centreId: snap.centreId, minutes: m, method: 'network', updatedAt: snap.updatedAt });
      } else {
        buffers.push({ key, centreId: snap.centreId, budgetM });
        rows.push({ key, centreId: snap.centreId, minutes: m, method: 'buffer', updatedAt: snap.updatedAt });
      }
    });
  }
  return withPrecisionFallback((gridSize) => writePolygons(db, network, buffers, rows, speed, version, gridSize), FIXED_METRES, precisionMemory(db, 'isochrones'));
}

async function writePolygons(
  db: DbHandle,
  network: NetworkIsochroneInput[],
  buffers: { key: number; centreId: number; budgetM: number }[],
  rows: { key: number; centreId: number; minutes: number; method: IsochroneMethod; updatedAt: string }[],
  speed: number,
  version: number,
  gridSize: number,
): Promise<number> {
  const polygons =
    network.length && buffers.length ? sql`${networkIsochronesSql(network, gridSize)} UNION ALL ${bufferIsochronesSql(buffers)}` : network.length ? networkIsochronesSql(network, gridSize) : bufferIsochronesSql(buffers);
  // Written only if the centre has not changed since it was snapped (a concurrent edit wins).
  // JIT compilation costs more than these geometry-bound statements take.
  const written = await db.db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL jit = off`);
    return executeRows<{ centre_id: number; minutes: number }>(
      tx,
      sql`
      INSERT INTO isochrones (centre_id, minutes, speed_m_per_min, network_version, method, geom, computed_at)
      SELECT r.centre_id, r.minutes, ${speed}::float8, ${version}, r.method, p.geom, now()
      FROM (${polygons}) p
      JOIN unnest(${intArray(rows.map((r) => r.key))}::int[], ${intArray(rows.map((r) => r.centreId))}::int[], ${intArray(rows.map((r) => r.minutes))}::int[],
                  ${`{${rows.map((r) => r.method).join(',')}}`}::text[], ${`{${rows.map((r) => `"${r.updatedAt}"`).join(',')}}`}::text[])
        AS r(key, centre_id, minutes, method, updated_at) ON r.key = p.key
      -- written only if the centre has not changed since it was snapped (a concurrent edit wins)
      JOIN service_centres c ON c.id = r.centre_id AND c.updated_at = r.updated_at::timestamptz
      ON CONFLICT (centre_id, minutes, speed_m_per_min) DO UPDATE
        SET network_version = excluded.network_version, method = excluded.method, geom = excluded.geom, computed_at = excluded.computed_at
      RETURNING centre_id, minutes`,
    );
  });
  await assertNothingLost(db, rows, written);
  return written.length;
}

/**
 * A row may be missing only because its centre changed meanwhile. Anything else
 * means the geometry step produced nothing (see precision.ts): never pass silently.
 */
async function assertNothingLost(db: DbHandle, expected: { centreId: number; minutes: number; updatedAt: string }[], written: { centre_id: number; minutes: number }[]) {
  const done = new Set(written.map((w) => `${w.centre_id}/${w.minutes}`));
  const lost = expected.filter((e) => !done.has(`${e.centreId}/${e.minutes}`));
  if (lost.length === 0) return;
  const unchanged = await db.rows<{ id: number }>(sql`
    SELECT c.id FROM service_centres c
    JOIN unnest(${intArray(lost.map((l) => l.centreId))}::int[], ${`{${lost.map((l) => `"${l.updatedAt}"`).join(',')}}`}::text[]) AS l(id, updated_at)
      ON l.id = c.id AND c.updated_at = l.updated_at::timestamptz`);
  if (unchanged.length > 0) throw new OverlayIncomplete(`isochrone construction produced no polygon for centre(s) ${[...new Set(unchanged.map((u) => u.id))].join(', ')}`);
}

export interface IsochroneFeature {
  type: 'Feature';
  geometry: GeoJSON.MultiPolygon;
  properties: {
    centreId: number;
    centreName: string;
    /** The kind of 阵地 (kernel/facilityKinds.ts). */
    kind: string;
    level: string;
    minutes: number;
    speedMPerMin: number;
    method: IsochroneMethod;
    networkVersion: number;
    areaM2: number;
    computedAt: string;
  };
}

/** Reads cached isochrones (call ensureIsochrones first); per centre the largest minutes come first so smaller ones draw on top. */
export async function readIsochrones(db: DbHandle, request: IsochroneRequest): Promise<IsochroneFeature[]> {
  const rows = await db.rows<{
    centre_id: number;
    name: string;
    kind: string;
    level: string;
    minutes: number;
    speed: number;
    method: IsochroneMethod;
    network_version: number;
    area_m2: number;
    computed_at: Date | string;
    geometry: string;
  }>(sql`
    SELECT i.centre_id, c.name, c.kind::text AS kind, c.level, i.minutes, i.speed_m_per_min AS speed, i.method, i.network_version,
           ST_Area(i.geom::geography) AS area_m2, i.computed_at, ST_AsGeoJSON(i.geom, 7) AS geometry
    FROM isochrones i JOIN service_centres c ON c.id = i.centre_id
    WHERE i.minutes = ANY(${intArray(request.minutes)}::int[]) AND i.speed_m_per_min = ${request.speedMPerMin}::float8
      AND (${request.centreIds === null} OR i.centre_id = ANY(${intArray(request.centreIds ?? [])}::int[]))
    ORDER BY i.centre_id, i.minutes DESC`);
  return rows.map((r) => ({
    type: 'Feature',
    geometry: JSON.parse(r.geometry) as GeoJSON.MultiPolygon,
    properties: {
      centreId: Number(r.centre_id),
      centreName: r.name,
      kind: r.kind,
      level: r.level,
      minutes: Number(r.minutes),
      speedMPerMin: Number(r.speed),
      method: r.method,
      networkVersion: Number(r.network_version),
      areaM2: Number(r.area_m2),
      computedAt: new Date(r.computed_at).toISOString(),
    },
  }));
}

/** Drops a centre's cached isochrones (on edit or delete), inside the caller's transaction. */
export const forgetIsochronesSql = (centreId: number) => sql`DELETE FROM isochrones WHERE centre_id = ${centreId}`;
