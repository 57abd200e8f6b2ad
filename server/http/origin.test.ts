/**
 * Cross-site writes and non-JSON bodies (server/http/origin.ts, jsonBodiesOnly in
 * server/http/hardening.ts): a page on another site could post text/plain or a
 * form with the user's cookie; it gets 403, a JSON route gets JSON only (415), and
 * the two upload routes keep the content types they take.
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { describeEachEngine } from '../testing/databases';
import { request } from '../testing/request';

const EVIL = 'http://evil.example';

type Problem = { title: string; detail: string; errors: { field: string; reason: string }[] };

async function point(db: DbHandle) {
  const [g] = await db.rows<{ code: string; version: number; lon: number; lat: number }>(sql`SELECT code, version, ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM grids ORDER BY code LIMIT 1`);
  return { code: g!.code, version: g!.version, lon: Number(g!.lon), lat: Number(g!.lat) };
}

const incident = (p: { lon: number; lat: number }, tag: string) => JSON.stringify({ lon: p.lon, lat: p.lat, category: 'AQ01', source: 'grid', reporter: '网格员乙', description: tag });

const tagged = async (db: DbHandle, tag: string) => Number((await db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM incidents WHERE description = ${tag}`))[0]!.n);

describeEachEngine('cross-site writes and content types', (db) => {
  it('refuses a write from a foreign Origin or Sec-Fetch-Site: cross-site with a Chinese 403, and stores nothing', async () => {
    const p = await point(db());
    const attempts: [string, Record<string, string>][] = [
      ['foreign origin, text/plain (a cross-site form or simple fetch)', { origin: EVIL, 'content-type': 'text/plain' }],
      ['foreign origin, application/json', { origin: EVIL, 'content-type': 'application/json' }],
      ['opaque origin (sandboxed frame)', { origin: 'null', 'content-type': 'application/json' }],
      ['same host name, other port', { origin: 'http://localhost:8081', 'content-type': 'application/json' }],
      ['cross-site fetch metadata without Origin', { 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' }],
    ];
    for (const [name, headers] of attempts) {
      const res = await request(db(), '/api/incidents', { method: 'POST', headers, body: incident(p, 'ORIGIN refused') });
      expect({ name, status: res.status }).toEqual({ name, status: 403 });
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const body = (await res.json()) as Problem;
      expect(body.title).toBe('跨站请求被拒绝');
      expect(body.detail).toMatch(/其他/);
    }
    expect(await tagged(db(), 'ORIGIN refused')).toBe(0);

    // PUT, PATCH and DELETE too; reads are not affected.
    const put = await request(db(), `/api/grids/${p.code}`, { method: 'PUT', headers: { origin: EVIL, 'content-type': 'application/json' }, body: JSON.stringify({ version: p.version, attributes: { starRating: 1 } }) });
    expect(put.status).toBe(403);
    const [centre] = await db().rows<{ id: number }>(sql`SELECT id FROM service_centres ORDER BY id LIMIT 1`);
    const patch = await request(db(), `/api/centres/${centre!.id}`, { method: 'PATCH', headers: { origin: EVIL, 'content-type': 'application/json' }, body: JSON.stringify({ householdsServed: 1 }) });
    expect(patch.status).toBe(403);
    const del = await request(db(), `/api/centres/${centre!.id}`, { method: 'DELETE', headers: { 'sec-fetch-site': 'cross-site' } });
    expect(del.status).toBe(403);
    expect((await db().rows(sql`SELECT id FROM service_centres WHERE id = ${centre!.id}`)).length).toBe(1);
    expect((await point(db())).version).toBe(p.version);
    expect((await request(db(), `/api/grids/${p.code}`, { headers: { origin: EVIL, 'sec-fetch-site': 'cross-site' } })).status).toBe(200);

    // The refusals are in the audit log.
    const [audit] = await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE entity = 'incidents' AND action = 'POST' AND (detail->>'status')::int = 403`);
    expect(audit!.n).toBeGreaterThanOrEqual(attempts.length);
  });

  it('accepts writes from the own origin (also behind a proxy) and from clients that send no Origin', async () => {
    const p = await point(db());
    const allowed: [string, Record<string, string>][] = [
      ['own origin', { origin: 'http://localhost', 'sec-fetch-site': 'same-origin' }],
      ['no Origin (curl, CLI)', {}],
      ['behind a TLS proxy', { origin: 'https://gis.example.cn', host: 'localhost', 'x-forwarded-host': 'gis.example.cn' }],
    ];
    for (const [name, headers] of allowed) {
      const tag = `ORIGIN allowed ${name}`;
      const res = await request(db(), '/api/incidents', { method: 'POST', headers: { ...headers, 'content-type': 'application/json; charset=utf-8' }, body: incident(p, tag) });
      expect({ name, status: res.status }).toEqual({ name, status: 201 });
      expect(await tagged(db(), tag)).toBe(1);
    }
  });

  it('answers a JSON route with 415 for any body that is not application/json (Chinese problem, nothing stored)', async () => {
    const p = await point(db());
    const bodies: [string, RequestInit][] = [
      ['text/plain', { headers: { 'content-type': 'text/plain' } }],
      ['form', { headers: { 'content-type': 'application/x-www-form-urlencoded' } }],
      ['no content type', {}],
    ];
    for (const [name, init] of bodies) {
      const res = await request(db(), '/api/incidents', { method: 'POST', ...init, body: incident(p, 'ORIGIN 415') });
      expect({ name, status: res.status }).toEqual({ name, status: 415 });
      const body = (await res.json()) as Problem;
      expect(body.title).toBe('不支持的内容类型');
      expect(body.errors).toEqual([{ field: '(body)', reason: expect.stringContaining('application/json') }]);
    }
    const grid = await request(db(), `/api/grids/${p.code}`, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ version: p.version, attributes: { starRating: 1 } }) });
    expect(grid.status).toBe(415);
    expect(((await grid.json()) as Problem).errors[0]!.reason).not.toMatch(/version/);
    const multipart = new FormData();
    multipart.set('householdsServed', '1');
    const [centre] = await db().rows<{ id: number }>(sql`SELECT id FROM service_centres ORDER BY id LIMIT 1`);
    expect((await request(db(), `/api/centres/${centre!.id}`, { method: 'PATCH', body: multipart })).status).toBe(415);
    expect(await tagged(db(), 'ORIGIN 415')).toBe(0);
    expect((await point(db())).version).toBe(p.version);

    // A write without a body needs no content type.
    const deleted = await request(db(), `/api/centres/${centre!.id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
  });

  it('keeps the upload routes on the content types they take: CSV/GeoJSON batches, raw or multipart grid files', async () => {
    const p = await point(db());
    const csv = `lon,lat,category,source,reported_at,description\n${p.lon},${p.lat},AQ01,grid,2026-06-01 08:00,ORIGIN batch\n`;
    for (const type of ['text/csv', 'text/plain; charset=utf-8']) {
      const res = await request(db(), '/api/incidents/batch', { method: 'POST', headers: { 'content-type': type }, body: csv });
      expect({ type, status: res.status }).toEqual({ type, status: 200 });
    }
    const fc = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [p.lon, p.lat] }, properties: { category: 'AQ01', source: 'grid', reportedAt: '2026-06-01T08:00:00+08:00', description: 'ORIGIN batch' } }],
    };
    const geojson = await request(db(), '/api/incidents/batch', { method: 'POST', headers: { 'content-type': 'application/geo+json' }, body: JSON.stringify(fc) });
    expect(geojson.status).toBe(200);
    expect(await tagged(db(), 'ORIGIN batch')).toBe(3);

    const [g] = await db().rows<{ geometry: string; name: string }>(sql`SELECT ST_AsGeoJSON(geom) AS geometry, name FROM grids WHERE code = ${p.code}`);
    const file = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: p.code, name: g!.name }, geometry: JSON.parse(g!.geometry) }] });
    const raw = await request(db(), '/api/exports/imports?dryRun=true&format=geojson', { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: file });
    expect(raw.status).toBe(200);
    const form = new FormData();
    form.set('file', new File([file], 'grids.geojson', { type: 'application/geo+json' }));
    const multipart = await request(db(), '/api/exports/imports?dryRun=true', { method: 'POST', headers: { origin: 'http://localhost' }, body: form });
    expect(multipart.status).toBe(200);
    // …but not from another site.
    const foreign = await request(db(), '/api/exports/imports?dryRun=true', { method: 'POST', headers: { origin: EVIL }, body: form });
    expect(foreign.status).toBe(403);
  });
});
