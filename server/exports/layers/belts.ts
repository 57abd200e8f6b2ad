/** 党建示范带: demonstration belts (a route and its corridor) with their member communities. */
import { sql } from 'drizzle-orm';
import { keyset } from './filterSql';
import { asGeoJson } from './geometryOutput';
import type { ExportLayer } from './layer';
import { memberFields, membersInRegion } from './members';

export const beltsLayer: ExportLayer = {
  name: 'belts',
  title: '党建示范带',
  geometryType: 'MultiPolygon',
  timeFilter: false,
  fields: [...memberFields, { name: 'route_km', dbf: 'route_km', title: '线路长度（公里）', type: 'real' }],
  select: (filter, page, geometry = asGeoJson) => sql`
    SELECT b.id AS fid, ${geometry(sql`b.corridor`)} AS geometry,
           b.id, b.name, b.description, jsonb_array_length(b.member_community_codes) AS member_count,
           (SELECT string_agg(m, ',') FROM jsonb_array_elements_text(b.member_community_codes) m) AS member_codes,
           ST_Length(b.route::geography) / 1000 AS route_km
    FROM demo_belts b
    WHERE true ${membersInRegion(sql`b.member_community_codes`, filter)} ${keyset(sql`b.id`, page)}`,
};
