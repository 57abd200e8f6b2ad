/**
 * Personal data (issue 13, point 10): who reads the names and phones on a grid —
 * in the record, its history and the grids export — and that every unmasking is
 * checked and audited. Through the API as each role, on both engines.
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { maskPhone } from '../../kernel/personalData';
import type { SessionUser } from '../../kernel/roles';
import { auditEntries } from '../audit/auditLog';
import { resolveCrs } from '../exports/crs/projections';
import { gridsLayer } from '../exports/layers';
import { readFeatureBatches } from '../exports/source';
import { describeEachEngine } from '../testing/databases';
import { TEST_ADMIN, testPlanner } from '../testing/principals';
import { request } from '../testing/request';
import { sessionFor } from '../testing/sessions';
import { TILE_SETS } from '../tiles/layers';
import { mayReadPeople } from './personalData';

const MINGSHAN_GRID = '450902005001001'; // 名山街道 五里桥社区
const CHENGXI_GRID = '450902003001001'; // 城西街道 庆丰社区

const mingshan = testPlanner('450902005');
const leader: SessionUser = { id: 0, username: 'pd-leader', displayName: '领导', role: 'leader', jurisdictionCode: null, gridCodes: [], departmentId: null };
const analyst: SessionUser = { id: 0, username: 'pd-analyst', displayName: '分析员', role: 'analyst', jurisdictionCode: null, gridCodes: [], departmentId: null };
const admin: SessionUser = { ...TEST_ADMIN, username: 'pd-admin' };

async function get(db: DbHandle, user: SessionUser, path: string) {
  const res = await request(db, path, { headers: { authorization: `Bearer ${await sessionFor(db, user)}` } });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

async function stored(db: DbHandle, code: string) {
  const [row] = await db.rows<{ secretary: string; phone: string; workers: string[] }>(sql`SELECT party_secretary AS secretary, party_secretary_phone AS phone, grid_workers AS workers FROM grids WHERE code = ${code}`);
  return row!;
}

const reveals = (db: DbHandle, actor: string) => auditEntries(db, { actor, entity: 'grids' }).then((entries) => entries.filter((e) => e.action === 'REVEAL'));

describeEachEngine('personal data on grids', (db) => {
  it('gives a planner the people of their own street, masked, and withholds those of another street', async () => {
    const own = await stored(db(), MINGSHAN_GRID);
    expect(own.phone).toMatch(/\d{4}$/);
    const inside = await get(db(), mingshan, `/api/grids/${MINGSHAN_GRID}`);
    expect(inside.status).toBe(200);
    expect(inside.body.personalDataWithheld).toBe(false);
    expect(inside.body.partyOrg.secretary).toBe(own.secretary);
    expect(inside.body.gridWorkers).toEqual(own.workers);
    expect(inside.body.partyOrg.secretaryPhone).toBe(maskPhone(own.phone));
    expect(inside.body.partyOrg.secretaryPhone).not.toBe(own.phone);

    const other = await stored(db(), CHENGXI_GRID);
    const outside = await get(db(), mingshan, `/api/grids/${CHENGXI_GRID}`);
    expect(outside.status).toBe(200);
    expect(outside.body.personalDataWithheld).toBe(true);
    expect(outside.body.partyOrg).toMatchObject({ secretary: null, secretaryPhone: null });
    expect(outside.body.gridWorkers).toBeNull();
    // The rest of the grid is readable as before.
    expect(outside.body.partyOrg.name).toMatch(/网格/);
    const text = JSON.stringify(outside.body);
    for (const name of [other.secretary, ...other.workers]) expect(text).not.toContain(name);
  });

  it('gives leaders and admins the names everywhere, phones masked', async () => {
    for (const user of [leader, admin]) {
      for (const code of [MINGSHAN_GRID, CHENGXI_GRID]) {
        const row = await stored(db(), code);
        const { status, body } = await get(db(), user, `/api/grids/${code}`);
        expect(status).toBe(200);
        expect(body.personalDataWithheld).toBe(false);
        expect(body.partyOrg.secretary).toBe(row.secretary);
        expect(body.gridWorkers).toEqual(row.workers);
        expect(body.partyOrg.secretaryPhone).toBe(maskPhone(row.phone));
      }
    }
  });

  it('withholds every name from analysts', async () => {
    for (const code of [MINGSHAN_GRID, CHENGXI_GRID]) {
      const { status, body } = await get(db(), analyst, `/api/grids/${code}`);
      expect(status).toBe(200);
      expect(body.personalDataWithheld).toBe(true);
      expect(body.partyOrg).toMatchObject({ secretary: null, secretaryPhone: null });
      expect(body.gridWorkers).toBeNull();
      expect(body.partyOrg.members).toBeGreaterThan(0);
    }
  });

  it('unmasks a phone for a role that needs it and audits who, which record and when', async () => {
    const row = await stored(db(), MINGSHAN_GRID);
    for (const user of [mingshan, admin]) {
      const before = Date.now();
      const { status, body } = await get(db(), user, `/api/grids/${MINGSHAN_GRID}?reveal=phone`);
      expect(status).toBe(200);
      expect(body.partyOrg.secretaryPhone).toBe(row.phone);
      const [entry] = await reveals(db(), user.username);
      expect(entry).toMatchObject({ actor: user.username, action: 'REVEAL', entity: 'grids', entityId: MINGSHAN_GRID });
      expect(entry!.detail).toMatchObject({ status: 200, role: user.role, fields: ['phone'], query: '?reveal=phone' });
      expect(Date.parse(entry!.at)).toBeGreaterThanOrEqual(before - 5_000);
      expect(Date.parse(entry!.at)).toBeLessThanOrEqual(Date.now() + 5_000);
    }
  });

  it('refuses to unmask for roles that do not need phones and outside a planner’s street, and audits the attempt', async () => {
    for (const [user, code, detail] of [
      [leader, MINGSHAN_GRID, '当前角色无权查看完整联系电话'],
      [analyst, MINGSHAN_GRID, '当前角色无权查看完整联系电话'],
      [mingshan, CHENGXI_GRID, '只能查看本辖区人员的完整联系电话'],
    ] as const) {
      const phone = (await stored(db(), code)).phone;
      const res = await request(db(), `/api/grids/${code}?reveal=phone`, { headers: { authorization: `Bearer ${await sessionFor(db(), user)}` } });
      const text = await res.text();
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(JSON.parse(text)).toMatchObject({ status: 403, title: '无权限', detail, errors: [{ field: 'reveal', reason: detail }] });
      expect(text).not.toContain(phone);
      const [entry] = await reveals(db(), user.username);
      expect(entry).toMatchObject({ action: 'REVEAL', entityId: code, detail: { status: 403, role: user.role } });
    }
  });

  it('rejects an unknown reveal field with 400 and a Chinese reason', async () => {
    const { status, body } = await get(db(), admin, `/api/grids/${MINGSHAN_GRID}?reveal=names`);
    expect(status).toBe(400);
    expect(body.errors).toEqual([{ field: 'reveal', reason: 'reveal 只能是 phone（查看完整联系电话）' }]);
  });

  it('does not serve an unmasking it cannot audit', async () => {
    const phone = (await stored(db(), MINGSHAN_GRID)).phone;
    const token = await sessionFor(db(), admin);
    await db().rows(sql`ALTER TABLE audit_log RENAME TO audit_log_away`);
    try {
      const res = await request(db(), `/api/grids/${MINGSHAN_GRID}?reveal=phone`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBeGreaterThanOrEqual(500);
      expect(await res.text()).not.toContain(phone);
    } finally {
      await db().rows(sql`ALTER TABLE audit_log_away RENAME TO audit_log`);
    }
  });

  it('withholds the names in a grid’s history as in the grid itself', async () => {
    const row = await stored(db(), CHENGXI_GRID);
    const own = await get(db(), testPlanner('450902003'), `/api/grids/${CHENGXI_GRID}/history`);
    expect(own.status).toBe(200);
    const created = own.body.versions.at(-1);
    expect(created.after).toMatchObject({ partySecretary: row.secretary, gridWorkers: row.workers });

    for (const user of [mingshan, analyst]) {
      const { status, body } = await get(db(), user, `/api/grids/${CHENGXI_GRID}/history`);
      expect(status).toBe(200);
      expect(body.versions.length).toBe(own.body.versions.length);
      for (const v of body.versions) {
        for (const snapshot of [v.before, v.after].filter(Boolean)) expect(snapshot).toMatchObject({ partySecretary: null, gridWorkers: null });
      }
      const text = JSON.stringify(body);
      for (const name of [row.secretary, ...row.workers]) expect(text).not.toContain(name);
    }
  });

  it('exports the grids layer for an analyst without names, and with them for an admin', async () => {
    const community = CHENGXI_GRID.slice(0, 12);
    const names = await db().rows<{ code: string; secretary: string }>(sql`SELECT code, party_secretary AS secretary FROM grids WHERE community_code = ${community}`);
    const bySecretary = new Map(names.map((r) => [r.code, r.secretary]));
    const [asAnalyst, asAdmin] = await Promise.all(
      [analyst, admin].map(async (user) => {
        const res = await request(db(), `/api/exports/grids?format=geojson&region=${community}`, { headers: { authorization: `Bearer ${await sessionFor(db(), user)}` } });
        expect(res.status).toBe(200);
        const text = await res.text();
        return { text, features: (JSON.parse(text) as GeoJSON.FeatureCollection).features.map((f) => f.properties as Record<string, unknown>) };
      }),
    );
    expect(asAnalyst!.features).toHaveLength(names.length);
    for (const p of asAnalyst!.features) expect(p).toMatchObject({ party_secretary: null, personal_data_withheld: true });
    for (const secretary of bySecretary.values()) expect(asAnalyst!.text).not.toContain(secretary);
    for (const p of asAdmin!.features) expect(p).toMatchObject({ party_secretary: bySecretary.get(String(p.code)), personal_data_withheld: false });
    // Phones never leave in a file, whoever exports.
    expect(asAdmin!.text).not.toMatch(/secretary_phone/);
  });

  it('applies the same rule per export row as the read, for every role and every grid', async () => {
    const grids = await db().rows<{ code: string; secretary: string }>(sql`SELECT code, party_secretary AS secretary FROM grids`);
    const secretaries = new Map(grids.map((g) => [g.code, g.secretary]));
    const crs = resolveCrs('4326')!;
    for (const reader of [mingshan, testPlanner('450902003001'), { ...mingshan, jurisdictionCode: null, gridCodes: [], departmentId: null }, leader, analyst, admin, null]) {
      let rows = 0;
      let shown = 0;
      for await (const batch of readFeatureBatches(db(), gridsLayer, { reader }, crs, { batchSize: 500 })) {
        for (const { properties: p } of batch) {
          const code = String(p.code);
          const readable = mayReadPeople(reader, code);
          expect(p.personal_data_withheld, `${reader?.username} ${code}`).toBe(!readable);
          expect(p.party_secretary).toBe(readable ? secretaries.get(code) : null);
          rows++;
          if (readable) shown++;
        }
      }
      expect(rows).toBe(grids.length);
      if (reader?.role === 'planner' && reader.jurisdictionCode) expect(shown).toBe(grids.filter((g) => g.code.startsWith(reader.jurisdictionCode!)).length);
    }
    // The export CLI (no reader: an operator on the server) reads everything.
    for await (const batch of readFeatureBatches(db(), gridsLayer, {}, crs, { batchSize: 2000 })) {
      for (const { properties: p } of batch) expect(p.personal_data_withheld).toBe(false);
    }
  });

  it('keeps people out of map features, grid tiles and the big screen, even for a leader who reads names', async () => {
    const people = await db().rows<{ secretary: string; workers: string[] }>(sql`SELECT party_secretary AS secretary, grid_workers AS workers FROM grids WHERE street_code = '450902005'`);
    const names = new Set(people.flatMap((p) => [p.secretary, ...p.workers]));
    for (const path of ['/api/grids?bbox=110.10,22.58,110.22,22.70', '/api/screen/summary?region=450902005', '/api/screen/centres']) {
      const { status, body } = await get(db(), leader, path);
      expect(status, path).toBe(200);
      if (path.includes('bbox')) expect(body.features.filter((f: any) => f.properties.streetCode === '450902005').length).toBeGreaterThan(10);
      const text = JSON.stringify(body);
      for (const name of names) expect(text, `${path} ${name}`).not.toContain(`"${name}"`);
    }
    const tileColumns = TILE_SETS.grids.flatMap((layer) => [...layer.properties]);
    for (const column of ['party_secretary', 'party_secretary_phone', 'grid_workers', 'secretary', 'workers', 'phone']) expect(tileColumns).not.toContain(column);
  });
});
