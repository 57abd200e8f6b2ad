/**
 * Estates (小区) for the map and the list: GeoJSON by bbox or community, each with its
 * organisation status (单独/联合/未组建), 红色物业, and the service-space norm checked
 * (kernel/estateNorm.ts). No personal data here.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { checkEstateNorm, type EstateNormCheck } from '../../kernel/estateNorm';
import type { EstateOrgStatus } from '../../kernel/partyOrgs';

export interface EstateProperties {
  id: number;
  code: string;
  name: string;
  communityCode: string;
  communityName: string;
  households: number;
  propertyCompany: string | null;
  ownersCommittee: boolean;
  redProperty: boolean;
  serviceSpaceM2: number | null;
  orgStatus: EstateOrgStatus;
  partyOrgName: string | null;
  norm: EstateNormCheck;
}

export interface EstateFeature {
  type: 'Feature';
  id: number;
  geometry: { type: 'MultiPolygon'; coordinates: number[][][][] };
  properties: EstateProperties;
}

interface Row {
  id: number;
  code: string;
  name: string;
  community_code: string;
  community_name: string;
  households: number;
  property_company: string | null;
  owners_committee: boolean;
  red_property: boolean;
  service_space_m2: number | null;
  org_name: string | null;
  org_joint: boolean | null;
  geojson: string;
}

export interface EstateQuery {
  bbox?: readonly [number, number, number, number] | null;
  region?: string | null;
  /** Only estates short of the norm. */
  belowNorm?: boolean;
  limit: number;
}

export async function listEstates(db: DbHandle, q: EstateQuery): Promise<{ type: 'FeatureCollection'; features: EstateFeature[]; truncated: boolean }> {
  const where = [sql`TRUE`];
  if (q.bbox) where.push(sql`e.geom && ST_MakeEnvelope(${q.bbox[0]}, ${q.bbox[1]}, ${q.bbox[2]}, ${q.bbox[3]}, 4326)`);
  if (q.region) where.push(sql`starts_with(e.community_code, ${q.region})`);
  if (q.belowNorm) where.push(sql`coalesce(e.service_space_m2, 0) < greatest(300, ceil(e.households * 30 / 100.0))`);
  const rows = await db.rows<Row>(sql`
    SELECT e.id, e.code, e.name, e.community_code, c.name AS community_name, e.households, e.property_company, e.owners_committee, e.red_property,
           e.service_space_m2, o.name AS org_name, o.joint AS org_joint, ST_AsGeoJSON(e.geom, 6) AS geojson
    FROM estates e JOIN regions c ON c.code = e.community_code LEFT JOIN party_orgs o ON o.id = e.party_org_id
    WHERE ${sql.join(where, sql` AND `)}
    ORDER BY e.community_code, e.code
    LIMIT ${q.limit + 1}`);
  const features = rows.slice(0, q.limit).map(
    (r): EstateFeature => ({
      type: 'Feature',
      id: r.id,
      geometry: JSON.parse(r.geojson),
      properties: {
        id: r.id,
        code: r.code,
        name: r.name,
        communityCode: r.community_code,
        communityName: r.community_name,
        households: r.households,
        propertyCompany: r.property_company,
        ownersCommittee: r.owners_committee,
        redProperty: r.red_property,
        serviceSpaceM2: r.service_space_m2,
        orgStatus: r.org_name === null ? 'none' : r.org_joint ? 'joint' : 'single',
        partyOrgName: r.org_name,
        norm: checkEstateNorm(r.households, r.service_space_m2),
      },
    }),
  );
  return { type: 'FeatureCollection', features, truncated: rows.length > q.limit };
}
