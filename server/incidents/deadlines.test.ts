import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { addWorkingTime, DEFAULT_CALENDAR, pausedDeadline, workCalendar } from '../../kernel/workCalendar';
import { loadWorkCalendar } from '../calendar/calendar';
import { describeEachEngine } from '../testing/databases';
import { MINGSHAN_PLANNER } from '../testing/principals';
import { request, requestJson } from '../testing/request';
import { requestAs } from '../testing/requestAs';
import type { IncidentCategory } from './categories';
import { deadlineLights, moveDeadlineForPause, resumeDeadline } from './deadlines';

const json = (method: string, body: unknown): RequestInit => ({ method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const cn = (local: string) => new Date(`${local}:00+08:00`);

async function firstGrid(db: DbHandle) {
  const [g] = await db.rows<{ code: string; lon: number; lat: number }>(sql`SELECT code, ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM grids ORDER BY code LIMIT 1`);
  return { code: g!.code, lon: Number(g!.lon), lat: Number(g!.lat) };
}

async function deadlinesOf(db: DbHandle, tag: string): Promise<Record<string, string>> {
  const rows = await db.rows<{ description: string; deadline_at: Date | string }>(sql`SELECT description, deadline_at FROM incidents WHERE description LIKE ${`${tag}%`}`);
  return Object.fromEntries(rows.map((r) => [r.description, new Date(r.deadline_at).toISOString()]));
}

describeEachEngine('incident deadlines on the working calendar', (db) => {
  it('lets admins set a category deadline in working hours or days, and nobody else', async () => {
    const set = await request(db(), '/api/incidents/categories/AQ01', json('PUT', { amount: 4, unit: 'hours', signHours: 1 }));
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ code: 'AQ01', deadlineAmount: 4, deadlineUnit: 'hours', deadlineLabel: '4个工作小时', signHours: 1 });
    const { body } = await requestJson<{ categories: IncidentCategory[] }>(db(), '/api/incidents/categories');
    expect(body.categories.find((c) => c.code === 'AQ01')).toMatchObject({ deadlineAmount: 4, deadlineUnit: 'hours', deadlineHours: 4 });
    // Migrated from 48 h: 2 working days (14 working hours).
    expect(body.categories.find((c) => c.code === 'SR01')).toMatchObject({ deadlineAmount: 2, deadlineUnit: 'days', deadlineLabel: '2个工作日', deadlineHours: 14 });

    expect((await request(db(), '/api/incidents/categories/XX99', json('PUT', { amount: 1, unit: 'days' }))).status).toBe(404);
    for (const bad of [
      { amount: 0, unit: 'days' },
      { amount: 1, unit: 'weeks' },
      { amount: 61, unit: 'days' },
      { amount: 1.5, unit: 'hours' },
      { amount: 1, unit: 'days', at: '2026-01-01' },
    ]) {
      expect((await request(db(), '/api/incidents/categories/AQ01', json('PUT', bad))).status, JSON.stringify(bad)).toBe(400);
    }
    expect((await requestAs(db(), MINGSHAN_PLANNER, '/api/incidents/categories/AQ01', json('PUT', { amount: 1, unit: 'days' }))).status).toBe(403);
    const [row] = await db().rows<{ deadline_amount: number; deadline_unit: string }>(sql`SELECT deadline_amount, deadline_unit FROM incident_categories WHERE code = 'AQ01'`);
    expect(row).toEqual({ deadline_amount: 4, deadline_unit: 'hours' });
  });

  it('gives imported cases the deadline of their category on the calendar, across 国庆 and after an edit', async () => {
    await request(db(), '/api/incidents/categories/AQ01', json('PUT', { amount: 4, unit: 'hours' }));
    const g = await firstGrid(db());
    const csv = (tag: string) =>
      [
        'lon,lat,category,source,reported_at,description',
        `${g.lon},${g.lat},AQ01,grid,2026-09-30 16:00,${tag} AQ01`,
        `${g.lon},${g.lat},SR01,grid,2026-09-30 10:00,${tag} SR01`,
        `${g.lon},${g.lat},SR01,grid,2026-02-13 10:00,${tag} SR01 春节`,
      ].join('\n');
    const post = (body: string) => request(db(), '/api/incidents/batch', { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body });
    expect((await post(csv('DL1'))).status).toBe(200);
    expect(await deadlinesOf(db(), 'DL1')).toEqual({
      // Wed 30 Sep 16:00 + 4 working hours: 2 h that day, 2 h on Thu 8 Oct → 10:30.
      'DL1 AQ01': cn('2026-10-08T10:30').toISOString(),
      // Wed 30 Sep + 2 working days: Thu 8, Fri 9 Oct → 18:00.
      'DL1 SR01': cn('2026-10-09T18:00').toISOString(),
      // Fri 13 Feb + 2 working days: Sat 14 (调休), then Tue 24 after 春节.
      'DL1 SR01 春节': cn('2026-02-24T18:00').toISOString(),
    });

    // An admin makes Fri 9 Oct a day off: the next case's second working day is the 调休 Saturday.
    expect((await request(db(), '/api/calendar/2026-10-09', json('PUT', { kind: 'holiday', name: '临时调整' }))).status).toBe(200);
    expect((await post(csv('DL2'))).status).toBe(200);
    expect((await deadlinesOf(db(), 'DL2'))['DL2 SR01']).toBe(cn('2026-10-10T18:00').toISOString());
    // Cases already written keep theirs.
    expect((await deadlinesOf(db(), 'DL1'))['DL1 SR01']).toBe(cn('2026-10-09T18:00').toISOString());
    await request(db(), '/api/calendar/2026-10-09', { method: 'DELETE' });
  });

  it('gives a report at the server clock its category deadline from that moment', async () => {
    await request(db(), '/api/incidents/categories/AQ01', json('PUT', { amount: 4, unit: 'hours' }));
    const g = await firstGrid(db());
    const res = await request(db(), '/api/incidents', json('POST', { lon: g.lon, lat: g.lat, category: 'AQ01', source: 'grid', description: 'DL3 now' }));
    expect(res.status).toBe(201);
    const created = (await res.json()) as { reportedAt: string; deadlineAt: string };
    const cal = await loadWorkCalendar(db());
    expect(created.deadlineAt).toBe(addWorkingTime(new Date(created.reportedAt), { hours: 4 }, cal).toISOString());
  });

  it('moves the deadline by the working time spent in 缓办', async () => {
    const g = await firstGrid(db());
    const [row] = await db().rows<{ id: number }>(sql`
      INSERT INTO incidents (category_code, source, description, geom, grid_code, community_code, street_code, stage, reported_at, deadline_at)
      SELECT 'SR01', 'grid', 'DL4 pause', label_point, code, community_code, street_code, 'handle', ${cn('2026-09-24T09:00').toISOString()}::timestamptz, ${cn('2026-09-29T18:00').toISOString()}::timestamptz
      FROM grids WHERE code = ${g.code} RETURNING id`);
    const id = Number(row!.id);
    // Paused Thu 24 Sep 17:00, resumed Mon 28 Sep 11:30: 4 working hours (中秋 in between) → Wed 30 Sep 15:00.
    const moved = await db().db.transaction((tx) => moveDeadlineForPause(tx, id, cn('2026-09-24T17:00'), cn('2026-09-28T11:30')));
    expect(moved?.toISOString()).toBe(cn('2026-09-30T15:00').toISOString());
    expect((await deadlinesOf(db(), 'DL4'))['DL4 pause']).toBe(cn('2026-09-30T15:00').toISOString());

    // No suspension row: resuming moves nothing.
    expect(await db().db.transaction((tx) => resumeDeadline(tx, id, new Date()))).toBeNull();
  });

  it('moves the deadline when 缓办 is lifted through the loop API', async () => {
    const g = await firstGrid(db());
    const [row] = await db().rows<{ id: number }>(sql`
      INSERT INTO incidents (category_code, source, description, geom, grid_code, community_code, street_code, stage, reported_at, deadline_at)
      SELECT 'SR01', 'grid', 'DL5 resume', label_point, code, community_code, street_code, 'collect', now() - interval '10 days', now() + interval '1 day'
      FROM grids WHERE code = ${g.code} RETURNING id`);
    const id = Number(row!.id);
    const before = (await deadlinesOf(db(), 'DL5'))['DL5 resume'] as string;
    const suspend = await request(db(), `/api/incidents/${id}/suspension`, json('POST', { suspended: true, reason: '待法院裁定', expectedStage: 'collect' }));
    expect(suspend.status).toBe(200);
    // The pause began a week ago (the server clock took it now; set it back to have working time in it).
    const pausedFrom = new Date(Date.now() - 7 * 86_400_000);
    await db().db.execute(sql`UPDATE incident_transitions SET at = ${pausedFrom.toISOString()}::timestamptz WHERE incident_id = ${id} AND action = 'suspension'`);
    const resume = await request(db(), `/api/incidents/${id}/suspension`, json('POST', { suspended: false, reason: '裁定已出', expectedStage: 'collect' }));
    expect(resume.status).toBe(200);
    const body = (await resume.json()) as { deadlineAt: string; suspended: boolean };
    const [resumed] = await db().rows<{ at: Date | string }>(sql`SELECT at FROM incident_transitions WHERE incident_id = ${id} AND action = 'resumption'`);
    const expected = pausedDeadline(new Date(before), pausedFrom, new Date(resumed!.at), await loadWorkCalendar(db()));
    expect(body).toMatchObject({ suspended: false, deadlineAt: expected.toISOString() });
    // A week always holds working time (at least the five weekdays minus holidays, never zero here).
    expect(Date.parse(body.deadlineAt)).toBeGreaterThan(Date.parse(before));
  });

  it('lights listed cases on the stored calendar', async () => {
    const cases = [
      { id: 1, deadlineAt: cn('2026-10-08T10:00'), reportedAt: cn('2026-09-29T10:00'), suspended: false },
      { id: 2, deadlineAt: cn('2026-09-30T12:00'), reportedAt: cn('2026-09-29T10:00'), suspended: false },
      { id: 3, deadlineAt: cn('2026-10-08T10:00'), reportedAt: cn('2026-09-29T10:00'), suspended: true },
    ];
    const lit = await deadlineLights(db(), cases, cn('2026-09-30T17:00'));
    // 1 h on 30 Sep + 1.5 h on 8 Oct remain → amber; #2 is past → red; #3 is on hold.
    expect(lit.map((c) => [c.id, c.deadline.light, c.deadline.remainingWorkingMs])).toEqual([
      [1, 'amber', 2.5 * 3_600_000],
      [2, 'red', 0],
      [3, 'paused', 2.5 * 3_600_000],
    ]);
    // On a calendar without the holiday the same case would have a working week left.
    const plain = workCalendar([]);
    expect(addWorkingTime(cn('2026-09-30T17:00'), { hours: 2.5 }, plain).toISOString()).toBe(cn('2026-10-01T10:00').toISOString());
    expect(addWorkingTime(cn('2026-09-30T17:00'), { hours: 2.5 }, DEFAULT_CALENDAR).toISOString()).toBe(cn('2026-10-08T10:00').toISOString());
  });
});
