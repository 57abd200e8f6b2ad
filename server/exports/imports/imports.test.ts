import { sql } from 'drizzle-orm';
import { zipSync } from 'fflate';
import { expect, it } from 'vitest';
import type { DbHandle } from '../../../db/client';
import { resolveCrs, transformGeometry } from '../crs/projections';
import { TEST_ADMIN } from '../../testing/principals';
import { describeEachEngine } from '../../testing/databases';
import { request } from '../../testing/request';

const COMMUNITY = '450902005001';
const GRID = '450902005001001';

async function post(db: DbHandle, query: string, body: Uint8Array | string | FormData, headers: Record<string, string> = {}) {
  const payload: BodyInit = body instanceof Uint8Array ? new Uint8Array(body) : body;
  const res = await request(db, `/api/exports/imports?${query}`, { method: 'POST', body: payload, headers });
  return { status: res.status, contentType: res.headers.get('content-type'), body: (await res.json()) as any };
}

async function exported(db: DbHandle, query: string): Promise<Uint8Array> {
  const res = await request(db, `/api/exports/grids?${query}`);
  expect(res.status).toBe(200);
  return new Uint8Array(await res.arrayBuffer());
}

/**
 * Everything an import could touch; equal before and after means nothing was written.
 * (The request-level audit trail records every attempt by design; only the import's own entry counts here.)
 */
async function fingerprint(db: DbHandle) {
  const [row] = await db.rows<Record<string, unknown>>(sql`
    SELECT (SELECT count(*)::int FROM grids) AS grids, (SELECT sum(version)::int FROM grids) AS versions,
           (SELECT count(*)::int FROM grid_versions) AS grid_versions, (SELECT count(*)::int FROM audit_log WHERE action = 'import') AS audit,
           (SELECT md5(string_agg(code || ST_AsText(geom) || name, ',' ORDER BY code)) FROM grids) AS content`);
  return row;
}

const featureCollection = (features: { code: string; name?: string; coordinates: number[][][] }[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    type: 'FeatureCollection',
    ...extra,
    features: features.map((f) => ({ type: 'Feature', properties: { code: f.code, name: f.name ?? '测试网格' }, geometry: { type: 'Polygon', coordinates: f.coordinates } })),
  });

describeEachEngine('grid import', (db) => {
  it('dry-runs an exported Shapefile (EPSG:4546) cleanly and writes nothing', async () => {
    const before = await fingerprint(db());
    const zip = await exported(db(), `format=shp&crs=4546&region=${COMMUNITY}`);
    const { status, body } = await post(db(), 'dryRun=true', zip);
    expect(status).toBe(200);
    const [n] = await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM grids WHERE community_code = ${COMMUNITY}`);
    expect(body).toMatchObject({ dryRun: true, committed: false, format: 'shp', features: Number(n!.n), updates: Number(n!.n), creates: 0, errors: 0 });
    expect(body.crs).toMatchObject({ id: '4546', epsg: 4546, source: '.prj 文件' });
    expect(await fingerprint(db())).toEqual(before);
  });

  it('dry-runs GeoPackage (4490) and GCJ-02 GeoJSON exports with their CRS detected', async () => {
    const gpkg = await post(db(), 'dryRun=true', await exported(db(), `format=gpkg&crs=4490&region=${COMMUNITY}`));
    expect(gpkg.status).toBe(200);
    expect(gpkg.body.crs).toMatchObject({ epsg: 4490, source: 'GeoPackage srs_id 4490' });
    expect(gpkg.body.errors).toBe(0);
    const gcj = await post(db(), 'dryRun=true', await exported(db(), `format=geojson&crs=gcj02&region=${COMMUNITY}`));
    expect(gcj.status).toBe(200);
    expect(gcj.body.crs.id).toBe('gcj02');
    expect(gcj.body.errors).toBe(0);
  });

  it('maps attributes named by the mapping parameter', async () => {
    const [g] = await db().rows<{ geojson: string }>(sql`SELECT ST_AsGeoJSON(ST_GeometryN(geom, 1), 9) AS geojson FROM grids WHERE code = ${GRID}`);
    const polygon = JSON.parse(g!.geojson) as GeoJSON.Polygon;
    const body = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { GRID_ID: GRID, GRID_NM: '新名称' }, geometry: polygon }] });
    const missing = await post(db(), 'dryRun=true', body);
    expect(missing.status).toBe(422);
    expect(missing.body.errors[0].field).toBe('mapping');
    const mapped = await post(db(), 'dryRun=true&mapping=code:grid_id,name:GRID_NM', body);
    expect(mapped.status).toBe(200);
    expect(mapped.body).toMatchObject({ updates: 1, creates: 0 });
  });

  it('commits a GK Shapefile import in one transaction with an import version per changed grid', async () => {
    const zip = await exported(db(), `format=shp&crs=4546&region=${COMMUNITY}`);
    const original = await db().rows<{ code: string; version: number; area: number }>(sql`SELECT code, version, ST_Area(geom::geography) AS area FROM grids WHERE community_code = ${COMMUNITY} ORDER BY code`);
    const { status, body } = await post(db(), 'dryRun=false', zip, { 'x-user': 'analyst-7' });
    expect(status).toBe(200);
    expect(body.committed).toBe(true);
    expect(body.updates + body.unchanged).toBe(original.length);
    // GK coordinates are rounded to 0.1 mm, so the round trip changes every grid slightly.
    expect(body.updates).toBeGreaterThan(0);
    const after = await db().rows<{ code: string; version: number; area: number }>(sql`SELECT code, version, ST_Area(geom::geography) AS area FROM grids WHERE community_code = ${COMMUNITY} ORDER BY code`);
    const versions = await db().rows<{ grid_code: string; version: number; actor: string }>(sql`SELECT grid_code, version, actor FROM grid_versions WHERE action = 'import' ORDER BY grid_code`);
    expect(versions).toHaveLength(body.updates);
    for (const [i, row] of after.entries()) {
      // Projected to GK, rounded to 0.1 mm, and back: the area moves by far less than a square metre.
      expect(Math.abs(Number(row.area) - Number(original[i]!.area))).toBeLessThan(1);
      const v = versions.find((x) => x.grid_code === row.code);
      if (v) {
        expect(row.version).toBe(original[i]!.version + 1);
        expect(v).toMatchObject({ version: row.version, actor: TEST_ADMIN.displayName });
      } else expect(row.version).toBe(original[i]!.version);
    }
  });

  it('creates a new grid in a gap-free way only where it does not overlap', async () => {
    // A new grid cut out of nowhere inside the community overlaps existing grids: refused.
    const [c] = await db().rows<{ x: number; y: number }>(sql`SELECT ST_X(ST_PointOnSurface(geom)) AS x, ST_Y(ST_PointOnSurface(geom)) AS y FROM grids WHERE code = ${GRID}`);
    const x = Number(c!.x);
    const y = Number(c!.y);
    const d = 0.0002;
    const square = [
      [
        [x - d, y - d],
        [x + d, y - d],
        [x + d, y + d],
        [x - d, y + d],
        [x - d, y - d],
      ],
    ];
    const before = await fingerprint(db());
    const { status, body } = await post(db(), 'dryRun=false', featureCollection([{ code: `${COMMUNITY}901`, coordinates: square }]));
    expect(status).toBe(422);
    const overlap = body.report.issues.find((i: any) => i.kind === 'overlap_existing');
    expect(overlap).toMatchObject({ feature: 1, code: `${COMMUNITY}901`, other: GRID, severity: 'error' });
    // (2d)² degrees at 22.6°N ≈ 44.5 m × 41.1 m
    expect(overlap.areaM2).toBeGreaterThan(1500);
    expect(overlap.areaM2).toBeLessThan(2100);
    expect(metresTo(overlap.location, [x, y])).toBeLessThan(60);
    expect(await fingerprint(db())).toEqual(before);
  });

  it('reports overlaps between imported grids, duplicate codes and gaps left in a community', async () => {
    const rows = await db().rows<{ code: string; geojson: string }>(sql`SELECT code, ST_AsGeoJSON(ST_GeometryN(geom, 1), 9) AS geojson FROM grids WHERE community_code = ${COMMUNITY} ORDER BY code`);
    const polygons = rows.map((r) => ({ code: r.code, coordinates: (JSON.parse(r.geojson) as GeoJSON.Polygon).coordinates }));
    // Grid 2 re-imported with grid 1's shape: overlaps grid 1 (imported) and leaves grid 2's area uncovered.
    const body = featureCollection([polygons[0]!, { ...polygons[1]!, coordinates: polygons[0]!.coordinates }, { ...polygons[2]!, code: polygons[0]!.code }]);
    const before = await fingerprint(db());
    const { status, body: problem } = await post(db(), 'dryRun=true', body);
    expect(status).toBe(422);
    const kinds = problem.report.issues.map((i: any) => i.kind);
    expect(kinds).toContain('overlap_import');
    expect(kinds).toContain('duplicate_code');
    const gap = problem.report.issues.find((i: any) => i.kind === 'gap');
    expect(gap).toMatchObject({ severity: 'warning', code: COMMUNITY });
    const [area] = await db().rows<{ a: number }>(sql`SELECT ST_Area(geom::geography) AS a FROM grids WHERE code = ${polygons[1]!.code}`);
    expect(gap.areaM2).toBeGreaterThan(Number(area!.a) * 0.5);
    expect(await fingerprint(db())).toEqual(before);
  });

  it('rejects a bow-tie polygon with the reason and location, writing nothing', async () => {
    const before = await fingerprint(db());
    const [c] = await db().rows<{ x: number; y: number }>(sql`SELECT ST_X(label_point) AS x, ST_Y(label_point) AS y FROM grids WHERE code = ${GRID}`);
    const x = Number(c!.x);
    const y = Number(c!.y);
    const bowtie = [
      [
        [x, y],
        [x + 0.001, y + 0.001],
        [x + 0.001, y],
        [x, y + 0.001],
        [x, y],
      ],
    ];
    const { status, body } = await post(db(), 'dryRun=false', featureCollection([{ code: GRID, coordinates: bowtie }]));
    expect(status).toBe(422);
    const issue = body.report.issues.find((i: any) => i.kind === 'invalid_geometry');
    expect(issue.reason).toMatch(/Self-intersection/);
    // The two diagonals cross at the square's centre.
    expect(issue.location[0]).toBeCloseTo(x + 0.0005, 6);
    expect(issue.location[1]).toBeCloseTo(y + 0.0005, 6);
    expect(await fingerprint(db())).toEqual(before);
  });

  it('rejects unknown community codes and malformed codes', async () => {
    const before = await fingerprint(db());
    const sq = [
      [
        [110.1, 22.6],
        [110.101, 22.6],
        [110.101, 22.601],
        [110.1, 22.601],
        [110.1, 22.6],
      ],
    ];
    const { status, body } = await post(
      db(),
      'dryRun=false',
      featureCollection([
        { code: '450902999999001', coordinates: sq },
        { code: '4509', coordinates: sq },
      ]),
    );
    expect(status).toBe(422);
    expect(body.report.issues.map((i: any) => [i.feature, i.kind])).toEqual([
      [1, 'unknown_community'],
      [2, 'bad_code'],
    ]);
    expect(body.report.issues[0].reason).toBe('社区编码 450902999999 不存在');
    expect(await fingerprint(db())).toEqual(before);
  });

  it('detects a wrong CRS: GK metres declared as WGS 84, or lon/lat that miss the community', async () => {
    const before = await fingerprint(db());
    const [g] = await db().rows<{ geojson: string }>(sql`SELECT ST_AsGeoJSON(ST_GeometryN(geom, 1), 9) AS geojson FROM grids WHERE code = ${GRID}`);
    const lonlat = JSON.parse(g!.geojson) as GeoJSON.Polygon;
    const gk = transformGeometry(lonlat, resolveCrs('4546')!.forward) as GeoJSON.Polygon;
    const metres = await post(db(), 'dryRun=true', featureCollection([{ code: GRID, coordinates: gk.coordinates }]));
    expect(metres.status).toBe(422);
    expect(metres.body.report.issues[0]).toMatchObject({ kind: 'coordinates_out_of_range', feature: 1 });
    // Lon/lat swapped (a classic axis-order mistake) puts latitude at 110°: out of range.
    const swapped = lonlat.coordinates.map((r) => r.map(([a, b]) => [b!, a!]));
    const axis = await post(db(), 'dryRun=true', featureCollection([{ code: GRID, coordinates: swapped }]));
    expect(axis.status).toBe(422);
    expect(axis.body.report.issues[0]).toMatchObject({ kind: 'coordinates_out_of_range' });
    // Valid lon/lat that are in the wrong place (e.g. a datum/offset mix-up of a degree) miss the community.
    const shifted = lonlat.coordinates.map((r) => r.map(([a, b]) => [a! + 1, b!]));
    const elsewhere = await post(db(), 'dryRun=true', featureCollection([{ code: GRID, coordinates: shifted }]));
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body.report.issues[0]).toMatchObject({ kind: 'outside_community', code: GRID });
    // An unsupported CRS named in the file is refused outright.
    const mercator = await post(db(), 'dryRun=true', featureCollection([{ code: GRID, coordinates: gk.coordinates }], { crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::3857' } } }));
    expect(mercator.status).toBe(400);
    expect(mercator.body.errors[0]).toMatchObject({ field: 'crs' });
    expect(await fingerprint(db())).toEqual(before);
  });

  it('answers clear 4xx problems for unreadable files', async () => {
    const before = await fingerprint(db());
    const zip = await exported(db(), `format=shp&crs=4546&region=${COMMUNITY}`);
    const broken = zip.slice(0, Math.floor(zip.length / 2));
    const cases: [string, Uint8Array | string, number, RegExp][] = [
      ['format=shp', broken, 400, /zip 文件已损坏/],
      ['', zipSync({ 'grids.dbf': new Uint8Array(40), 'grids.prj': new TextEncoder().encode('GEOGCS["WGS 84"]') }), 400, /缺少 \.shp/],
      ['', zipSync({ 'a.shp': new Uint8Array(120), 'a.dbf': new Uint8Array(40) }), 400, /缺少 \.prj/],
      ['', new TextEncoder().encode('hello'), 415, /无法识别文件格式/],
      ['format=geojson', new TextEncoder().encode('{"type":"Feature"'), 400, /JSON/],
      ['format=gpkg', new TextEncoder().encode('SQLite format 3\0 but not really'), 400, /GeoPackage/],
      ['dryRun=maybe', zip, 400, /dryRun/],
      ['', new Uint8Array(0), 400, /没有上传文件/],
    ];
    for (const [query, body, status, detail] of cases) {
      const res = await post(db(), query, body);
      expect(res.status, `${query} → ${JSON.stringify(res.body)}`).toBe(status);
      expect(res.contentType).toContain('application/problem+json');
      expect(res.body.detail).toMatch(detail);
    }
    expect(await fingerprint(db())).toEqual(before);
  });

  it('accepts multipart uploads and refuses bodies over the size limit with 413', async () => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(await exported(db(), `format=gpkg&crs=4546&region=${COMMUNITY}`))]), 'grids.gpkg');
    const ok = await post(db(), 'dryRun=true', form);
    expect(ok.status).toBe(200);
    expect(ok.body.crs.epsg).toBe(4546);
    const huge = new Uint8Array(51 * 1024 * 1024);
    const tooBig = await post(db(), 'dryRun=true', huge, { 'content-length': String(huge.length) });
    expect(tooBig.status).toBe(413);
  });
});

function metresTo(a: number[], b: number[]): number {
  const k = Math.PI / 180;
  const dx = (a[0]! - b[0]!) * k * Math.cos(b[1]! * k) * 6371008.8;
  const dy = (a[1]! - b[1]!) * k * 6371008.8;
  return Math.hypot(dx, dy);
}
