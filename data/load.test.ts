import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../server/testing/databases';

describeEachEngine('sample topology in the database', (db) => {
  it('stores only valid geometries', async () => {
    const [row] = await db().rows<{ grids: number; regions: number }>(sql`
      SELECT (SELECT count(*)::int FROM grids WHERE NOT ST_IsValid(geom)) AS grids,
             (SELECT count(*)::int FROM regions WHERE NOT ST_IsValid(geom)) AS regions`);
    expect(row).toEqual({ grids: 0, regions: 0 });
  });

  it('tiles every community with its grids: no gaps, no overlaps', async () => {
    const [gaps] = await db().rows<{ worst: number; communities: number }>(sql`
      WITH u AS (SELECT community_code, ST_Union(geom) AS g FROM grids GROUP BY community_code)
      SELECT max(ST_Area(ST_SymDifference(u.g, r.geom)::geography))::float8 AS worst, count(*)::int AS communities
      FROM u JOIN regions r ON r.code = u.community_code`);
    expect(gaps!.communities).toBe(111);
    expect(gaps!.worst).toBeLessThan(0.01); // m²
    const [overlaps] = await db().rows<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM grids a JOIN grids b ON a.id < b.id AND a.geom && b.geom
      WHERE ST_Relate(a.geom, b.geom, '2********')`);
    expect(overlaps!.n).toBe(0);
  });

  it('keeps grid areas and region figures consistent', async () => {
    const [row] = await db().rows<{ grid_area: number; city_area: number; hh: number; city_hh: number }>(sql`
      SELECT (SELECT sum(area_m2) FROM grids)::float8 AS grid_area,
             (SELECT ST_Area(geom::geography) FROM regions WHERE level = 'city')::float8 AS city_area,
             (SELECT sum(households) FROM grids)::int AS hh,
             (SELECT households FROM regions WHERE level = 'city') AS city_hh`);
    expect(row!.grid_area / row!.city_area).toBeCloseTo(1, 6);
    expect(row!.city_hh).toBe(row!.hh);
  });
});
