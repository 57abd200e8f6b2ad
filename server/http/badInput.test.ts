/**
 * A corpus of hostile or broken requests: each gets a clear 4xx problem and the
 * data is exactly as before.
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { describeEachEngine } from '../testing/databases';
import { request } from '../testing/request';

const GRID = '450902005001001';

async function fingerprint(db: DbHandle): Promise<string> {
  const [row] = await db.rows<{ f: string }>(sql`
    SELECT md5(concat_ws('|',
      (SELECT string_agg(code || ':' || version || ':' || md5(ST_AsEWKB(geom)::text) || ':' || name, ',' ORDER BY code) FROM grids),
      (SELECT count(*) FROM grid_versions), (SELECT count(*) FROM regions), (SELECT count(*) FROM users),
      (SELECT count(*) FROM service_centres), (SELECT count(*) FROM incidents))) AS f`);
  return row!.f;
}

const json = (body: unknown) => ({ method: 'PUT', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describeEachEngine('bad input corpus', (db) => {
  it('answers every hostile request with a 4xx problem and changes nothing', async () => {
    const before = await fingerprint(db());
    const [g] = await db().rows<{ version: number; lon: number; lat: number }>(sql`SELECT version, ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM grids WHERE code = ${GRID}`);
    const { version, lon, lat } = { version: g!.version, lon: Number(g!.lon), lat: Number(g!.lat) };
    const d = 0.001;
    const square = (x: number, y: number) => [
      [
        [x, y],
        [x + d, y],
        [x + d, y + d],
        [x, y + d],
        [x, y],
      ],
    ];
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const corpus: [string, string, RequestInit | undefined, number][] = [
      [
        'bowtie polygon',
        `/api/grids/${GRID}`,
        json({
          version,
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [lon, lat],
                [lon + d, lat + d],
                [lon + d, lat],
                [lon, lat + d],
                [lon, lat],
              ],
            ],
          },
        }),
        422,
      ],
      [
        'unclosed ring',
        `/api/grids/${GRID}`,
        json({
          version,
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [lon, lat],
                [lon + d, lat],
                [lon + d, lat + d],
              ],
            ],
          },
        }),
        400,
      ],
      ['NaN coordinate', `/api/grids/${GRID}`, json(`{"version":${version},"geometry":{"type":"Polygon","coordinates":[[[NaN,1],[1,1],[1,2],[NaN,1]]]}}`), 400],
      ['Infinity coordinate', `/api/grids/${GRID}`, json(`{"version":${version},"geometry":{"type":"Polygon","coordinates":[[[1e999,1],[1,1],[1,2],[1e999,1]]]}}`), 400],
      [
        '1e308 coordinate',
        `/api/grids/${GRID}`,
        json({
          version,
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [1e308, 1],
                [1, 1],
                [1, 2],
                [1e308, 1],
              ],
            ],
          },
        }),
        400,
      ],
      ['swapped lat/lon', `/api/grids/${GRID}`, json({ version, geometry: { type: 'Polygon', coordinates: square(lat, lon) } }), 400],
      ['swapped lat/lon, in range but outside China', `/api/grids/${GRID}`, json({ version, geometry: { type: 'Polygon', coordinates: square(22.6, 60.1) }, adjustNeighbours: false }), 422],
      ['swapped bbox', '/api/grids?bbox=22.63,110.15,22.64,110.16', undefined, 400],
      ['deeply nested JSON', `/api/grids/${GRID}`, json(`{"version":1,"attributes":${deep}}`), 400],
      ['SQL in a name', `/api/grids/${GRID}`, json({ version, attributes: { name: "x'; DROP TABLE grids; --" } }), 400],
      ['script in a name', `/api/grids/${GRID}`, json({ version, attributes: { name: '<script>alert(1)</script>' } }), 400],
      ['script in a party organisation', `/api/grids/${GRID}`, json({ version, attributes: { partyOrgName: '<img src=x onerror=alert(1)>' } }), 400],
      ['unknown attribute', `/api/grids/${GRID}`, json({ version, attributes: { code: '450902005001999' } }), 400],
      ['malformed JSON', `/api/grids/${GRID}`, json('{"version": 1, "attributes": {'), 400],
      ['wrong version type', `/api/grids/${GRID}`, json({ version: '1; DROP TABLE grids', attributes: { starRating: 3 } }), 400],
      ['star rating 99', `/api/grids/${GRID}`, json({ version, attributes: { starRating: 99 } }), 400],
      ['tile z=99', '/tiles/grids/99/0/0.mvt', undefined, 400],
      ['negative tile', '/tiles/grids/14/-1/7133.mvt', undefined, 400],
      ['path traversal in export layer', '/api/exports/..%2F..%2Fetc%2Fpasswd?format=geojson', undefined, 400],
      ['path traversal in export format', '/api/exports/grids?format=../../etc/passwd', undefined, 400],
      ['SQL in a grid code', "/api/grids/450902005001001'%20OR%20'1'='1", undefined, 400],
    ];
    for (const [name, path, init, status] of corpus) {
      const res = await request(db(), path, init);
      const text = await res.text();
      expect({ name, status: res.status }).toEqual({ name, status });
      expect({ name, type: res.headers.get('content-type') }).toEqual({ name, type: expect.stringContaining('application/problem+json') });
      expect(text).not.toMatch(/at .*\.ts:\d+|stack|DrizzleQueryError|syntax error at/i);
    }
    expect(await fingerprint(db())).toBe(before);
  });

  it('refuses a 50 MB body with 413 before reading it all', async () => {
    const big = `{"version":1,"attributes":{"name":"${'x'.repeat(50 * 1024 * 1024)}"}}`;
    const res = await request(db(), `/api/grids/${GRID}`, json(big));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { title: string }).title).toBe('请求体过大');
  });
});
