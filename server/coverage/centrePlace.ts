/**
 * Where a point lies in the region tree (市 → 县区 → 街道 → 社区), for placing a 阵地 by a click on
 * the map: the 阵地管理 page fills the region of the chosen level from it, and says at once whether
 * the signed-in planner may build there (the same jurisdiction rule the writes enforce).
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { mayEditCentre, type CentreEditor } from './centreJurisdiction';
import { CENTRE_LEVELS, REGION_LEVEL_FOR, type CentreLevel } from './centres';

export interface PlaceRegion {
  code: string;
  name: string;
}

export interface CentrePlace {
  position: [number, number];
  city: PlaceRegion | null;
  district: PlaceRegion | null;
  street: PlaceRegion | null;
  community: PlaceRegion | null;
  /** The region a 阵地 of each level placed here belongs to (a 小区 one: its community). */
  regionFor: Record<CentreLevel, PlaceRegion | null>;
  /** The editor may create a 阵地 in the point's community (or street, outside every community). */
  editable: boolean;
}

export async function centrePlace(db: DbHandle, position: [number, number], editor: CentreEditor): Promise<CentrePlace> {
  const rows = await db.rows<{ code: string; name: string; level: string }>(sql`
    SELECT code, name, level::text AS level FROM regions
    WHERE level IN ('city', 'district', 'street', 'community')
      AND ST_Covers(geom, ST_SetSRID(ST_MakePoint(${position[0]}::float8, ${position[1]}::float8), 4326))
    ORDER BY length(code), code`);
  const at = (level: string): PlaceRegion | null => {
    const r = rows.find((x) => x.level === level);
    return r ? { code: r.code, name: r.name } : null;
  };
  const place = { position, city: at('city'), district: at('district'), street: at('street'), community: at('community') };
  const deepest = place.community ?? place.street;
  const regionFor = Object.fromEntries(CENTRE_LEVELS.map((l) => [l, place[REGION_LEVEL_FOR[l]]])) as Record<CentreLevel, PlaceRegion | null>;
  return { ...place, regionFor, editable: deepest !== null && mayEditCentre(editor, deepest.code) };
}
