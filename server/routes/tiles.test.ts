import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { openEmbeddedCopy, openPostgisCopy, describeEachEngine, type TestDatabase } from '../testing/databases';
import { request, requestJson } from '../testing/request';
import { decodeTile } from '../tiles/decodeMvt';
import { signedArea } from '../tiles/encodeMvt';
import { tileForLonLat, TILE_BUFFER, TILE_EXTENT } from '../../kernel/webMercator';
import { quickTileAddress, tileParams } from './tiles';

/** Tile over 玉州区's urban core (the sample's centre). */
const CORE = { lon: 110.155, lat: 22.64 };

async function fetchTile(db: DbHandle, path: string) {
  const res = await request(db, path);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
  return decodeTile(new Uint8Array(await res.arrayBuffer()));
}

/** Codes of grids whose geometry reaches into the tile (with the same buffer the tiles use). */
async function codesInTile(db: DbHandle, z: number, x: number, y: number): Promise<string[]> {
  const rows = await db.rows<{ code: string }>(sql`
    SELECT code FROM grids
    WHERE ST_Intersects(ST_Transform(geom, 3857), ST_TileEnvelope(${z}, ${x}, ${y}, margin => ${TILE_BUFFER / TILE_EXTENT}))
    ORDER BY code`);
  return rows.map((r) => r.code);
}

/** Every tile at zoom z that the regions' extent reaches into. */
async function tilesOverData(db: DbHandle, z: number): Promise<{ x: number; y: number }[]> {
  const [box] = await db.rows<{ w: number; s: number; e: number; n: number }>(sql`
    SELECT ST_XMin(e) AS w, ST_YMin(e) AS s, ST_XMax(e) AS e, ST_YMax(e) AS n FROM (SELECT ST_Extent(geom)::geometry AS e FROM regions) x`);
  const nw = tileForLonLat(z, Number(box!.w), Number(box!.n));
  const se = tileForLonLat(z, Number(box!.e), Number(box!.s));
  const tiles: { x: number; y: number }[] = [];
  for (let x = nw.x; x <= se.x; x++) for (let y = nw.y; y <= se.y; y++) tiles.push({ x, y });
  return tiles;
}

/**
 * A decoded polygon feature as GeoJSON in tile space, its rings grouped as the MVT spec
 * says (a positive-area ring starts a polygon, negative ones are its holes); null when a
 * ring has no area or the first ring is a hole, which no valid tile contains.
 */
function tilePolygon(rings: { x: number; y: number }[][]): GeoJSON.MultiPolygon | null {
  const polygons: [number, number][][][] = [];
  for (const ring of rings) {
    const coords = ring.map((p) => [p.x, p.y] as [number, number]);
    const area = signedArea(coords);
    if (area === 0) return null;
    if (area > 0) polygons.push([coords]);
    else if (polygons.length === 0) return null;
    else polygons.at(-1)!.push(coords);
  }
  return { type: 'MultiPolygon', coordinates: polygons };
}

describeEachEngine('vector tiles', (db) => {
  it('serves basemap tiles at z0–z6 whose polygons are all valid', async () => {
    const shapes: string[] = [];
    let broken = 0;
    for (let z = 0; z <= 6; z++) {
      for (const { x, y } of await tilesOverData(db(), z)) {
        const tile = await fetchTile(db(), `/tiles/base/${z}/${x}/${y}.mvt`);
        for (const f of Object.values(tile).flat()) {
          if (f.type !== 'Polygon') continue;
          const polygon = tilePolygon(f.geometry);
          if (polygon) shapes.push(JSON.stringify(polygon));
          else broken++;
        }
      }
    }
    expect(shapes.length).toBeGreaterThan(10);
    const [row] = await db().rows<{ invalid: number }>(sql`
      SELECT count(*) FILTER (WHERE NOT ST_IsValid(ST_GeomFromGeoJSON(g)))::int AS invalid FROM json_array_elements_text(${JSON.stringify(shapes)}::json) g`);
    expect({ broken, invalid: Number(row!.invalid) }).toEqual({ broken: 0, invalid: 0 });
  });

  it.each([13, 14, 15, 16])('serves z%i grid tiles whose features match the database', async (z) => {
    const { x, y } = tileForLonLat(z, CORE.lon, CORE.lat);
    const tile = await fetchTile(db(), `/tiles/grids/${z}/${x}/${y}.mvt`);
    const features = tile.grids ?? [];
    expect(features.length).toBeGreaterThan(0);
    const expected = await codesInTile(db(), z, x, y);
    const codes = features.map((f) => String(f.properties.code)).sort();
    // Slivers thinner than a tile pixel may collapse when snapped to the 4096 grid.
    expect(codes.every((c) => expected.includes(c))).toBe(true);
    expect(codes.length).toBeGreaterThanOrEqual(Math.floor(expected.length * 0.9));
    const ids = await db().rows<{ id: number; code: string }>(
      sql`SELECT id, code FROM grids WHERE code IN (${sql.join(
        codes.map((c) => sql`${c}`),
        sql`, `,
      )})`,
    );
    const idByCode = new Map(ids.map((r) => [r.code, r.id]));
    for (const f of features) {
      expect(f.type).toBe('Polygon');
      expect(Number.isInteger(f.id)).toBe(true);
      expect(f.id).toBe(idByCode.get(String(f.properties.code)));
      expect(String(f.properties.street)).toBe(String(f.properties.code).slice(0, 9));
      expect(String(f.properties.community)).toBe(String(f.properties.code).slice(0, 12));
      for (const ring of f.geometry) {
        for (const p of ring) {
          expect(p.x).toBeGreaterThanOrEqual(-TILE_BUFFER);
          expect(p.x).toBeLessThanOrEqual(TILE_EXTENT + TILE_BUFFER);
        }
      }
      // Every polygon starts with an exterior ring (positive area in tile space).
      const first = f.geometry[0]!.map((p) => [p.x, p.y] as [number, number]);
      expect(signedArea(first)).toBeGreaterThan(0);
    }
  });

  it('serves the offline basemap (regions and roads) from our own data', async () => {
    const { x, y } = tileForLonLat(14, CORE.lon, CORE.lat);
    const tile = await fetchTile(db(), `/tiles/base/14/${x}/${y}.mvt`);
    expect(tile.roads?.length).toBeGreaterThan(10);
    expect(tile.roads?.[0]?.type).toBe('LineString');
    const levels = new Set(tile.regions?.map((f) => f.properties.level));
    expect(levels).toEqual(new Set(['city', 'district', 'street', 'community']));
  });

  it('returns an empty tile below the grids minimum zoom and outside the data', async () => {
    const low = await request(db(), '/tiles/grids/5/25/14.mvt');
    expect(low.status).toBe(200);
    expect((await low.arrayBuffer()).byteLength).toBe(0);
    const far = await request(db(), '/tiles/grids/14/0/0.mvt');
    expect(far.status).toBe(200);
    expect((await far.arrayBuffer()).byteLength).toBe(0);
  });

  it.each([
    ['/tiles/grids/23/0/0.mvt', 'z'],
    ['/tiles/grids/99/1/2.mvt', 'z'],
    ['/tiles/grids/-1/0/0.mvt', 'z'],
    ['/tiles/grids/a/0/0.mvt', 'z'],
    ['/tiles/grids/2/4/0.mvt', 'x'],
    ['/tiles/grids/2/0/4.mvt', 'y'],
    ['/tiles/grids/2/0/-1.mvt', 'y'],
    ['/tiles/grids/14/13205/7133', 'y'],
    ['/tiles/grids/14/13205/7133.png', 'y'],
    ['/tiles/secret/14/13205/7133.mvt', 'set'],
    ['/tiles/grids/1e3/0/0.mvt', 'z'],
  ])('rejects %s with a 400 naming %s', async (path, field) => {
    const { status, contentType, body } = await requestJson<Record<string, any>>(db(), path);
    expect(status).toBe(400);
    expect(contentType).toContain('application/problem+json');
    expect(body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });
});

// The embedded engine encodes tiles in Node; PostGIS uses ST_AsMVT. Both must agree.
const bothEngines = inject('postgisTemplateUrl') !== null ? describe : describe.skip;
bothEngines('vector tiles agree across engines', () => {
  let embedded: TestDatabase;
  let postgis: TestDatabase;
  beforeAll(async () => {
    [embedded, postgis] = await Promise.all([openEmbeddedCopy(), openPostgisCopy()]);
  });
  afterAll(async () => {
    await Promise.all([embedded?.dispose(), postgis?.dispose()]);
  });

  it.each([12, 14, 16])('z%i: same features, ids and attributes', async (z) => {
    const { x, y } = tileForLonLat(z, CORE.lon + 0.01, CORE.lat - 0.005);
    const path = `/tiles/grids/${z}/${x}/${y}.mvt`;
    const [a, b] = await Promise.all([fetchTile(embedded.handle, path), fetchTile(postgis.handle, path)]);
    // z12 is generalised (layer grid_areas), z14 and z16 carry single grids.
    const summary = (t: typeof a) => [...(t.grids ?? []), ...(t.grid_areas ?? [])].map((f) => ({ id: f.id, ...f.properties })).sort((p, q) => Number(p.id) - Number(q.id));
    expect(summary(a).length).toBeGreaterThan(0);
    expect(summary(a)).toEqual(summary(b));
  });
});

describe('tile addresses read by hand', () => {
  it('accept exactly what the schema accepts, with the same values', () => {
    const cases: Record<string, string>[] = [
      { set: 'grids', z: '14', x: '13205', y: '7133.mvt' },
      { set: 'grids', z: '0', x: '0', y: '0.mvt' },
      { set: 'base', z: '6', x: '63', y: '63.mvt' },
      { set: 'foreign', z: '22', x: '4194303', y: '1.mvt' },
      { set: 'grids', z: '2', x: '4', y: '0.mvt' },
      { set: 'grids', z: '2', x: '0', y: '4.mvt' },
      { set: 'grids', z: '99', x: '0', y: '0.mvt' },
      { set: 'grids', z: '23', x: '0', y: '0.mvt' },
      { set: 'grids', z: '-1', x: '0', y: '0.mvt' },
      { set: 'grids', z: '3', x: '1', y: '2.png' },
      { set: 'nowhere', z: '3', x: '1', y: '2.mvt' },
      { set: 'constructor', z: '3', x: '1', y: '2.mvt' },
      { set: 'grids', z: '3', x: '1e1', y: '2.mvt' },
    ];
    for (const params of cases) {
      const schema = tileParams.safeParse(params);
      expect({ params, quick: quickTileAddress(params) }).toEqual({ params, quick: schema.success ? schema.data : null });
    }
    expect(cases.filter((p) => quickTileAddress(p) !== null)).toHaveLength(4);
  });
});
