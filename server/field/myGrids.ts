/**
 * 我的网格 for the field app: a grid worker's grids with their boundary (GeoJSON),
 * households and population, party organisation, the grid workers of each grid and of
 * the grids touching it with their work phones, and the bbox to prefetch basemap
 * tiles for offline use. Phones are always masked (kernel/personalData.ts maskPhone);
 * names of the worker's own grids follow PERSONAL_DATA_POLICY. Neighbours' workers are
 * colleagues to call about a case on the boundary: their account names are shown (the
 * issue's 邻格联系人), their phones masked, and nothing else of those grids' people.
 * "Inside my grid?" is answered on the phone from the geometry (point in polygon,
 * works offline) and, when online, by locateInMyGrids (the server's own rule).
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { maskPhone } from '../../kernel/personalData';
import type { SessionUser } from '../../kernel/roles';
import { mayReadPeople } from '../auth/personalData';
import { ForbiddenError } from '../http/domainError';

/** Margin around the grids for the offline tile prefetch, degrees (≈ 500 m). */
const BBOX_MARGIN_DEG = 0.005;

const codesArray = (codes: readonly string[]) =>
  sql`ARRAY[${sql.join(
    codes.map((c) => sql`${c}`),
    sql`, `,
  )}]::text[]`;

function requireGrids(user: SessionUser): readonly string[] {
  if (user.role !== 'grid_worker' || user.gridCodes.length === 0) throw new ForbiddenError('只有绑定了网格的网格员有“我的网格”', { errors: [{ field: '(user)', reason: '账号未绑定网格' }] });
  return user.gridCodes;
}

interface Worker {
  userId: number;
  name: string | null;
  phone: string | null;
  self: boolean;
}

export async function myGrids(db: DbHandle, user: SessionUser) {
  const codes = requireGrids(user);
  const grids = await db.rows<{
    code: string;
    name: string;
    community_code: string;
    community_name: string | null;
    street_code: string;
    street_name: string | null;
    households: number;
    population: number;
    party_org_name: string | null;
    party_org_type: string | null;
    party_secretary: string | null;
    party_secretary_phone: string | null;
    party_members: number;
    grid_workers: string[] | string;
    geometry: string;
  }>(sql`
    SELECT g.code, g.name, g.community_code, c.name AS community_name, g.street_code, s.name AS street_name, g.households, g.population,
      g.party_org_name, g.party_org_type, g.party_secretary, g.party_secretary_phone, g.party_members, g.grid_workers, ST_AsGeoJSON(g.geom, 6) AS geometry
    FROM grids g LEFT JOIN regions c ON c.code = g.community_code LEFT JOIN regions s ON s.code = g.street_code
    WHERE g.code = ANY(${codesArray(codes)}) ORDER BY g.code`);
  const neighbours = await db.rows<{ of: string; code: string; name: string }>(sql`
    SELECT g.code AS of, n.code, n.name FROM grids g JOIN grids n ON n.geom && g.geom AND ST_Intersects(n.geom, g.geom) AND n.code <> g.code
    WHERE g.code = ANY(${codesArray(codes)}) ORDER BY g.code, n.code`);
  const all = [...new Set([...codes, ...neighbours.map((n) => n.code)])];
  const accounts = await db.rows<{ grid: string; user_id: number; display_name: string; phone: string | null }>(sql`
    SELECT g.code AS grid, u.id AS user_id, u.display_name, p.phone FROM user_grids ug JOIN grids g ON g.id = ug.grid_id JOIN users u ON u.id = ug.user_id
    LEFT JOIN user_phones p ON p.user_id = u.id WHERE g.code = ANY(${codesArray(all)}) AND u.role = 'grid_worker' ORDER BY g.code, u.id`);
  const [box] = await db.rows<{ w: number; s: number; e: number; n: number }>(sql`
    SELECT ST_XMin(b) AS w, ST_YMin(b) AS s, ST_XMax(b) AS e, ST_YMax(b) AS n FROM (SELECT ST_Extent(geom)::geometry AS b FROM grids WHERE code = ANY(${codesArray(codes)})) x`);
  const workersOf = (grid: string, names: boolean): Worker[] =>
    accounts.filter((a) => a.grid === grid).map((a) => ({ userId: Number(a.user_id), name: names ? a.display_name : null, phone: names && a.phone ? maskPhone(a.phone) : null, self: Number(a.user_id) === user.id }));
  return {
    grids: grids.map((g) => {
      const names = mayReadPeople(user, g.code);
      return {
        code: g.code,
        name: g.name,
        community: { code: g.community_code, name: g.community_name },
        street: { code: g.street_code, name: g.street_name },
        households: Number(g.households),
        population: Number(g.population),
        partyOrg: {
          name: g.party_org_name,
          type: g.party_org_type,
          secretary: names ? g.party_secretary : null,
          secretaryPhone: names && g.party_secretary_phone ? maskPhone(g.party_secretary_phone) : null,
          members: Number(g.party_members),
        },
        /** Names in the grid's register (grids.grid_workers), beside the accounts below. */
        registeredWorkers: names ? (typeof g.grid_workers === 'string' ? (JSON.parse(g.grid_workers) as string[]) : g.grid_workers) : null,
        workers: workersOf(g.code, names),
        geometry: JSON.parse(g.geometry) as GeoJSON.MultiPolygon,
        neighbours: neighbours.filter((n) => n.of === g.code).map((n) => ({ code: n.code, name: n.name, mine: codes.includes(n.code), workers: workersOf(n.code, true) })),
      };
    }),
    bbox: [Number(box!.w) - BBOX_MARGIN_DEG, Number(box!.s) - BBOX_MARGIN_DEG, Number(box!.e) + BBOX_MARGIN_DEG, Number(box!.n) + BBOX_MARGIN_DEG] as [number, number, number, number],
  };
}

/** Which grid a point lies in, whether it is one of the worker's, and how far the nearest of theirs is. */
export async function locateInMyGrids(db: DbHandle, user: SessionUser, lon: number, lat: number) {
  const codes = requireGrids(user);
  const [here] = await db.rows<{ code: string; name: string }>(sql`SELECT code, name FROM grids WHERE ST_Intersects(geom, ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)) ORDER BY code LIMIT 1`);
  const [nearest] = await db.rows<{ code: string; name: string; distance_m: number }>(sql`
    SELECT code, name, ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)::geography) AS distance_m
    FROM grids WHERE code = ANY(${codesArray(codes)}) ORDER BY distance_m LIMIT 1`);
  const inside = !!here && codes.includes(here.code);
  return {
    lon,
    lat,
    grid: here ? { code: here.code, name: here.name } : null,
    inside,
    nearestMine: nearest ? { code: nearest.code, name: nearest.name, distanceM: Math.round(Number(nearest.distance_m)) } : null,
  };
}
