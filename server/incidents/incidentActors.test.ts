/**
 * Who and when of incident writes (issue 13, point 3): the actor is the signed-in
 * user and the time the server's clock for every write; a body that still names
 * `actor`/`at` is refused by name; only an admin's batch import of historical cases
 * carries past times, marked imported in the history and in the audit log.
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import type { SessionUser } from '../../kernel/roles';
import { describeEachEngine } from '../testing/databases';
import { MINGSHAN_PLANNER, TEST_ADMIN } from '../testing/principals';
import { postJsonAs, requestAs } from '../testing/requestAs';

const MINGSHAN_GRID = '450902005001001';

const postCsv = (db: DbHandle, user: SessionUser, csv: string) => requestAs(db, user, '/api/incidents/batch', { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body: csv });

/** A fresh open incident in 名山街道 (inside mingshan's jurisdiction), deadline ahead of the clock. */
async function newIncident(db: DbHandle, tag: string): Promise<number> {
  const [row] = await db.rows<{ id: number }>(sql`
    INSERT INTO incidents (category_code, source, reporter, description, geom, grid_code, community_code, street_code, stage, reported_at, deadline_at)
    SELECT 'SR01', 'grid', '测试', ${tag}, label_point, code, community_code, street_code, 'collect', now() - interval '1 day', now() + interval '1 day'
    FROM grids WHERE code = ${MINGSHAN_GRID}
    RETURNING id`);
  return Number(row!.id);
}

interface HistoryRow {
  action: string;
  to_stage: string;
  actor: string;
  actor_username: string | null;
  at: Date | string;
  imported: boolean;
}
const history = (db: DbHandle, id: number) => db.rows<HistoryRow>(sql`SELECT action, to_stage, actor, actor_username, at, imported FROM incident_transitions WHERE incident_id = ${id} ORDER BY id`);
const state = async (db: DbHandle, id: number) =>
  (await db.rows<Record<string, unknown>>(sql`SELECT stage, closed_at, extended, deadline_at, deadline_extended_at, suspended, escalation FROM incidents WHERE id = ${id}`))[0];

/** Every loop write, as it would be sent to an incident in stage 信息收集. */
const WRITES: [string, Record<string, unknown>][] = [
  ['transitions', { to: 'register', expectedStage: 'collect' }],
  ['extension', { hours: 24, reason: '需协调', expectedStage: 'collect' }],
  ['escalation', { level: 'street', reason: '吹哨', expectedStage: 'collect' }],
  ['suspension', { suspended: true, reason: '待裁定', expectedStage: 'collect' }],
];

describeEachEngine('incident actors and times (issue 13 point 3)', (db) => {
  it('refuses a loop write whose body names actor or at (400 naming the field) and changes nothing', async () => {
    const id = await newIncident(db(), 'ACT1');
    const trail = () => db().rows(sql`SELECT action, to_stage, actor, at FROM incident_transitions WHERE incident_id = ${id} ORDER BY id`);
    const before = { state: await state(db(), id), history: await trail() };
    for (const [write, body] of WRITES) {
      for (const [field, value] of [
        ['actor', '区委书记'],
        ['at', '2020-01-01T08:00:00+08:00'],
      ] as const) {
        const res = await postJsonAs(db(), TEST_ADMIN, `/api/incidents/${id}/${write}`, { ...body, [field]: value });
        const problem = (await res.json()) as { errors?: { field: string; reason: string }[] };
        expect({ write, field, status: res.status }).toEqual({ write, field, status: 400 });
        expect(problem.errors).toEqual([{ field, reason: expect.stringMatching(/服务器/) }]);
      }
      const unknown = await postJsonAs(db(), TEST_ADMIN, `/api/incidents/${id}/${write}`, { ...body, signedBy: 'x' });
      expect({ write, status: unknown.status }).toEqual({ write, status: 400 });
      expect(JSON.stringify(await unknown.json())).toContain('signedBy');
    }
    expect({ state: await state(db(), id), history: await trail() }).toEqual(before);
  });

  it('signs every loop write with the signed-in user at the server clock (a closing cannot be back-dated)', async () => {
    for (const user of [TEST_ADMIN, MINGSHAN_PLANNER]) {
      for (const [write, body] of WRITES) {
        const id = await newIncident(db(), `ACT2 ${write}`);
        const started = Date.now();
        const res = await postJsonAs(db(), user, `/api/incidents/${id}/${write}`, body);
        expect({ user: user.username, write, status: res.status }).toEqual({ user: user.username, write, status: 200 });
        const [row] = (await history(db(), id)).slice(-1);
        expect({ write, actor: row!.actor, username: row!.actor_username, imported: row!.imported }).toEqual({ write, actor: user.displayName, username: user.username, imported: false });
        expect(new Date(row!.at).getTime()).toBeGreaterThanOrEqual(started - 1000);
        expect(new Date(row!.at).getTime()).toBeLessThanOrEqual(Date.now() + 1000);
      }
    }
    // The closing time (按期结案率) is the server's: walk one incident to 核实结案.
    const id = await newIncident(db(), 'ACT2 close');
    const started = Date.now();
    for (const [from, to] of [
      ['collect', 'register'],
      ['register', 'dispatch'],
      ['dispatch', 'handle'],
      ['handle', 'feedback'],
      ['feedback', 'close'],
    ]) {
      expect((await postJsonAs(db(), MINGSHAN_PLANNER, `/api/incidents/${id}/transitions`, { to, expectedStage: from })).status).toBe(200);
    }
    const closedAt = new Date((await state(db(), id))!.closed_at as string).getTime();
    expect(closedAt).toBeGreaterThanOrEqual(started - 1000);
    expect(closedAt).toBeLessThanOrEqual(Date.now() + 1000);
    expect((await history(db(), id)).map((h) => h.actor_username)).toEqual(['mingshan', 'mingshan', 'mingshan', 'mingshan', 'mingshan']);
  });

  it('refuses a report that names actor, at or reportedAt; a report is signed by the writer at the server clock', async () => {
    const [g] = await db().rows<{ lon: number; lat: number }>(sql`SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM grids WHERE code = ${MINGSHAN_GRID}`);
    const body = { lon: Number(g!.lon), lat: Number(g!.lat), category: 'SR01', source: 'grid', description: 'ACT3 report' };
    const countTagged = async () => Number((await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM incidents WHERE description = 'ACT3 report'`))[0]!.n);
    for (const [field, value] of [
      ['actor', '区委书记'],
      ['at', '2020-01-01T08:00:00+08:00'],
      ['reportedAt', '2020-01-01T08:00:00+08:00'],
    ] as const) {
      const res = await postJsonAs(db(), MINGSHAN_PLANNER, '/api/incidents', { ...body, [field]: value });
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(((await res.json()) as { errors: { field: string; reason: string }[] }).errors).toEqual([{ field, reason: expect.stringMatching(/服务器/) }]);
    }
    expect(await countTagged()).toBe(0);
    const started = Date.now();
    const ok = await postJsonAs(db(), MINGSHAN_PLANNER, '/api/incidents', body);
    expect(ok.status).toBe(201);
    const created = (await ok.json()) as { id: number; reportedAt: string };
    expect(Date.parse(created.reportedAt)).toBeGreaterThanOrEqual(started - 1000);
    expect(Date.parse(created.reportedAt)).toBeLessThanOrEqual(Date.now() + 1000);
    expect((await history(db(), created.id)).map((h) => [h.to_stage, h.actor, h.actor_username, h.imported])).toEqual([['collect', MINGSHAN_PLANNER.displayName, 'mingshan', false]]);
  });

  it("lets only an admin's batch carry past times, marked imported in the history and the audit log; a planner's batch is timed by the server", async () => {
    const csv = (rows: string[]) => ['grid_code,category,source,reporter,reported_at,description', ...rows].join('\n');
    const auditBefore = Number((await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'import' AND entity = 'incidents'`))[0]!.n);

    const admin = await postCsv(db(), TEST_ADMIN, csv([`${MINGSHAN_GRID},SR01,grid,网格员甲,2025-03-01 08:00,ACT4 historical`, `${MINGSHAN_GRID},SR01,grid,网格员乙,2025-03-02 09:00,ACT4 historical`]));
    expect(admin.status).toBe(200);
    const imported = (await admin.json()) as { accepted: number; ids: number[] };
    expect(imported.accepted).toBe(2);
    for (const id of imported.ids) {
      expect((await history(db(), id)).map((h) => [h.actor, h.actor_username, h.imported, new Date(h.at).getUTCFullYear()])).toEqual([[TEST_ADMIN.displayName, TEST_ADMIN.username, true, 2025]]);
    }
    const audits = await db().rows<{ actor: string; detail: { imported: boolean; accepted: number; firstId: number; lastId: number; reportedFrom: string; reportedTo: string } }>(
      sql`SELECT actor, detail FROM audit_log WHERE action = 'import' AND entity = 'incidents' ORDER BY id`,
    );
    expect(audits).toHaveLength(auditBefore + 1);
    expect(audits.at(-1)).toEqual({
      actor: TEST_ADMIN.username,
      detail: expect.objectContaining({ imported: true, accepted: 2, firstId: imported.ids[0], lastId: imported.ids[1], reportedFrom: '2025-03-01T00:00:00.000Z', reportedTo: '2025-03-02T01:00:00.000Z' }),
    });

    const backdated = await postCsv(db(), MINGSHAN_PLANNER, csv([`${MINGSHAN_GRID},SR01,grid,网格员丙,2025-03-01 08:00,ACT4 planner backdated`, `${MINGSHAN_GRID},SR01,grid,网格员丁,,ACT4 planner now`]));
    expect(backdated.status).toBe(200);
    const planner = (await backdated.json()) as { accepted: number; ids: number[]; errors: { row: number; field: string; reason: string }[] };
    expect(planner.errors).toEqual([{ row: 2, field: 'reportedAt', reason: expect.stringContaining('服务器') }]);
    expect(planner.accepted).toBe(1);
    const [now] = await db().rows<{ reported_at: string | Date }>(sql`SELECT reported_at FROM incidents WHERE id = ${planner.ids[0]!}`);
    expect(Math.abs(new Date(now!.reported_at).getTime() - Date.now())).toBeLessThan(60_000);
    expect((await history(db(), planner.ids[0]!)).map((h) => [h.actor, h.actor_username, h.imported])).toEqual([[MINGSHAN_PLANNER.displayName, 'mingshan', false]]);
    expect(Number((await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'import' AND entity = 'incidents'`))[0]!.n)).toBe(auditBefore + 1);
  });
});
