/**
 * Walking circles of candidate facilities that are not built: the same snap,
 * network search (pgRouting or the Node Dijkstra) and polygon SQL as the cached
 * isochrones of real centres (server/coverage/isochroneSql.ts), fed from a VALUES
 * relation of the candidates' points instead of service_centres, and returned
 * instead of written — nothing is stored, nothing in the cache changes.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { FacilityKind } from '../../kernel/facilityKinds';
import type { DbHandle } from '../../db/client';
import { defaultSearch, reachFromSnap } from '../coverage/isochrones';
import { bufferIsochronesSql, networkIsochronesSql, type NetworkIsochroneInput } from '../coverage/isochroneSql';
import { currentNetworkVersion } from '../coverage/networkVersion';
import { FIXED_METRES, OverlayIncomplete, precisionMemory, withPrecisionFallback } from '../coverage/precision';
import { snapCentres } from '../coverage/snap';
import { floatArray } from '../coverage/sqlArrays';
import { COVERAGE_MINUTES, walkingBudgetM, type IsochroneMethod } from '../coverage/walking';

export interface Candidate {
  name: string;
  kind: FacilityKind;
  position: [number, number];
}

export interface CandidateCircle {
  /** Index in the request. */
  index: number;
  method: IsochroneMethod;
  /** GeoJSON MultiPolygon text (EPSG:4326). */
  geometry: string;
  areaM2: number;
}

/** Candidate i is the centre with id −(i + 1) of this relation (columns id, geom, updated_at). */
export function candidateRelation(candidates: readonly Candidate[]): SQL {
  return sql`(SELECT -t.n::int AS id, ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326) AS geom, now() AS updated_at
              FROM unnest(${floatArray(candidates.map((c) => c.position[0]))}::float8[], ${floatArray(candidates.map((c) => c.position[1]))}::float8[])
                   WITH ORDINALITY AS t(lon, lat, n))`;
}

export async function candidateCircles(db: DbHandle, candidates: readonly Candidate[], speed: number, minutes = COVERAGE_MINUTES): Promise<CandidateCircle[]> {
  if (candidates.length === 0) return [];
  const relation = candidateRelation(candidates);
  const version = await currentNetworkVersion(db);
  const search = defaultSearch(db);
  const budgetM = walkingBudgetM(minutes, speed);
  const snaps = await snapCentres(
    db,
    candidates.map((_, i) => -(i + 1)),
    relation,
  );
  const network: NetworkIsochroneInput[] = [];
  const buffers: { key: number; centreId: number; budgetM: number }[] = [];
  for (const snap of snaps) {
    const key = -snap.centreId - 1;
    if (snap.edge) network.push({ key, centreId: snap.centreId, budgetM, edge: snap.edge, reach: await reachFromSnap(db, snap, budgetM, search, version, relation) });
    else buffers.push({ key, centreId: snap.centreId, budgetM });
  }
  const methods = new Map<number, IsochroneMethod>([...network.map((n) => [n.key, 'network'] as const), ...buffers.map((b) => [b.key, 'buffer'] as const)]);
  return withPrecisionFallback(
    async (gridSize) => {
      const parts = [...(network.length ? [networkIsochronesSql(network, gridSize, relation)] : []), ...(buffers.length ? [bufferIsochronesSql(buffers, relation)] : [])];
      const polygons = parts.length === 2 ? sql`${parts[0]} UNION ALL ${parts[1]}` : parts[0]!;
      const rows = await db.rows<{ key: number; geometry: string; area_m2: number }>(sql`
        SELECT p.key, ST_AsGeoJSON(p.geom, 7) AS geometry, ST_Area(p.geom::geography) AS area_m2 FROM (${polygons}) p ORDER BY p.key`);
      if (rows.length !== candidates.length) throw new OverlayIncomplete(`candidate circles: ${rows.length} of ${candidates.length}`);
      return rows.map((r) => ({ index: Number(r.key), method: methods.get(Number(r.key))!, geometry: r.geometry, areaM2: Number(r.area_m2) }));
    },
    FIXED_METRES,
    precisionMemory(db, 'isochrones'),
  );
}
