/**
 * A tiny world with known answers for the coverage tests: the sample's roads,
 * centres and grids are replaced (in a test database copy) by a 4×4 street
 * lattice with 200 m east–west and 150 m north–south edges, placed at the
 * city's label point, and a few square grids in one community. Positions are
 * given in local metres (x east, y north of the lattice's south-west node).
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../../db/client';
import { bumpNetworkVersion } from '../networkVersion';

export const DX = 200;
export const DY = 150;
export const COMMUNITY = '450902005001';

export interface LatticeWorld {
  toLonLat(x: number, y: number): [number, number];
  nodeId(i: number, j: number): number;
  /** The WKT of the lattice rectangle (x0, y0)–(x1, y1), in metres from the city's label point. */
  wkt(x0: number, y0: number, x1: number, y1: number): string;
}

export async function buildLatticeWorld(db: DbHandle, grids: { seq: number; x0: number; y0: number; x1: number; y1: number; households: number; population: number }[]): Promise<LatticeWorld> {
  const [city] = await db.rows<{ lon: number; lat: number }>(sql`SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM regions WHERE level = 'city'`);
  const lon0 = Number(city!.lon);
  const lat0 = Number(city!.lat);
  const phi = (lat0 * Math.PI) / 180;
  // Metres per degree on the WGS84 ellipsoid at this latitude (accurate to centimetres per degree).
  const mPerDegLat = 111132.92 - 559.82 * Math.cos(2 * phi) + 1.175 * Math.cos(4 * phi);
  const mPerDegLon = 111412.84 * Math.cos(phi) - 93.5 * Math.cos(3 * phi);
  const toLonLat = (x: number, y: number): [number, number] => [lon0 + x / mPerDegLon, lat0 + y / mPerDegLat];
  const nodeId = (i: number, j: number) => 1 + i + 4 * j;
  const wkt = (x0: number, y0: number, x1: number, y1: number) =>
    `MULTIPOLYGON(((${[
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ]
      .map(([x, y]) => toLonLat(x!, y!).join(' '))
      .join(',')})))`;

  await db.db.transaction(async (tx) => {
    await tx.execute(sql`DELETE FROM isochrones`);
    await tx.execute(sql`DELETE FROM service_centres`);
    await tx.execute(sql`DELETE FROM road_edges`);
    await tx.execute(sql`DELETE FROM road_nodes`);
    await tx.execute(sql`DELETE FROM grids`);
    for (let j = 0; j < 4; j++)
      for (let i = 0; i < 4; i++) {
        const [lon, lat] = toLonLat(i * DX, j * DY);
        await tx.execute(sql`INSERT INTO road_nodes (id, geom) VALUES (${nodeId(i, j)}, ST_SetSRID(ST_MakePoint(${lon}::float8, ${lat}::float8), 4326))`);
      }
    let edgeId = 0;
    const edge = async (a: [number, number], b: [number, number], cost: number) => {
      await tx.execute(sql`
        INSERT INTO road_edges (id, source, target, name, road_class, length_m, cost, reverse_cost, geom)
        SELECT ${++edgeId}, ${nodeId(...a)}, ${nodeId(...b)}, NULL, 'street', ${cost}, ${cost}, ${cost}, ST_MakeLine(s.geom, t.geom)
        FROM road_nodes s, road_nodes t WHERE s.id = ${nodeId(...a)} AND t.id = ${nodeId(...b)}`);
    };
    for (let j = 0; j < 4; j++) for (let i = 0; i < 3; i++) await edge([i, j], [i + 1, j], DX);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 3; j++) await edge([i, j], [i, j + 1], DY);
    for (const g of grids) {
      const code = `${COMMUNITY}${String(g.seq).padStart(3, '0')}`;
      await tx.execute(sql`
        INSERT INTO grids (code, name, community_code, street_code, district_code, geom, label_point, households, population)
        VALUES (${code}, ${`测试网格${g.seq}`}, ${COMMUNITY}, ${COMMUNITY.slice(0, 9)}, ${COMMUNITY.slice(0, 6)},
                ST_GeomFromText(${wkt(g.x0, g.y0, g.x1, g.y1)}, 4326), ST_PointOnSurface(ST_GeomFromText(${wkt(g.x0, g.y0, g.x1, g.y1)}, 4326)),
                ${g.households}, ${g.population})`);
    }
    await bumpNetworkVersion(tx);
  });
  return { toLonLat, nodeId, wkt };
}
