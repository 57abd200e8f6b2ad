/** 党群服务中心 as points for the big screen's map: where each stands and its level (the colour). */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import type { CentreLevel } from '../coverage/centres';

export interface ScreenCentre {
  id: number;
  name: string;
  level: CentreLevel;
  position: [number, number];
}

export async function screenCentres(db: DbHandle): Promise<ScreenCentre[]> {
  const rows = await db.rows<{ id: number; name: string; level: CentreLevel; lon: number; lat: number }>(sql`
    SELECT id, name, level::text AS level, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM service_centres ORDER BY id`);
  return rows.map((r) => ({ id: Number(r.id), name: r.name, level: r.level, position: [Number(r.lon), Number(r.lat)] }));
}
