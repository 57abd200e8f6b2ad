/**
 * GET /api/coverage/isochrones: the walking circles of some centres — named by id
 * (404 listing the unknown ones), all centres of one level and/or one kind of 阵地
 * (kernel/facilityKinds.ts), or every centre — computed where missing or stale, then
 * read from the cache as one FeatureCollection.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import type { FacilityKind } from '../../kernel/facilityKinds';
import { NotFoundError } from '../http/domainError';
import type { CentreLevel } from './centres';
import { ensureIsochrones, readIsochrones, type IsochroneFeature } from './isochrones';
import { intArray } from './sqlArrays';

export interface IsochroneSelection {
  centreIds?: number[];
  level?: CentreLevel;
  /** One kind of 阵地 (党群服务中心, 红色驿站, …); absent: every kind. */
  kind?: FacilityKind;
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

/** The centre ids a selection names (ids, narrowed by level and kind when given); null = every centre. */
async function selectedCentres(db: DbHandle, selection: IsochroneSelection): Promise<number[] | null> {
  const level = selection.level ?? null;
  const kind = selection.kind ?? null;
  const matches = sql`(${level}::text IS NULL OR level::text = ${level}) AND (${kind}::text IS NULL OR kind::text = ${kind})`;
  if (selection.centreIds) {
    const ids = selection.centreIds;
    const found = await db.rows<{ id: number; matches: boolean }>(sql`SELECT id, ${matches} AS matches FROM service_centres WHERE id = ANY(${intArray(ids)}::int[])`);
    const known = new Set(found.map((f) => Number(f.id)));
    const missing = ids.filter((id) => !known.has(id));
    if (missing.length > 0) throw new NotFoundError(`党群服务中心 ${missing.join('、')} 不存在`);
    const kept = new Set(found.filter((f) => f.matches).map((f) => Number(f.id)));
    return ids.filter((id) => kept.has(id));
  }
  if (level || kind) return (await db.rows<{ id: number }>(sql`SELECT id FROM service_centres WHERE ${matches} ORDER BY id`)).map((r) => Number(r.id));
  return null;
}

export async function isochroneCollection(db: DbHandle, selection: IsochroneSelection): Promise<IsochroneCollection> {
  const request = { centreIds: await selectedCentres(db, selection), minutes: selection.minutes, speedMPerMin: selection.speedMPerMin };
  const computed = await ensureIsochrones(db, request);
  const features = await readIsochrones(db, request);
  return { type: 'FeatureCollection', minutes: selection.minutes, speedMPerMin: selection.speedMPerMin, computed, features };
}
