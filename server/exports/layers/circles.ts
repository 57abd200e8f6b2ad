/** 党建示范圈: demonstration circles with their member communities. */
import { sql } from 'drizzle-orm';
import { keyset } from './filterSql';
import { asGeoJson } from './geometryOutput';
import type { ExportLayer } from './layer';
import { memberFields, membersInRegion } from './members';

export const circlesLayer: ExportLayer = {
  name: 'circles',
  title: '党建示范圈',
  geometryType: 'MultiPolygon',
  timeFilter: false,
  fields: memberFields,
  select: (filter, page, geometry = asGeoJson) => sql`
    SELECT d.id AS fid, ${geometry(sql`d.geom`)} AS geometry,
           d.id, d.name, d.description, jsonb_array_length(d.member_community_codes) AS member_count,
           (SELECT string_agg(m, ',') FROM jsonb_array_elements_text(d.member_community_codes) m) AS member_codes
    FROM demo_circles d
    WHERE true ${membersInRegion(sql`d.member_community_codes`, filter)} ${keyset(sql`d.id`, page)}`,
};
