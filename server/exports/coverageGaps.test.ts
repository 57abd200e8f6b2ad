import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { blindSpots, BLIND_SPOT_MIN_AREA_M2, coverageSummary } from '../coverage/coverage';
import { buildLatticeWorld, COMMUNITY, DX, DY } from '../coverage/testing/latticeWorld';
import { DEFAULT_SPEED_M_PER_MIN } from '../coverage/walking';
import { describeEachEngine } from '../testing/databases';
import { request } from '../testing/request';
import { ogrReadWarnings, ogrSqlRow, ogrSummary, ogrToGeoJson, validateGeoPackage } from './testing/gdal';

const dir = mkdtempSync(join(tmpdir(), 'dangjian-gaps-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The coverage tests' lattice (server/coverage/testing/latticeWorld.ts): one centre
 * at node (1,1) covers x ∈ [−50, 650], y ∈ [−50, 500] in 15 minutes.
 *   901 [100,300]×[100,300]  inside: no gap
 *   902 [2000,2200]×[0,200]  outside: 200 × 200 m gap, all 300 households
 *   903 [500,900]×[100,300]  250 × 200 m of its 400 × 200 m outside: 62.5 % of 200 households
 */
const GRIDS = [
  { seq: 901, x0: 100, y0: 100, x1: 300, y1: 300, households: 100, population: 300 },
  { seq: 902, x0: 2000, y0: 0, x1: 2200, y1: 200, households: 300, population: 900 },
  { seq: 903, x0: 500, y0: 100, x1: 900, y1: 300, households: 200, population: 600 },
];

/** Polygon area (m²) of projected coordinates, holes subtracted. */
function planarArea(g: GeoJSON.MultiPolygon): number {
  const ring = (r: GeoJSON.Position[]) => Math.abs(r.reduce((s, p, i) => (i === 0 ? s : s + ((r[i - 1]![0] as number) * (p[1] as number) - (p[0] as number) * (r[i - 1]![1] as number))), 0)) / 2;
  return g.coordinates.reduce((sum, polygon) => sum + ring(polygon[0]!) - polygon.slice(1).reduce((s, hole) => s + ring(hole), 0), 0);
}

describeEachEngine('coverage gaps export layer', (db, engine) => {
  beforeAll(async () => {
    const world = await buildLatticeWorld(db(), GRIDS);
    const res = await request(db(), '/api/centres', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: '测试社区党群服务中心', level: 'community', regionCode: COMMUNITY, areaM2: 100, position: world.toLonLat(DX, DY) }),
    });
    expect(res.status).toBe(201);
  });

  async function download(query: string, name: string) {
    const res = await request(db(), `/api/exports/coverage_gaps?${query}`);
    expect(
      res.status,
      await res
        .clone()
        .text()
        .then((t) => t.slice(0, 300)),
    ).toBe(200);
    const file = join(dir, `${engine}-${name}`);
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    return { file, count: Number(res.headers.get('x-feature-count')) };
  }

  it('exports the blind spots as GeoJSON with their grid, community and apportioned households', async () => {
    const { file, count } = await download('format=geojson', 'gaps.geojson');
    const collection = JSON.parse(readFileSync(file, 'utf8')) as GeoJSON.FeatureCollection<GeoJSON.MultiPolygon>;
    expect(count).toBe(2);
    expect(ogrSummary(file).featureCount).toBe(2);
    const byGrid = Object.fromEntries(collection.features.map((f) => [f.properties!.grid_code, f.properties!]));
    expect(Object.keys(byGrid).sort()).toEqual([`${COMMUNITY}902`, `${COMMUNITY}903`]);
    expect(byGrid[`${COMMUNITY}902`]).toMatchObject({ grid_name: '测试网格902', community_code: COMMUNITY, community_name: '五里桥社区居委会', street_code: COMMUNITY.slice(0, 9) });
    expect(byGrid[`${COMMUNITY}902`]!.uncovered_area_m2 / 40_000).toBeCloseTo(1, 2);
    expect(byGrid[`${COMMUNITY}902`]!.uncovered_households).toBeCloseTo(300, 0);
    expect(byGrid[`${COMMUNITY}902`]!.uncovered_population).toBeCloseTo(900, 0);
    expect(byGrid[`${COMMUNITY}903`]!.uncovered_share).toBeCloseTo(0.625, 2);
    expect(byGrid[`${COMMUNITY}903`]!.uncovered_households).toBeCloseTo(125, 0);

    // The coverage module's figures: its blind spots (same SQL; the export overlays on the 1e-7° grid, so within 1e-4), and what its summary leaves uncovered.
    const total = collection.features.reduce((s, f) => s + f.properties!.uncovered_area_m2, 0);
    const spots = await blindSpots(db(), { speedMPerMin: DEFAULT_SPEED_M_PER_MIN, minAreaM2: BLIND_SPOT_MIN_AREA_M2 });
    expect(spots.features.map((f) => f.properties.gridCode).sort()).toEqual(Object.keys(byGrid).sort());
    expect(total / spots.features.reduce((s, f) => s + f.properties.uncoveredAreaM2, 0)).toBeCloseTo(1, 4);
    const summary = await coverageSummary(db(), 'grid', { speedMPerMin: DEFAULT_SPEED_M_PER_MIN });
    expect(total / (summary.total.areaM2 - summary.total.coveredAreaM2)).toBeCloseTo(1, 3);
    expect(total / 90_000).toBeCloseTo(1, 2);
  });

  it('exports them as a conformant GeoPackage in a Gauss-Krüger zone, areas intact after projection', async () => {
    const { file, count } = await download('format=gpkg&crs=4546', 'gaps-4546.gpkg');
    const summary = ogrSummary(file);
    expect(summary.featureCount).toBe(count);
    expect(summary.epsg).toBe(4546);
    expect(summary.geometry).toBe('Multi Polygon');
    expect(validateGeoPackage(file)).toBe('');
    expect(ogrReadWarnings(file)).toBe('');
    expect(ogrSqlRow(file, "SELECT HasSpatialIndex('coverage_gaps', 'geom') AS indexed, (SELECT count(*) FROM rtree_coverage_gaps_geom) AS n")).toEqual({ indexed: '1', n: '2' });
    const features = ogrToGeoJson(file).features as GeoJSON.Feature<GeoJSON.MultiPolygon>[];
    expect(features.map((f) => f.properties!.community_name)).toEqual(['五里桥社区居委会', '五里桥社区居委会']);
    // Planar area in the projection (scale error here ~2e-4) against the geodesic area attribute.
    for (const f of features) expect(planarArea(f.geometry) / f.properties!.uncovered_area_m2).toBeCloseTo(1, 3);
  });

  it('filters by region and counts what it exports', async () => {
    expect((await download(`format=geojson&region=${COMMUNITY}903`, 'gaps-903.geojson')).count).toBe(1);
    expect((await download('format=geojson&region=450902001', 'gaps-elsewhere.geojson')).count).toBe(0);
  });
});
