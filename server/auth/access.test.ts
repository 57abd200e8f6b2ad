/**
 * Role × route × jurisdiction: every route checks on the server, and a refused
 * request leaves the data as it was.
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { createApp } from '../app';
import { describeEachEngine } from '../testing/databases';
import { TEST_ADMIN, testPlanner } from '../testing/principals';
import { tileForLonLat } from '../../kernel/webMercator';
import type { SessionUser } from '../../kernel/roles';
import { sessionFor } from '../testing/sessions';

const MINGSHAN_GRID = '450902005001001'; // 名山街道 五里桥社区
const CHENGXI_GRID = '450902003001001'; // 城西街道 庆丰社区

const principals: Record<string, SessionUser | null> = {
  anonymous: null,
  leader: { id: 1, username: 'leader', displayName: '领导', role: 'leader', jurisdictionCode: null, gridCodes: [], departmentId: null },
  analyst: { id: 2, username: 'analyst', displayName: '分析员', role: 'analyst', jurisdictionCode: null, gridCodes: [], departmentId: null },
  mingshanPlanner: testPlanner('450902005'),
  chengxiPlanner: testPlanner('450902003'),
  admin: TEST_ADMIN,
};

async function call(db: DbHandle, who: string, method: string, path: string, body?: unknown) {
  const app = createApp(db);
  const user = principals[who];
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (user) headers.authorization = `Bearer ${await sessionFor(db, user)}`;
  const res = await app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  await res.arrayBuffer();
  return res.status;
}

async function gridState(db: DbHandle, code: string) {
  const [row] = await db.rows<{ version: number; star_rating: number }>(sql`SELECT version, star_rating FROM grids WHERE code = ${code}`);
  return row!;
}

const { x, y } = tileForLonLat(14, 110.155, 22.64);
type Case = [string, string, Record<string, number>, unknown?];
const READ_ALL = { anonymous: 401, leader: 200, analyst: 200, mingshanPlanner: 200, chengxiPlanner: 200, admin: 200 };
const ADMIN_ONLY = { anonymous: 401, leader: 403, analyst: 403, mingshanPlanner: 403, chengxiPlanner: 403, admin: 200 };
const CASES: Case[] = [
  ['GET', `/api/grids/${MINGSHAN_GRID}`, READ_ALL],
  ['GET', `/tiles/grids/14/${x}/${y}.mvt`, READ_ALL],
  ['GET', '/api/regions/tree', READ_ALL],
  ['GET', '/api/exports/grids?format=geojson&region=450902005001', { anonymous: 401, leader: 403, analyst: 200, mingshanPlanner: 403, chengxiPlanner: 403, admin: 200 }],
  ['GET', '/api/users', ADMIN_ONLY],
  ['GET', '/api/audit', ADMIN_ONLY],
  ['GET', '/api/coverage/isochrones/status', ADMIN_ONLY],
  ['GET', '/api/screen/circles', READ_ALL],
  ['GET', '/api/screen/summary', READ_ALL],
];

describeEachEngine('access control', (db) => {
  it.each(CASES)('%s %s answers each role as the policy says', async (method, path, expected) => {
    for (const [who, status] of Object.entries(expected)) {
      expect({ who, status: await call(db(), who, method, path) }).toEqual({ who, status });
    }
  });

  it('health stays public; everything else needs a session', async () => {
    expect(await call(db(), 'anonymous', 'GET', '/api/health')).toBe(200);
    expect(await call(db(), 'anonymous', 'GET', '/api/config')).toBe(401);
  });

  it('a 名山街道 planner edits grids of 名山街道 only; leaders and analysts edit nothing', async () => {
    const expectations: [string, string, number][] = [
      ['anonymous', MINGSHAN_GRID, 401],
      ['leader', MINGSHAN_GRID, 403],
      ['analyst', MINGSHAN_GRID, 403],
      ['chengxiPlanner', MINGSHAN_GRID, 403],
      ['mingshanPlanner', CHENGXI_GRID, 403],
    ];
    for (const [who, code, status] of expectations) {
      const before = await gridState(db(), code);
      const got = await call(db(), who, 'PUT', `/api/grids/${code}`, { version: before.version, attributes: { starRating: before.star_rating === 5 ? 4 : 5 } });
      expect({ who, code, got }).toEqual({ who, code, got: status });
      expect(await gridState(db(), code)).toEqual(before);
    }
    const before = await gridState(db(), MINGSHAN_GRID);
    expect(await call(db(), 'mingshanPlanner', 'PUT', `/api/grids/${MINGSHAN_GRID}`, { version: before.version, attributes: { starRating: 5 } })).toBe(200);
    expect(await gridState(db(), MINGSHAN_GRID)).toEqual({ version: before.version + 1, star_rating: 5 });
    const chengxi = await gridState(db(), CHENGXI_GRID);
    expect(await call(db(), 'chengxiPlanner', 'PUT', `/api/grids/${CHENGXI_GRID}`, { version: chengxi.version, attributes: { starRating: 1 } })).toBe(200);
  });

  it('refuses a planner splitting, merging or renumbering outside the jurisdiction', async () => {
    const g = await gridState(db(), CHENGXI_GRID);
    expect(
      await call(db(), 'mingshanPlanner', 'POST', `/api/grids/${CHENGXI_GRID}/split`, {
        version: g.version,
        line: {
          type: 'LineString',
          coordinates: [
            [110, 22],
            [111, 23],
          ],
        },
      }),
    ).toBe(403);
    expect(await call(db(), 'mingshanPlanner', 'POST', '/api/grids/renumber/450902003001', {})).toBe(403);
    expect(
      await call(db(), 'mingshanPlanner', 'POST', '/api/grids/merge', {
        grids: [
          { code: CHENGXI_GRID, version: g.version },
          { code: '450902003001002', version: 1 },
        ],
      }),
    ).toBe(403);
    expect(await gridState(db(), CHENGXI_GRID)).toEqual(g);
  });

  it('lets planners import only grids of their jurisdiction; analysts and leaders not at all', async () => {
    const [g] = await db().rows<{ geometry: string }>(sql`SELECT ST_AsGeoJSON(geom) AS geometry FROM grids WHERE code = ${CHENGXI_GRID}`);
    const file = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: CHENGXI_GRID, name: '庆丰社区第1网格' }, geometry: JSON.parse(g!.geometry) }] });
    const importAs = async (who: string) => {
      const app = createApp(db());
      const user = principals[who]!;
      const res = await app.request('/api/exports/imports?dryRun=true&format=geojson', {
        method: 'POST',
        headers: { authorization: `Bearer ${await sessionFor(db(), user)}`, 'content-type': 'application/geo+json' },
        body: file,
      });
      return res.status;
    };
    expect(await importAs('mingshanPlanner')).toBe(403);
    expect(await importAs('leader')).toBe(403);
    expect(await importAs('analyst')).toBe(403);
    expect(await importAs('chengxiPlanner')).toBe(200);
  });

  it('only admins manage users, and every write lands in the audit log with who and from where', async () => {
    const body = { username: 'new-planner', displayName: '新规划员', role: 'planner', jurisdictionCode: '450902005', password: 'a-long-password-1' };
    expect(await call(db(), 'leader', 'POST', '/api/users', body)).toBe(403);
    expect(await call(db(), 'admin', 'POST', '/api/users', body)).toBe(201);
    const [audit] = await db().rows<{ actor: string; action: string; entity: string; detail: { status: number } }>(sql`
      SELECT actor, action, entity, detail FROM audit_log WHERE entity = 'users' ORDER BY id DESC LIMIT 1`);
    expect(audit).toMatchObject({ actor: 'test-admin', action: 'POST', entity: 'users', detail: { status: 201 } });
    const [refused] = await db().rows<{ actor: string; detail: { status: number } }>(sql`
      SELECT actor, detail FROM audit_log WHERE entity = 'users' AND actor = 'leader' ORDER BY id DESC LIMIT 1`);
    expect(refused?.detail.status).toBe(403);
    const app = createApp(db());
    const csv = await app.request('/api/audit?format=csv&entity=users', { headers: { authorization: `Bearer ${await sessionFor(db(), TEST_ADMIN)}` } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(await csv.text()).toContain('"test-admin","POST","users"');
  });
});
