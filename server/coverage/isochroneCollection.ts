/**
 * GET /api/coverage/isochrones: the walking circles of some centres — named by id
 * (404 listing the unknown ones), all centres of one level, or every centre —
 * computed where missing or stale, then read from the cache as one FeatureCollection.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { NotFoundError } from '../http/domainError';
import type { CentreLevel } from './centres';
import { ensureIsochrones, readIsochrones, type IsochroneFeature } from './isochrones';
import { intArray } from './sqlArrays';

export interface IsochroneSelection {
  centreIds?: number[];
  level?: CentreLevel;
  minutes: number[];
  speedMPerMin: number;
}

export interface IsochroneCollection {
  type: 'FeatureCollection';
  minutes: number[];
  speedMPerMin: number;
  /** How many circles had to be computed for this request (0 = all from the cache). */
  computed: number;
  features: IsochroneFeature[];
}

/** The centre ids a selection names; null = every centre. */
async function selectedCentres(db: DbHandle, selection: IsochroneSelection): Promise<number[] | null> {
  if (selection.centreIds) {
    const ids = selection.centreIds;
    const found = await db.rows<{ id: number }>(sql`SELECT id FROM service_centres WHERE id = ANY(${intArray(ids)}::int[])`);
    const known = new Set(found.map((f) => Number(f.id)));
    const missing = ids.filter((id) => !known.has(id));
    if (missing.length > 0) throw new NotFoundError(`党群服务中心 ${missing.join('、')} 不存在`);
    return ids;
  }
  if (selection.level) return (await db.rows<{ id: number }>(sql`SELECT id FROM service_centres WHERE level = ${selection.level} ORDER BY id`)).map((r) => Number(r.id));
  return null;
}

export async function isochroneCollection(db: DbHandle, selection: IsochroneSelection): Promise<IsochroneCollection> {
  const request = { centreIds: await selectedCentres(db, selection), minutes: selection.minutes, speedMPerMin: selection.speedMPerMin };
  const computed = await ensureIsochrones(db, request);
  const features = await readIsochrones(db, request);
  return { type: 'FeatureCollection', minutes: selection.minutes, speedMPerMin: selection.speedMPerMin, computed, features };
}
