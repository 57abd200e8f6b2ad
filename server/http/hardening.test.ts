/**
 * The request checks every route shares: malformed or empty JSON answered in
 * Chinese with the body as the field, refusals before a route (413, too deep)
 * in the audit log, the Permissions-Policy header, one grid import limit.
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { IMPORT_MAX_BYTES } from '../exports/imports/upload';
import { describeEachEngine } from '../testing/databases';
import { request } from '../testing/request';
import { limitFor } from './hardening';

const MB = 1024 * 1024;

type Problem = { title: string; detail: string; errors: { field: string; reason: string }[] };

describeEachEngine('shared request checks', (db) => {
  const grid = async () => (await db().rows<{ code: string; version: number }>(sql`SELECT code, version FROM grids ORDER BY code LIMIT 1`))[0]!;

  it('answers malformed or empty JSON with a Chinese problem naming the body, on every kind of route', async () => {
    const g = await grid();
    const [centre] = await db().rows<{ id: number }>(sql`SELECT id FROM service_centres ORDER BY id LIMIT 1`);
    const routes: [string, string][] = [
      ['PUT', `/api/grids/${g.code}`], // @hono/zod-validator
      ['POST', '/api/demonstrations/belts'], // @hono/zod-validator
      ['POST', '/api/users'], // @hono/zod-validator
      ['PATCH', `/api/centres/${centre!.id}`], // the coverage jsonBody validator
    ];
    for (const [method, path] of routes) {
      for (const [body, reason] of [
        ['{"version": 1, "attributes": {', '请求体不是有效的 JSON'],
        ['', '请求体为空，应为 JSON'],
        ['   ', '请求体为空，应为 JSON'],
      ] as const) {
        const res = await request(db(), path, { method, headers: { 'content-type': 'application/json' }, body });
        expect({ path, body, status: res.status }).toEqual({ path, body, status: 400 });
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        const problem = (await res.json()) as Problem;
        expect({ path, body, problem }).toEqual({ path, body, problem: expect.objectContaining({ title: '请求参数无效', detail: reason, errors: [{ field: '(body)', reason }] }) });
        expect(JSON.stringify(problem)).not.toMatch(/Malformed|version/);
      }
    }
    expect((await grid()).version).toBe(g.version);
  });

  it('records a 413 and a too-deep JSON in the audit log with who sent it', async () => {
    const g = await grid();
    const rows = async () =>
      db().rows<{ actor: string; action: string; status: number }>(sql`
        SELECT actor, action, (detail->>'status')::int AS status FROM audit_log WHERE entity = 'grids' AND entity_id = ${g.code} ORDER BY id`);
    const before = (await rows()).length;
    const big = await request(db(), `/api/grids/${g.code}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: `{"version":1,"attributes":{"name":"${'x'.repeat(6 * MB)}"}}` });
    expect(big.status).toBe(413);
    const declared = await request(db(), `/api/grids/${g.code}`, { method: 'PUT', headers: { 'content-type': 'application/json', 'content-length': String(6 * MB) }, body: '{}' });
    expect(declared.status).toBe(413);
    const deep = await request(db(), `/api/grids/${g.code}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: `{"version":1,"attributes":${'['.repeat(100)}${']'.repeat(100)}}` });
    expect(deep.status).toBe(400);
    expect(((await deep.json()) as Problem).errors).toEqual([{ field: '(body)', reason: 'JSON 嵌套过深' }]);
    expect((await rows()).slice(before)).toEqual([
      { actor: 'test-admin', action: 'PUT', status: 413 },
      { actor: 'test-admin', action: 'PUT', status: 413 },
      { actor: 'test-admin', action: 'PUT', status: 400 },
    ]);
  });

  it('sends a Permissions-Policy: geolocation and camera for this site only, the rest off', async () => {
    for (const path of ['/api/health', '/', '/api/nowhere']) {
      const res = await request(db(), path);
      const policy = res.headers.get('permissions-policy') ?? '';
      const directives = Object.fromEntries(policy.split(/,\s*/).map((d) => d.split('=') as [string, string]));
      expect({ path, directives }).toEqual({ path, directives: expect.objectContaining({ geolocation: '(self)', camera: '(self)', microphone: '()', payment: '()', usb: '()' }) });
    }
  });

  it('gives grid imports one limit (50 MB, as the README says) and the same message on both sides of it', async () => {
    expect(IMPORT_MAX_BYTES).toBe(50 * MB);
    expect(limitFor('/api/exports/imports')).toBe(IMPORT_MAX_BYTES);
    const [grid] = await db().rows<{ code: string }>(sql`SELECT code FROM grids ORDER BY code LIMIT 1`);
    for (const size of [55 * MB, 61 * MB]) {
      const res = await request(db(), '/api/exports/imports?dryRun=true&format=geojson', {
        method: 'POST',
        headers: { 'content-type': 'application/geo+json', 'content-length': String(size) },
        body: JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: grid!.code }, geometry: null }] }),
      });
      expect({ size, status: res.status }).toEqual({ size, status: 413 });
      const problem = (await res.json()) as Problem;
      expect({ size, detail: problem.detail, errors: problem.errors }).toEqual({ size, detail: '导入文件不能超过 50 MB', errors: [{ field: 'file', reason: '文件过大' }] });
    }
  });
});
