/**
 * Validated grid saves on real PostGIS: PUT /api/grids/:code moving a vertex shared with
 * a neighbour (lock community → apply → adjust neighbour → all topology rules → versions),
 * against the bare UPDATE of the same geometry without any rule, in the same run.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../db/client';
import { createApp } from '../server/app';
import { ensureAreas } from '../server/grids/gridWrites';
import { TEST_ADMIN } from '../server/testing/principals';
import { describeStats, fmt, measure } from './lib/stats';
import type { BenchSuite } from './lib/suite';

type Pos = [number, number];
export interface EditCase {
  code: string;
  community: string;
  geometry: { type: 'MultiPolygon'; coordinates: Pos[][][] };
  from: Pos;
  toward: Pos;
}

/** One grid per community (up to `count`) with a vertex shared with exactly one neighbour. */
export async function editCases(db: DbHandle, count: number): Promise<EditCase[]> {
  const rows = await db.rows<{ code: string; community: string; geometry: string; lon: number; lat: number; tlon: number; tlat: number }>(sql`
    WITH picked AS (
      SELECT DISTINCT ON (community_code) id, code, community_code, geom FROM grids ORDER BY community_code, id LIMIT ${count}
    ), pts AS (
      SELECT p.id, (ST_DumpPoints(p.geom)).geom AS pt FROM picked p
    )
    SELECT DISTINCT ON (p.id) p.code, p.community_code AS community, ST_AsGeoJSON(p.geom) AS geometry,
           ST_X(pts.pt) AS lon, ST_Y(pts.pt) AS lat, ST_X(n.label_point) AS tlon, ST_Y(n.label_point) AS tlat
    FROM picked p JOIN pts ON pts.id = p.id
    JOIN grids n ON n.community_code = p.community_code AND n.id <> p.id AND ST_Intersects(n.geom, pts.pt) AND ST_Relate(n.geom, p.geom, '****1****')
    JOIN regions r ON r.code = p.community_code AND NOT ST_Intersects(ST_Boundary(r.geom), pts.pt)
    ORDER BY p.id`);
  return rows.map((r) => ({
    code: r.code,
    community: r.community,
    geometry: JSON.parse(r.geometry),
    from: [Number(r.lon), Number(r.lat)],
    toward: [Number(r.tlon), Number(r.tlat)],
  }));
}

export const moved = (c: EditCase, share: number) => {
  const to: Pos = [c.from[0] + (c.toward[0] - c.from[0]) * share, c.from[1] + (c.toward[1] - c.from[1]) * share];
  return { type: 'MultiPolygon' as const, coordinates: c.geometry.coordinates.map((p) => p.map((ring) => ring.map((pt) => (pt[0] === c.from[0] && pt[1] === c.from[1] ? to : pt)))) };
};

async function runEditBench(db: DbHandle, grids: number): Promise<void> {
  const label = `${grids} grids`;
  // The generalised areas are built once per database (a server does it at its first write or tile), not per save.
  await ensureAreas(db);
  const cases = await editCases(db, 60);
  const app = createApp(db, { anonymousUser: TEST_ADMIN });
  const versions = new Map<string, number>();
  for (const c of cases) {
    const [row] = await db.rows<{ version: number }>(sql`SELECT version FROM grids WHERE code = ${c.code}`);
    versions.set(c.code, row!.version);
  }
  const baseline = await measure(cases, 1, async (c) => {
    await db.rows(sql`UPDATE grids SET geom = ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(moved(c, 0.1))}), 4326)) WHERE code = ${c.code} AND false`);
  });
  let failures = 0;
  const saves = await measure(cases, 1, async (c) => {
    const res = await app.request(`/api/grids/${c.code}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-actor': 'bench' },
      body: JSON.stringify({ version: versions.get(c.code), geometry: moved(c, 0.1) }),
    });
    if (res.status !== 200) failures++;
    await res.arrayBuffer();
  });
  console.log(`  ${label}: ${cases.length} saves in ${cases.length} communities, ${failures} rejected`);
  console.log(`    validated save (PUT, all rules) : ${describeStats(saves)}`);
  console.log(`    bare UPDATE statement baseline  : ${describeStats(baseline)}`);
  console.log(`    ratio p95 save/baseline         : ${fmt(saves.p95 / baseline.p95, 1)}×  (target p95 < ${grids >= 300_000 ? 100 : 50} ms)`);
}

export const suite: BenchSuite = {
  name: 'edits',
  title: 'validated grid save latency (PostGIS)',
  run: async ({ db, grids, openScale }) => {
    await runEditBench(db, grids);
    if (process.env.BENCH_LARGE === '1') await runEditBench(await openScale(300_000), 300_000);
    else console.log('  (set BENCH_LARGE=1 to also run at 300,000 grids; preparing that database takes several minutes)');
  },
};
