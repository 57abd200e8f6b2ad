import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, expect, it } from 'vitest';
import { wgs84ToGcj02 } from '../../kernel/gcj02';
import { resolveCrs } from './crs/projections';
import { gridsLayer } from './layers';
import { readFeatureBatches } from './source';
import { metresBetween, ogrReadWarnings, ogrSqlRow, ogrSummary, ogrToCsv, ogrToGeoJson, validateGeoPackage } from './testing/gdal';
import { describeEachEngine } from '../testing/databases';
import { request, requestJson } from '../testing/request';

const COMMUNITY = '450902005001';
const GRID = '450902005001001';
const GRID_NAME = '五里桥社区第1网格';
const dir = mkdtempSync(join(tmpdir(), 'dangjian-export-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** GDAL path for a downloaded file: Shapefile zips are read through /vsizip/. */
async function download(db: Parameters<typeof request>[0], path: string, name: string) {
  const res = await request(db, path);
  expect(
    res.status,
    await res
      .clone()
      .text()
      .then((t) => t.slice(0, 300)),
  ).toBe(200);
  const file = join(dir, name);
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return { res, file, gdalPath: name.endsWith('.zip') ? `/vsizip/${file}` : file };
}

const FILE_FORMATS = [
  ['geojson', 'geojson'],
  ['shp', 'zip'],
  ['gpkg', 'gpkg'],
  ['fgb', 'fgb'],
] as const;

describeEachEngine('exports API', (db, engine) => {
  const sourceVertex = async () => {
    const [row] = await db().rows<{ x: number; y: number; n: number }>(
      sql`SELECT ST_X(ST_PointN(ST_ExteriorRing(ST_GeometryN(geom, 1)), 1)) AS x, ST_Y(ST_PointN(ST_ExteriorRing(ST_GeometryN(geom, 1)), 1)) AS y, ST_NPoints(geom) AS n FROM grids WHERE code = ${GRID}`,
    );
    return { vertex: [Number(row!.x), Number(row!.y)] as [number, number], points: Number(row!.n) };
  };
  const communityCount = async () => {
    const [row] = await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM grids WHERE community_code = ${COMMUNITY}`);
    return Number(row!.n);
  };

  it('lists layers with their Shapefile field mapping, formats and CRSs', async () => {
    const { status, body } = await requestJson<any>(db(), '/api/exports/layers');
    expect(status).toBe(200);
    expect(body.layers.map((l: { name: string }) => l.name)).toEqual(['grids', 'centres', 'isochrones', 'belts', 'circles', 'incidents', 'kpi_communities', 'coverage_gaps', 'estates', 'sub_grids', 'foreign_grids']);
    const grids = body.layers[0];
    expect(grids.fields).toContainEqual({ name: 'community_code', shapefileName: 'comm_code', title: '社区编码', type: 'text' });
    expect(body.formats.map((f: { id: string }) => f.id)).toEqual(['geojson', 'shp', 'gpkg', 'kml', 'csv', 'fgb']);
    expect(body.crs.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining(['4326', '4490', 'gcj02', '4534', '4546', '4554']));
  });

  it.each(FILE_FORMATS)('%s in EPSG:4546 opens in GDAL with the right count, CRS, Chinese names and vertices within 1 m', async (format, ext) => {
    const expected = await communityCount();
    const { res, gdalPath } = await download(db(), `/api/exports/grids?format=${format}&crs=4546&region=${COMMUNITY}`, `${engine}-grids-4546.${ext}`);
    expect(res.headers.get('x-feature-count')).toBe(String(expected));
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="grids_${COMMUNITY}_epsg4546.${ext}"; filename*=UTF-8''${encodeURIComponent(`网格_grids_${COMMUNITY}_epsg4546.${ext}`)}`);
    const summary = ogrSummary(gdalPath);
    expect(summary.featureCount).toBe(expected);
    expect(summary.epsg).toBe(4546);
    expect(summary.crsName).toBe('CGCS2000 / 3-degree Gauss-Kruger CM 111E');
    expect(ogrToCsv(gdalPath, `code = '${GRID}'`)).toContain(GRID_NAME);
    // GDAL reprojects back to WGS 84; the grid's first vertex must land within 1 m of the database's.
    const back = ogrToGeoJson(gdalPath, { where: `code = '${GRID}'`, toSrs: 'EPSG:4326' });
    expect(back.features).toHaveLength(1);
    const feature = back.features[0]!;
    expect(feature.properties?.name).toBe(GRID_NAME);
    const geom = feature.geometry as GeoJSON.MultiPolygon | GeoJSON.Polygon;
    const ring = geom.type === 'Polygon' ? geom.coordinates[0]! : geom.coordinates[0]![0]!;
    const { vertex, points } = await sourceVertex();
    expect(metresBetween(ring[0]!, vertex)).toBeLessThan(1);
    expect(ring.length).toBe(points);
  });

  it('GeoPackage in CGCS2000 (EPSG:4490) is a conformant GeoPackage with an R-tree, GDAL reads it without a warning', async () => {
    const { gdalPath } = await download(db(), `/api/exports/grids?format=gpkg&crs=4490&region=${COMMUNITY}`, `${engine}-grids-4490.gpkg`);
    const summary = ogrSummary(gdalPath);
    const expected = await communityCount();
    expect(summary.epsg).toBe(4490);
    expect(summary.crsName).toBe('China Geodetic Coordinate System 2000');
    expect(summary.featureCount).toBe(expected);
    expect(summary.output).toMatch(/using driver `GPKG' successful/);
    expect(validateGeoPackage(gdalPath)).toBe('');
    expect(ogrReadWarnings(gdalPath)).toBe('');
    expect(ogrSqlRow(gdalPath, 'PRAGMA integrity_check')).toEqual({ integrity_check: 'ok' });
    expect(ogrSqlRow(gdalPath, "SELECT HasSpatialIndex('grids', 'geom') AS indexed, (SELECT count(*) FROM rtree_grids_geom) AS n")).toEqual({ indexed: '1', n: String(expected) });
  });

  it('KML and CSV (WKT) carry the features and Chinese names', async () => {
    const expected = await communityCount();
    const kml = await download(db(), `/api/exports/grids?format=kml&region=${COMMUNITY}`, `${engine}-grids.kml`);
    expect(ogrSummary(kml.gdalPath).featureCount).toBe(expected);
    expect(ogrSummary(kml.gdalPath).epsg).toBe(4326);
    expect(ogrToCsv(kml.gdalPath)).toContain(GRID_NAME);
    const csv = await download(db(), `/api/exports/grids?format=csv&region=${COMMUNITY}`, `${engine}-grids.csv`);
    expect(ogrSummary(csv.gdalPath).featureCount).toBe(expected);
    const back = ogrToGeoJson(csv.gdalPath, { where: `code = '${GRID}'` });
    const geom = back.features[0]!.geometry as GeoJSON.MultiPolygon;
    expect(metresBetween(geom.coordinates[0]![0]![0]!, (await sourceVertex()).vertex)).toBeLessThan(0.01);
  });

  it('GCJ-02 exports apply the offset to every vertex', async () => {
    const { gdalPath } = await download(db(), `/api/exports/grids?format=gpkg&crs=gcj02&region=${COMMUNITY}`, `${engine}-grids-gcj02.gpkg`);
    expect(ogrSummary(gdalPath).crsName).toBe('GCJ-02');
    const back = ogrToGeoJson(gdalPath, { where: `code = '${GRID}'` });
    const first = (back.features[0]!.geometry as GeoJSON.MultiPolygon).coordinates[0]![0]![0]!;
    const { vertex } = await sourceVertex();
    const expected = wgs84ToGcj02(vertex[0], vertex[1]);
    expect(metresBetween(first, expected)).toBeLessThan(0.01);
    expect(metresBetween(first, vertex)).toBeGreaterThan(300);
    // The GeoPackage (WKB offset in place) and the GeoJSON (offset on parsed coordinates) carry the same vertices.
    const geojson = await download(db(), `/api/exports/grids?format=geojson&crs=gcj02&region=${COMMUNITY}`, `${engine}-grids-gcj02.geojson`);
    const vertices = (collection: GeoJSON.FeatureCollection) => collection.features.flatMap((f) => (f.geometry as GeoJSON.MultiPolygon).coordinates.flat(2));
    expect(vertices(ogrToGeoJson(gdalPath))).toEqual(vertices(JSON.parse(readFileSync(geojson.file, 'utf8'))));
  });

  it('KML booleans survive GDAL: every true value reads back as 1', async () => {
    const region = '450902005';
    const [row] = await db().rows<{ n: number; yes: number }>(sql`
      SELECT count(*)::int AS n, count(*) FILTER (WHERE extended)::int AS yes FROM incidents
      WHERE grid_code LIKE '450902005%' OR community_code LIKE '450902005%' OR street_code LIKE '450902005%'`);
    expect(Number(row!.yes)).toBeGreaterThan(0);
    const kml = await download(db(), `/api/exports/incidents?format=kml&region=${region}`, `${engine}-incidents.kml`);
    const back = ogrToGeoJson(kml.gdalPath);
    expect(back.features).toHaveLength(Number(row!.n));
    expect(back.features.filter((f) => f.properties?.extended === 1)).toHaveLength(Number(row!.yes));
    expect(back.features.filter((f) => f.properties?.extended === 0)).toHaveLength(Number(row!.n) - Number(row!.yes));
    expect(ogrReadWarnings(kml.gdalPath)).toBe('');
  });

  it('GCJ-02 files say GCJ-02: GeoJSON crs, FlatGeobuf CRS WKT, Shapefile .prj, file names; the catalogue warns', async () => {
    for (const [format, ext] of [
      ['geojson', 'geojson'],
      ['fgb', 'fgb'],
      ['shp', 'zip'],
    ] as const) {
      const { res, file, gdalPath } = await download(db(), `/api/exports/grids?format=${format}&crs=gcj02&region=${COMMUNITY}`, `${engine}-grids-gcj02-label.${ext}`);
      const summary = ogrSummary(gdalPath);
      expect(summary.crsName, format).toBe('GCJ-02');
      expect(summary.epsg, format).toBeNull();
      expect(summary.output, format).not.toMatch(/ID\["EPSG",4326\]/);
      expect(res.headers.get('x-crs')).toBe('GCJ-02');
      expect(res.headers.get('content-disposition')).toContain(`filename="grids_${COMMUNITY}_gcj02.${ext}"`);
      // GDAL 3.6 does not print it, but the FlatGeobuf CRS carries the warning as its description.
      if (format === 'fgb') expect(readFileSync(file).includes(Buffer.from('GCJ-02 是加偏坐标'))).toBe(true);
    }
    const { body } = await requestJson<any>(db(), '/api/exports/layers');
    const gcj02 = body.crs.find((c: { id: string }) => c.id === 'gcj02');
    expect(gcj02.warning).toMatch(/GCJ-02.*WGS 84/);
    expect(body.crs.find((c: { id: string }) => c.id === '4326').warning).toBeNull();
  });

  it('stops reading pages once the download is abandoned', async () => {
    const controller = new AbortController();
    const pages = readFeatureBatches(db(), gridsLayer, {}, resolveCrs('4546')!, { batchSize: 100, encoding: 'wkb', signal: controller.signal });
    expect((await pages.next()).value).toHaveLength(100);
    controller.abort();
    await expect(pages.next()).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('filters incidents by region and report time, and other layers export too', async () => {
    const from = '2025-03-01';
    const to = '2025-06-01';
    const [row] = await db().rows<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM incidents
      WHERE (grid_code LIKE '450902005%' OR community_code LIKE '450902005%' OR street_code LIKE '450902005%')
        AND reported_at >= '2025-03-01T00:00:00+08:00' AND reported_at < '2025-06-01T00:00:00+08:00'`);
    const counted = await requestJson<{ count: number }>(db(), `/api/exports/incidents/count?region=450902005&from=${from}&to=${to}`);
    expect(counted.body.count).toBe(Number(row!.n));
    const { res, gdalPath } = await download(db(), `/api/exports/incidents?format=shp&region=450902005&from=${from}&to=${to}`, `${engine}-incidents.zip`);
    expect(res.headers.get('x-feature-count')).toBe(String(row!.n));
    expect(ogrSummary(gdalPath).featureCount).toBe(Number(row!.n));
    expect(ogrSummary(gdalPath).geometry).toBe('Point');

    for (const layer of ['centres', 'belts', 'circles', 'kpi_communities', 'isochrones']) {
      const { res: r, gdalPath: p } = await download(db(), `/api/exports/${layer}?format=gpkg`, `${engine}-${layer}.gpkg`);
      const n = Number(r.headers.get('x-feature-count'));
      expect(ogrSummary(p).featureCount, layer).toBe(n);
    }
    const [kpi] = await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM regions WHERE level = 'community'`);
    expect((await requestJson<{ count: number }>(db(), '/api/exports/kpi_communities/count')).body.count).toBe(Number(kpi!.n));
  });

  it.each([
    ['/api/exports/grids?format=xls', 400, 'format'],
    ['/api/exports/grids?crs=3857', 400, 'crs'],
    ['/api/exports/grids?format=kml&crs=4546', 400, 'crs'],
    ['/api/exports/grids?region=..%2F..%2Fetc', 400, 'region'],
    ['/api/exports/grids?from=2025-06-01', 400, 'from'],
    ['/api/exports/incidents?from=2025-06-01&to=2025-01-01', 400, 'to'],
    ['/api/exports/incidents?from=yesterday', 400, 'from'],
    // Impossible calendar dates are refused, not rolled over to 2026-03-02.
    ['/api/exports/incidents?from=2026-02-30', 400, 'from'],
    ['/api/exports/incidents?from=2026-01-01&to=2026-04-31T08:00:00%2B08:00', 400, 'to'],
  ])('rejects %s with %i naming %s', async (path, status, field) => {
    const { status: s, contentType, body } = await requestJson<any>(db(), path);
    expect(s).toBe(status);
    expect(contentType).toContain('application/problem+json');
    expect(body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('answers 404 for an unknown layer, including path-like names', async () => {
    expect((await requestJson(db(), '/api/exports/roads')).status).toBe(404);
    expect((await requestJson(db(), '/api/exports/..%2Fgrids')).status).toBeGreaterThanOrEqual(400);
  });
});
