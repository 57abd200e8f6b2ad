/**
 * Why: the tile cache may only ever serve what the database holds. These tests check the
 * cache hit and the 304 revalidation, that a grid edit evicts exactly the tiles its change
 * reaches (grid zooms by the grid's extent, generalised zooms only when the community's
 * figures changed), the memory bound, and the generalised low-zoom areas: small tiles and
 * neighbouring outlines that still meet (no gap, no overlap).
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { createApp } from '../app';
import { ensureAreas } from '../grids/gridWrites';
import { describeEachEngine } from '../testing/databases';
import { TEST_ADMIN } from '../testing/principals';
import { decodeTile } from '../tiles/decodeMvt';
import { rebuildAreas } from '../tiles/generalise';
import { COMMUNITY_AREA_ZOOM, GRID_DETAIL_ZOOM } from '../tiles/layers';
import { followingCache, TileCache, tileLonLatBounds } from '../tiles/tileCache';
import { tileForLonLat } from '../../kernel/webMercator';

const CORE = { lon: 110.155, lat: 22.64 };
const COMMUNITY = '450902005001';
const MAX_TILE_BYTES = 500 * 1024;

function appWithCache(db: DbHandle, maxBytes = 64 * 1024 * 1024) {
  const cache = followingCache(db, { maxBytes });
  return { cache, app: createApp(db, { anonymousUser: TEST_ADMIN, tileCache: cache }) };
}

async function firstGrid(db: DbHandle, community: string) {
  const [row] = await db.rows<{ code: string; version: number; stars: number; lon: number; lat: number; w: number; s: number; e: number; n: number }>(sql`
    SELECT code, version, star_rating AS stars, ST_X(label_point) AS lon, ST_Y(label_point) AS lat,
           ST_XMin(geom) AS w, ST_YMin(geom) AS s, ST_XMax(geom) AS e, ST_YMax(geom) AS n
    FROM grids WHERE community_code = ${community} ORDER BY code LIMIT 1`);
  return { ...row!, lon: Number(row!.lon), lat: Number(row!.lat), bbox: [Number(row!.w), Number(row!.s), Number(row!.e), Number(row!.n)] as const };
}

const overlaps = (a: readonly number[], b: readonly number[]) => a[0]! <= b[2]! && b[0]! <= a[2]! && a[1]! <= b[3]! && b[1]! <= a[3]!;

describeEachEngine('tile cache', (db) => {
  it('answers a repeated tile from the cache with the same ETag, and If-None-Match with 304', async () => {
    const { app } = appWithCache(db());
    const { x, y } = tileForLonLat(14, CORE.lon, CORE.lat);
    const path = `/tiles/grids/14/${x}/${y}.mvt`;
    const first = await app.request(path);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-tile-cache')).toBe('miss');
    const body = new Uint8Array(await first.arrayBuffer());
    expect(body.byteLength).toBeGreaterThan(0);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');

    const second = await app.request(path);
    expect(second.headers.get('x-tile-cache')).toBe('hit');
    expect(second.headers.get('etag')).toBe(etag);
    expect(new Uint8Array(await second.arrayBuffer())).toEqual(body);

    const revalidated = await app.request(path, { headers: { 'if-none-match': `"other", ${etag}` } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get('etag')).toBe(etag);
    expect((await revalidated.arrayBuffer()).byteLength).toBe(0);
    const changed = await app.request(path, { headers: { 'if-none-match': '"stale"' } });
    expect(changed.status).toBe(200);
  });

  it('an edit evicts exactly the tiles its change reaches, at every zoom, and the next request shows it', async () => {
    const { app, cache } = appWithCache(db());
    const grid = await firstGrid(db(), COMMUNITY);
    // Tiles over the edited grid at every grid zoom, a far-away tile, and the generalised tiles over the community.
    const near = [13, 14, 15, 16].map((z) => ({ z, ...tileForLonLat(z, grid.lon, grid.lat) }));
    const far = { z: 14, ...tileForLonLat(14, CORE.lon + 0.12, CORE.lat + 0.12) };
    const areas = [COMMUNITY_AREA_ZOOM, GRID_DETAIL_ZOOM - 1].map((z) => ({ z, ...tileForLonLat(z, grid.lon, grid.lat) }));
    const warm = [...near, far, ...areas];
    for (const t of warm) expect((await app.request(`/tiles/grids/${t.z}/${t.x}/${t.y}.mvt`)).status).toBe(200);
    // Neighbouring tiles of the z16 one that the grid does not reach stay cached.
    const z16 = near[3]!;
    const around = [-3, 3].flatMap((dx) => [-3, 3].map((dy) => ({ z: 16, x: z16.x + dx, y: z16.y + dy })));
    for (const t of around) await app.request(`/tiles/grids/${t.z}/${t.x}/${t.y}.mvt`);
    const untouched = around.filter((t) => !overlaps(tileLonLatBounds(t.z, t.x, t.y), grid.bbox));
    expect(untouched.length).toBeGreaterThan(0);
    for (const t of [...warm, ...around]) expect(cache.has('grids', t.z, t.x, t.y)).toBe(true);

    // A star rating change: the grid's tiles and its community's/street's generalised tiles are stale.
    const stars = (grid.stars + 1) % 6;
    const res = await app.request(`/api/grids/${grid.code}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ version: grid.version, attributes: { starRating: stars } }),
    });
    expect(res.status).toBe(200);
    for (const t of near) expect(cache.has('grids', t.z, t.x, t.y)).toBe(false);
    expect(cache.has('grids', far.z, far.x, far.y)).toBe(true);
    for (const t of untouched) expect(cache.has('grids', t.z, t.x, t.y)).toBe(true);

    const z14 = near[1]!;
    const tile = decodeTile(new Uint8Array(await (await app.request(`/tiles/grids/14/${z14.x}/${z14.y}.mvt`)).arrayBuffer()));
    expect(tile.grids?.find((f) => f.properties.code === grid.code)?.properties.stars).toBe(stars);
    // The community's rounded mean may or may not move; its generalised tiles are dropped exactly when it does.
    const [mean] = await db().rows<{ stars: number }>(sql`SELECT star_rating AS stars FROM grid_areas WHERE level = 'community' AND code = ${COMMUNITY}`);
    const [recomputed] = await db().rows<{ stars: number }>(sql`SELECT round(avg(star_rating))::int AS stars FROM grids WHERE community_code = ${COMMUNITY}`);
    expect(Number(mean!.stars)).toBe(Number(recomputed!.stars));
    const area = areas[0]!;
    const areaTile = decodeTile(new Uint8Array(await (await app.request(`/tiles/grids/${area.z}/${area.x}/${area.y}.mvt`)).arrayBuffer()));
    expect(areaTile.grid_areas?.find((f) => f.properties.code === COMMUNITY)?.properties.stars).toBe(Number(recomputed!.stars));
  });

  it('a geometry-free edit elsewhere keeps generalised tiles whose figures did not change', async () => {
    const { app, cache } = appWithCache(db());
    const grid = await firstGrid(db(), COMMUNITY);
    const area = { z: GRID_DETAIL_ZOOM - 1, ...tileForLonLat(GRID_DETAIL_ZOOM - 1, grid.lon, grid.lat) };
    await app.request(`/tiles/grids/${area.z}/${area.x}/${area.y}.mvt`);
    expect(cache.has('grids', area.z, area.x, area.y)).toBe(true);
    // A name change: the grid tiles are stale, the community figures are not.
    const res = await app.request(`/api/grids/${grid.code}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ version: grid.version, attributes: { name: '缓存测试网格' } }),
    });
    expect(res.status).toBe(200);
    expect(cache.has('grids', area.z, area.x, area.y)).toBe(true);
  });

  it('stays within its memory bound, evicting the least recently used tiles', async () => {
    const { app, cache } = appWithCache(db(), 20 * 1024);
    const c = tileForLonLat(15, CORE.lon, CORE.lat);
    const tiles = [-2, -1, 0, 1, 2].flatMap((dx) => [-2, -1, 0, 1, 2].map((dy) => ({ x: c.x + dx, y: c.y + dy })));
    let total = 0;
    for (const t of tiles) {
      const res = await app.request(`/tiles/grids/15/${t.x}/${t.y}.mvt`);
      total += (await res.arrayBuffer()).byteLength;
      // The first tile is used again and again, so it is never the least recent one.
      await app.request(`/tiles/grids/15/${tiles[0]!.x}/${tiles[0]!.y}.mvt`);
      expect(cache.sizeBytes).toBeLessThanOrEqual(cache.maxBytes);
    }
    expect(total).toBeGreaterThan(cache.maxBytes);
    expect(cache.has('grids', 15, tiles[0]!.x, tiles[0]!.y)).toBe(true);
    expect(tiles.filter((t) => !cache.has('grids', 15, t.x, t.y)).length).toBeGreaterThan(0);
    expect(cache.size).toBeLessThan(tiles.length);
  });

  it('a tile rendered while a write committed is not stored', () => {
    const cache = new TileCache({ maxBytes: 1024 });
    const stamp = cache.stamp;
    cache.invalidate({ grid: [[0, 0, 1, 1]], community: [], street: [] });
    cache.put('grids', 14, 1, 1, { body: new Uint8Array([1]), etag: '"x"' }, stamp);
    expect(cache.has('grids', 14, 1, 1)).toBe(false);
  });
});

/** The areas of `level` tile the grids as faces of one linework: no overlap, no new hole, neighbours kept. */
async function expectOutlinesMeet(db: DbHandle, level: 'community' | 'street') {
  const key = level === 'community' ? sql.raw('community_code') : sql.raw('street_code');
  const [row] = await db.rows<{ areas: number; codes: number; overlap: number; union: number; holes_areas: number; holes_grids: number; pairs: number; kept: number }>(sql`
      WITH a AS (SELECT code, geom FROM grid_areas WHERE level = ${level}),
      o AS (SELECT ${key} AS code, ST_Union(geom) AS geom FROM grids GROUP BY ${key}),
      u AS (SELECT ST_Union(geom) AS geom FROM a),
      ug AS (SELECT ST_Union(geom) AS geom FROM grids),
      adjacent AS (SELECT p.code AS a, q.code AS b FROM o p JOIN o q ON p.code < q.code AND p.geom && q.geom AND ST_Relate(p.geom, q.geom, '****1****'))
      SELECT (SELECT count(*) FROM a)::int AS areas, (SELECT count(*) FROM o)::int AS codes,
             (SELECT sum(ST_Area(geom)) FROM a) - (SELECT ST_Area(geom) FROM u) AS overlap, (SELECT ST_Area(geom) FROM u) AS union,
             (SELECT sum(ST_NumInteriorRings(d.geom)) FROM u, LATERAL ST_Dump(u.geom) d)::int AS holes_areas,
             (SELECT sum(ST_NumInteriorRings(d.geom)) FROM ug, LATERAL ST_Dump(ug.geom) d)::int AS holes_grids,
             (SELECT count(*) FROM adjacent)::int AS pairs,
             (SELECT count(*) FROM adjacent j JOIN a x ON x.code = j.a JOIN a y ON y.code = j.b WHERE ST_Relate(x.geom, y.geom, '****1****'))::int AS kept`);
  expect(row!.areas).toBe(row!.codes);
  // Faces of one linework: the areas only share edges.
  expect(Math.abs(Number(row!.overlap))).toBeLessThan(Number(row!.union) * 1e-9);
  expect(Number(row!.holes_areas)).toBeLessThanOrEqual(Number(row!.holes_grids));
  expect(row!.pairs).toBeGreaterThan(0);
  expect(row!.kept / row!.pairs).toBeGreaterThan(0.95);
  // And simpler than the grids' own outlines.
  const [points] = await db.rows<{ areas: number; grids: number }>(sql`
      SELECT (SELECT sum(ST_NPoints(geom)) FROM grid_areas WHERE level = ${level})::int AS areas,
             (SELECT sum(ST_NPoints(g)) FROM (SELECT ST_Union(geom) AS g FROM grids GROUP BY ${key}) x)::int AS grids`);
  expect(points!.areas).toBeLessThan(points!.grids);
}

describeEachEngine('generalised low-zoom grid areas', (db) => {
  it('serves areas, not grids, below the detail zoom, every tile well under 500 KB', async () => {
    const app = createApp(db(), { anonymousUser: TEST_ADMIN, tileCache: null });
    const [box] = await db().rows<{ w: number; s: number; e: number; n: number }>(sql`
      SELECT ST_XMin(e) AS w, ST_YMin(e) AS s, ST_XMax(e) AS e, ST_YMax(e) AS n FROM (SELECT ST_Extent(geom)::geometry AS e FROM grids) x`);
    const levels = new Set<string>();
    for (let z = 8; z < GRID_DETAIL_ZOOM; z++) {
      const nw = tileForLonLat(z, Number(box!.w), Number(box!.n));
      const se = tileForLonLat(z, Number(box!.e), Number(box!.s));
      for (let x = nw.x; x <= se.x; x++) {
        for (let y = nw.y; y <= se.y; y++) {
          const body = new Uint8Array(await (await app.request(`/tiles/grids/${z}/${x}/${y}.mvt`)).arrayBuffer());
          expect(body.byteLength).toBeLessThan(MAX_TILE_BYTES);
          const tile = decodeTile(body);
          expect(tile.grids).toBeUndefined();
          for (const f of tile.grid_areas ?? []) levels.add(String(f.properties.level));
        }
      }
    }
    expect(levels).toEqual(new Set(['street', 'community']));
  });

  it.each(['community', 'street'] as const)('%s outlines still meet: no overlap, no new hole, neighbours stay neighbours', async (level) => {
    await ensureAreas(db());
    await expectOutlinesMeet(db(), level);
  });

  it('rebuilding the outlines of one community (as an import does) keeps them meeting their neighbours', async () => {
    await ensureAreas(db());
    const [before] = await db().rows<{ geom: string }>(sql`SELECT ST_AsEWKB(geom)::text AS geom FROM grid_areas WHERE level = 'community' AND code = ${COMMUNITY}`);
    await db().db.transaction((tx) => rebuildAreas(tx, [COMMUNITY]));
    const [after] = await db().rows<{ geom: string }>(sql`SELECT ST_AsEWKB(geom)::text AS geom FROM grid_areas WHERE level = 'community' AND code = ${COMMUNITY}`);
    // Same grids, same neighbours: the partial rebuild gives the full run's outline.
    expect(after!.geom).toBe(before!.geom);
    await expectOutlinesMeet(db(), 'community');
    await expectOutlinesMeet(db(), 'street');
  });
});
