/**
 * Planner jurisdiction on incidents (issue 13, point 4): `mingshan`, planner of
 * 名山街道 (450902005), writes incidents of that street only — every loop write by
 * the incident's grid, a report by its location's grid, a batch only when every
 * row lies inside. Refusals are 403 like grids and centres, and change nothing.
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { describeEachEngine } from '../testing/databases';
import { MINGSHAN_PLANNER, TEST_ADMIN } from '../testing/principals';
import { postJsonAs, requestAs } from '../testing/requestAs';

const CHENGXI = '450902003'; // 城西街道, where the sample's incident 5979 lies
const OTHER_STREET = '450902002';
const MINGSHAN = '450902005';

/** An open, unsuspended, unextended incident of a street (the sample has them in every street). */
async function openIncidentOf(db: DbHandle, street: string): Promise<{ id: number; stage: string }> {
  const [row] = await db.rows<{ id: number; stage: string }>(sql`
    SELECT id, stage FROM incidents
    WHERE street_code = ${street} AND stage NOT IN ('close', 'evaluate') AND NOT suspended AND NOT extended AND escalation <> 'department'
    ORDER BY id LIMIT 1`);
  return { id: Number(row!.id), stage: row!.stage };
}

async function snapshot(db: DbHandle, id: number) {
  const [row] = await db.rows<{ state: string; history: number }>(sql`
    SELECT (SELECT row_to_json(i)::text FROM (SELECT stage, closed_at, extended, deadline_at, suspended, escalation, rework_count FROM incidents WHERE id = ${id}) i) AS state,
           (SELECT count(*)::int FROM incident_transitions WHERE incident_id = ${id}) AS history`);
  return row!;
}

const NEXT: Record<string, string> = { collect: 'register', register: 'dispatch', dispatch: 'handle', handle: 'feedback', feedback: 'close' };
/** Every loop write on an incident in `stage`; the stage move last, as it changes the stage. */
const writesFor = (stage: string): [string, Record<string, unknown>][] => [
  ['extension', { hours: 24, reason: '需协调', expectedStage: stage }],
  ['escalation', { level: 'department', reason: '吹哨', expectedStage: stage }],
  ['suspension', { suspended: true, reason: '待裁定', expectedStage: stage }],
  ['transitions', { to: NEXT[stage], expectedStage: stage }],
];

async function labelPoint(db: DbHandle, street: string) {
  const [g] = await db.rows<{ code: string; lon: number; lat: number }>(sql`SELECT code, ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM grids WHERE street_code = ${street} ORDER BY code LIMIT 1`);
  return { code: g!.code, lon: Number(g!.lon), lat: Number(g!.lat) };
}

const countTagged = async (db: DbHandle, tag: string) => Number((await db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM incidents WHERE description LIKE ${`${tag}%`}`))[0]!.n);

describeEachEngine('incident jurisdiction (issue 13 point 4)', (db) => {
  it('refuses a 名山街道 planner every loop write on an incident of another street (403) and changes nothing', async () => {
    const { id, stage } = await openIncidentOf(db(), CHENGXI);
    const before = await snapshot(db(), id);
    for (const [write, body] of writesFor(stage)) {
      const res = await postJsonAs(db(), MINGSHAN_PLANNER, `/api/incidents/${id}/${write}`, body);
      const problem = (await res.json()) as { title: string; detail: string };
      expect({ write, status: res.status }).toEqual({ write, status: 403 });
      expect(problem).toMatchObject({ title: '无权限', detail: expect.stringContaining(MINGSHAN) });
    }
    expect(await snapshot(db(), id)).toEqual(before);
    // The refusals are in the audit log, by the planner.
    const [audit] = await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE actor = 'mingshan' AND entity = 'incidents' AND (detail->>'status')::int = 403`);
    expect(audit!.n).toBeGreaterThanOrEqual(4);

    // Inside the jurisdiction the same writes go through; an admin's go through everywhere.
    const own = await openIncidentOf(db(), MINGSHAN);
    for (const [write, body] of writesFor(own.stage)) {
      expect({ write, status: (await postJsonAs(db(), MINGSHAN_PLANNER, `/api/incidents/${own.id}/${write}`, body)).status }).toEqual({ write, status: 200 });
    }
    expect((await postJsonAs(db(), TEST_ADMIN, `/api/incidents/${id}/suspension`, { suspended: true, reason: '待裁定', expectedStage: stage })).status).toBe(200);
  });

  it('lets the planner report only where the location lies in the jurisdiction', async () => {
    for (const [street, status] of [
      [OTHER_STREET, 403],
      [CHENGXI, 403],
      [MINGSHAN, 201],
    ] as const) {
      const p = await labelPoint(db(), street);
      const byPoint = await postJsonAs(db(), MINGSHAN_PLANNER, '/api/incidents', { lon: p.lon, lat: p.lat, category: 'SR01', source: 'grid', description: `JUR2 ${street} point` });
      expect({ street, how: 'point', status: byPoint.status }).toEqual({ street, how: 'point', status });
      const byGrid = await postJsonAs(db(), MINGSHAN_PLANNER, '/api/incidents', { gridCode: p.code, category: 'SR01', source: 'grid', description: `JUR2 ${street} grid` });
      expect({ street, how: 'grid', status: byGrid.status }).toEqual({ street, how: 'grid', status });
      if (status === 403) expect(await countTagged(db(), `JUR2 ${street}`)).toBe(0);
    }
    expect(await countTagged(db(), `JUR2 ${MINGSHAN}`)).toBe(2);
  });

  it("refuses a planner's whole batch when one row lies outside the jurisdiction (JSON and NDJSON), accepts it when all lie inside", async () => {
    const inside = await labelPoint(db(), MINGSHAN);
    const outside = await labelPoint(db(), OTHER_STREET);
    const csv = (rows: string[]) => ['lon,lat,category,source,description', ...rows].join('\n');
    const mixed = csv([`${inside.lon},${inside.lat},SR01,grid,JUR3 mixed in`, `${outside.lon},${outside.lat},SR01,grid,JUR3 mixed out`, `${inside.lon},${inside.lat},SR01,grid,JUR3 mixed in`]);
    for (const accept of ['application/json', 'application/x-ndjson']) {
      const res = await requestAs(db(), MINGSHAN_PLANNER, '/api/incidents/batch', { method: 'POST', headers: { 'Content-Type': 'text/csv', Accept: accept }, body: mixed });
      expect({ accept, status: res.status }).toEqual({ accept, status: 403 });
      const problem = (await res.json()) as { title: string; detail: string; errors: { row: number; field: string; reason: string }[] };
      expect(problem.title).toBe('无权限');
      expect(problem.detail).toContain('未导入任何记录');
      expect(problem.errors).toEqual([{ row: 3, field: 'location', reason: expect.stringContaining(outside.code) }]);
    }
    expect(await countTagged(db(), 'JUR3')).toBe(0);

    const allInside = await requestAs(db(), MINGSHAN_PLANNER, '/api/incidents/batch', {
      method: 'POST',
      headers: { 'Content-Type': 'text/csv', Accept: 'application/x-ndjson' },
      body: csv([`${inside.lon},${inside.lat},SR01,grid,JUR3 inside`, `,,SR01,grid,JUR3 nowhere`]),
    });
    expect(allInside.status).toBe(200);
    const events = (await allInside.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; phase?: string; accepted?: number });
    expect(events.filter((e) => e.type === 'progress').map((e) => e.phase)).toEqual(['parse', 'validate', 'write', 'done']);
    expect(events.at(-1)).toMatchObject({ type: 'result', accepted: 1, rejected: 1 });
    expect(await countTagged(db(), 'JUR3 inside')).toBe(1);
  });
});
