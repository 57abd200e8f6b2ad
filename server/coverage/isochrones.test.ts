import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { describeEachEngine } from '../testing/databases';
import { defaultSearch, ensureIsochrones, reachFromSnap, readIsochrones } from './isochrones';
import { bumpNetworkVersion, currentNetworkVersion } from './networkVersion';
import { snapCentres } from './snap';
import { buildLatticeWorld, COMMUNITY, DX, DY, type LatticeWorld } from './testing/latticeWorld';
import { BUFFER_QUAD_SEGS, DEFAULT_SPEED_M_PER_MIN, ROAD_BUFFER_M } from './walking';

const manhattan = (i: number, j: number, k: number, l: number) => DX * Math.abs(i - k) + DY * Math.abs(j - l);

async function addCentre(db: DbHandle, world: LatticeWorld, x: number, y: number, name: string): Promise<number> {
  const [lon, lat] = world.toLonLat(x, y);
  const [row] = await db.rows<{ id: number }>(sql`
    INSERT INTO service_centres (name, level, region_code, area_m2, geom)
    VALUES (${name}, 'community', ${COMMUNITY}, 100, ST_SetSRID(ST_MakePoint(${lon}::float8, ${lat}::float8), 4326)) RETURNING id`);
  return Number(row!.id);
}

async function covers(db: DbHandle, world: LatticeWorld, centreId: number, minutes: number, x: number, y: number): Promise<boolean> {
  const [lon, lat] = world.toLonLat(x, y);
  const [row] = await db.rows<{ inside: boolean }>(sql`
    SELECT ST_Covers(geom, ST_SetSRID(ST_MakePoint(${lon}::float8, ${lat}::float8), 4326)) AS inside
    FROM isochrones WHERE centre_id = ${centreId} AND minutes = ${minutes}`);
  return row!.inside;
}

describeEachEngine('walking isochrones on a hand-made 4×4 lattice', (db, engine) => {
  let world: LatticeWorld;
  let onNode: number; // at node (1,1): local (200, 150)
  let offRoad: number; // 30 m south of the middle of edge (0,0)–(1,0)
  let farAway: number; // 1.5 km west of the lattice: no road within the snap distance
  const speed = DEFAULT_SPEED_M_PER_MIN;

  beforeAll(async () => {
    world = await buildLatticeWorld(db(), []);
    onNode = await addCentre(db(), world, DX, DY, '结点中心');
    offRoad = await addCentre(db(), world, DX / 2, -30, '路旁中心');
    farAway = await addCentre(db(), world, -1500, 225, '远郊中心');
  });

  it(`finds the walking distance to every node (${engine === 'postgis' ? 'pgr_drivingDistance' : 'Node Dijkstra'})`, async () => {
    expect(defaultSearch(db())).toBe(engine === 'postgis' ? 'pgrouting' : 'node');
    const [snap] = await snapCentres(db(), [onNode]);
    expect(snap!.edge!.snapM).toBeLessThan(0.01);
    const reach = await reachFromSnap(db(), snap!, 5000, defaultSearch(db()), await currentNetworkVersion(db()));
    expect(reach.size).toBe(16);
    for (let j = 0; j < 4; j++) for (let i = 0; i < 4; i++) expect(reach.get(world.nodeId(i, j))).toBeCloseTo(manhattan(i, j, 1, 1), 1);
  });

  it('snaps a centre beside a road to the edge and counts the walk to it', async () => {
    const [snap] = await snapCentres(db(), [offRoad]);
    expect(snap!.edge!.snapM).toBeCloseTo(30, 0);
    expect(snap!.edge!.fraction).toBeCloseTo(0.5, 3);
    const reach = await reachFromSnap(db(), snap!, 5000, defaultSearch(db()), await currentNetworkVersion(db()));
    // 30 m to the road, 100 m to either end of the edge, then along the lattice.
    for (let j = 0; j < 4; j++) for (let i = 0; i < 4; i++) expect(reach.get(world.nodeId(i, j))).toBeCloseTo(130 + Math.min(manhattan(i, j, 0, 0), manhattan(i, j, 1, 0)), 0);
  });

  if (engine === 'postgis') {
    it('pgRouting and the Node search agree node for node', async () => {
      const version = await currentNetworkVersion(db());
      for (const snap of await snapCentres(db(), [onNode, offRoad])) {
        const viaPg = await reachFromSnap(db(), snap, 450, 'pgrouting', version);
        const viaNode = await reachFromSnap(db(), snap, 450, 'node', version);
        expect([...viaPg.keys()].sort()).toEqual([...viaNode.keys()].sort());
        for (const [node, d] of viaPg) expect(viaNode.get(node)).toBeCloseTo(d, 6);
      }
    });
  }

  it('draws the 15-minute circle of a centre that reaches the whole lattice as the buffered lattice with its blocks filled', async () => {
    await ensureIsochrones(db(), { centreIds: [onNode], minutes: [15], speedMPerMin: speed });
    const [f] = await readIsochrones(db(), { centreIds: [onNode], minutes: [15], speedMPerMin: speed });
    expect(f!.properties.method).toBe('network');
    // Farthest node is 2·200 + 2·150 = 700 m < 1000 m: the whole 600 × 450 m lattice, buffered by 50 m.
    // Blocks (100 × 50 m holes) are filled; corners are quarter circles drawn with BUFFER_QUAD_SEGS
    // chords, each a triangle of area r²·sin(θ)/2 with θ = 90° / BUFFER_QUAD_SEGS.
    const r = ROAD_BUFFER_M;
    const theta = Math.PI / 2 / BUFFER_QUAD_SEGS;
    const cornerDeficit = 4 * (r * r - BUFFER_QUAD_SEGS * 0.5 * r * r * Math.sin(theta));
    const expected = (3 * DX + 2 * r) * (3 * DY + 2 * r) - cornerDeficit;
    expect(f!.properties.areaM2 / expected).toBeCloseTo(1, 2);
    expect(f!.geometry.coordinates.flat().length).toBe(1); // one ring: no holes left
  });

  it('cuts the 5-minute circle mid-edge where the 333 m budget runs out', async () => {
    await ensureIsochrones(db(), { centreIds: [onNode], minutes: [5], speedMPerMin: speed });
    const budget = 5 * speed; // 333.3 m
    // East along y = 150: node (2,1) at 200 m, then 133.3 m more towards (3,1).
    const frontierX = 2 * DX + (budget - DX);
    expect(await covers(db(), world, onNode, 5, frontierX + ROAD_BUFFER_M - 10, DY)).toBe(true);
    expect(await covers(db(), world, onNode, 5, frontierX + ROAD_BUFFER_M + 10, DY)).toBe(false);
    // North: node (1,3) at 300 m; the budget runs out 33.3 m along the top row either way.
    expect(await covers(db(), world, onNode, 5, DX + (budget - 2 * DY) + ROAD_BUFFER_M - 10, 3 * DY)).toBe(true);
    expect(await covers(db(), world, onNode, 5, DX + (budget - 2 * DY) + ROAD_BUFFER_M + 10, 3 * DY)).toBe(false);
    // Node (0,0) is 350 m away: outside, though both its neighbours' streets come within reach.
    expect(await covers(db(), world, onNode, 5, -ROAD_BUFFER_M + 5, -ROAD_BUFFER_M + 5)).toBe(false);
  });

  it('falls back to a straight-line circle, labelled buffer, where no road is within 300 m', async () => {
    const [snap] = await snapCentres(db(), [farAway]);
    expect(snap!.edge).toBeNull();
    await ensureIsochrones(db(), { centreIds: [farAway], minutes: [15], speedMPerMin: speed });
    const [f] = await readIsochrones(db(), { centreIds: [farAway], minutes: [15], speedMPerMin: speed });
    expect(f!.properties.method).toBe('buffer');
    // A 1000 m circle drawn as a 32-gon.
    expect(f!.properties.areaM2 / (16 * 1000 * 1000 * Math.sin(Math.PI / 16))).toBeCloseTo(1, 2);
    expect(await covers(db(), world, farAway, 15, -1500 + 990, 225)).toBe(true);
    expect(await covers(db(), world, farAway, 15, -1500 + 1010, 225)).toBe(false);
  });

  it('reuses cached circles and recomputes them when the network version moves on', async () => {
    const request = { centreIds: [onNode, offRoad], minutes: [10, 15], speedMPerMin: speed };
    await ensureIsochrones(db(), request);
    expect(await ensureIsochrones(db(), request)).toBe(0);
    const before = await db().rows<{ network_version: number }>(sql`SELECT network_version FROM isochrones WHERE centre_id = ${onNode} AND minutes = 15`);
    const bumped = await db().db.transaction((tx) => bumpNetworkVersion(tx));
    expect(bumped).toBe(Number(before[0]!.network_version) + 1);
    expect(await ensureIsochrones(db(), request)).toBe(4);
    const after = await readIsochrones(db(), request);
    expect(after.map((f) => f.properties.networkVersion)).toEqual([bumped, bumped, bumped, bumped]);
  });
});
