/**
 * The big screen's 15-minute circles of the community centres, read from the cache
 * only — never computed on the request path (the background job does that,
 * server/coverage/isochroneJob.ts). Until every community centre has a current circle
 * the screen draws the labelled straight-line estimate and shows the progress.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { currentNetworkVersion } from '../coverage/networkVersion';
import { DEFAULT_SPEED_M_PER_MIN } from '../coverage/walking';

export interface ScreenCircle {
  centreId: number;
  /** network, or buffer where a centre has no road nearby (labelled) */
  method: 'network' | 'buffer';
  geometry: GeoJSON.MultiPolygon;
}

export interface ScreenCircles {
  /** every community centre has a current circle: `circles` holds them all */
  ready: boolean;
  centres: number;
  current: number;
  minutes: 15;
  speedMPerMin: number;
  circles: ScreenCircle[];
}

export async function screenCircles(db: DbHandle): Promise<ScreenCircles> {
  const version = await currentNetworkVersion(db);
  const [counts] = await db.rows<{ centres: number; current: number }>(sql`
    SELECT count(*)::int AS centres, count(i.centre_id)::int AS current
    FROM service_centres c
    LEFT JOIN isochrones i ON i.centre_id = c.id AND i.minutes = 15 AND i.speed_m_per_min = ${DEFAULT_SPEED_M_PER_MIN}::float8
      AND i.network_version = ${version} AND i.computed_at >= c.updated_at
    WHERE c.level = 'community'`);
  const centres = Number(counts?.centres ?? 0);
  const current = Number(counts?.current ?? 0);
  const ready = centres > 0 && current === centres;
  const rows = ready
    ? await db.rows<{ centre_id: number; method: 'network' | 'buffer'; geometry: string }>(sql`
        SELECT i.centre_id, i.method, ST_AsGeoJSON(i.geom, 6) AS geometry
        FROM isochrones i JOIN service_centres c ON c.id = i.centre_id
        WHERE c.level = 'community' AND i.minutes = 15 AND i.speed_m_per_min = ${DEFAULT_SPEED_M_PER_MIN}::float8
        ORDER BY i.centre_id`)
    : [];
  return {
    ready,
    centres,
    current,
    minutes: 15,
    speedMPerMin: DEFAULT_SPEED_M_PER_MIN,
    circles: rows.map((r) => ({ centreId: Number(r.centre_id), method: r.method === 'buffer' ? 'buffer' : 'network', geometry: JSON.parse(r.geometry) as GeoJSON.MultiPolygon })),
  };
}
