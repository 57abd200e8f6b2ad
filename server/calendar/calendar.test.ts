import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { OFFICIAL_2026 } from '../../kernel/workCalendar';
import { accessFor } from '../auth/policy';
import { describeEachEngine } from '../testing/databases';
import { MINGSHAN_PLANNER } from '../testing/principals';
import { request, requestJson } from '../testing/request';
import { requestAs } from '../testing/requestAs';
import { type CalendarYear, loadWorkCalendar } from './calendar';

const put = (body: unknown) => ({ method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('calendar policy', () => {
  it('lets everyone signed in read the calendar and only admins change it', () => {
    expect(accessFor('GET', '/api/calendar')).toBe('signedIn');
    expect(accessFor('PUT', '/api/calendar/2026-10-01')).toEqual(['admin']);
    expect(accessFor('DELETE', '/api/calendar/2026-10-01')).toEqual(['admin']);
    expect(accessFor('PUT', '/api/incidents/categories/SR01')).toEqual(['admin']);
    expect(accessFor('POST', '/api/incidents/1/transitions')).toEqual(['planner', 'admin']);
  });
});

describeEachEngine('working calendar', (db) => {
  it('is seeded by its migration with exactly the official 2026 days', async () => {
    const rows = await db().rows<{ date: string; kind: string; name: string; updated_by: string | null }>(sql`SELECT date::text AS date, kind, name, updated_by FROM work_calendar_days ORDER BY date`);
    expect(rows.map(({ date, kind, name }) => ({ date, kind, name }))).toEqual([...OFFICIAL_2026].sort((a, b) => a.date.localeCompare(b.date)));
    expect(rows.every((r) => r.updated_by === null)).toBe(true);
    const cal = await loadWorkCalendar(db());
    expect(cal.holidays.has('2026-10-01')).toBe(true);
    expect(cal.workdays.has('2026-09-20')).toBe(true);
  });

  it('lists a year with its working-day count and hours', async () => {
    const { status, body } = await requestJson<CalendarYear>(db(), '/api/calendar?year=2026');
    expect(status).toBe(200);
    expect(body.days).toHaveLength(39);
    expect(body.days[0]).toMatchObject({ date: '2026-01-01', kind: 'holiday', name: '元旦', updatedBy: null });
    expect(body).toMatchObject({
      year: 2026,
      workingDays: 248,
      hours: [
        { start: '08:30', end: '12:00' },
        { start: '14:30', end: '18:00' },
      ],
      timeZone: 'Asia/Shanghai',
      weekendsOnly: false,
    });
    // 2027: no official days yet, so Monday–Friday — 261 of them.
    expect((await requestJson<CalendarYear>(db(), '/api/calendar?year=2027')).body).toMatchObject({ days: [], workingDays: 261, weekendsOnly: true });
    expect((await requestJson(db(), '/api/calendar?year=1999')).status).toBe(400);
    expect((await requestJson(db(), '/api/calendar?year=2026&x=1')).status).toBe(400);
  });

  it('lets an admin set and clear a day, refusing what makes no sense', async () => {
    const set = await request(db(), '/api/calendar/2027-01-01', put({ kind: 'holiday', name: '元旦' }));
    expect(set.status).toBe(200);
    expect(await set.json()).toMatchObject({ date: '2027-01-01', kind: 'holiday', name: '元旦', updatedBy: 'test-admin' });
    const weekendWorked = await request(db(), '/api/calendar/2027-01-02', put({ kind: 'workday', name: '调休上班' }));
    expect(weekendWorked.status).toBe(200);
    expect((await requestJson<CalendarYear>(db(), '/api/calendar?year=2027')).body).toMatchObject({ workingDays: 261, weekendsOnly: false });
    // Changing a day again updates it.
    expect((await request(db(), '/api/calendar/2027-01-02', put({ kind: 'holiday', name: '元旦' }))).status).toBe(200);
    expect((await requestJson<CalendarYear>(db(), '/api/calendar?year=2027')).body.workingDays).toBe(260);

    const weekday = await request(db(), '/api/calendar/2027-01-04', put({ kind: 'workday', name: '上班' }));
    expect(weekday.status).toBe(422);
    expect(((await weekday.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('kind');
    expect((await request(db(), '/api/calendar/2027-02-30', put({ kind: 'holiday', name: '无此日' }))).status).toBe(400);
    expect((await request(db(), '/api/calendar/1900-01-01', put({ kind: 'holiday', name: '太早' }))).status).toBe(400);
    expect((await request(db(), '/api/calendar/2027-01-05', put({ kind: 'vacation', name: '休' }))).status).toBe(400);
    expect((await request(db(), '/api/calendar/2027-01-05', put({ kind: 'holiday', name: '<b>x</b>' }))).status).toBe(400);
    expect((await request(db(), '/api/calendar/2027-01-05', put({ kind: 'holiday', name: '休', updatedBy: 'someone' }))).status).toBe(400);

    const removed = await request(db(), '/api/calendar/2027-01-01', { method: 'DELETE' });
    expect(removed.status).toBe(200);
    expect(await removed.json()).toEqual({ date: '2027-01-01', working: true });
    expect((await request(db(), '/api/calendar/2027-01-01', { method: 'DELETE' })).status).toBe(404);
    expect((await requestJson<CalendarYear>(db(), '/api/calendar?year=2027')).body.days.map((d) => d.date)).toEqual(['2027-01-02']);
    const [audit] = await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE entity = 'calendar' AND actor = 'test-admin'`);
    expect(audit!.n).toBeGreaterThanOrEqual(4);
  });

  it('refuses a planner the writes but not the reading', async () => {
    expect((await requestAs(db(), MINGSHAN_PLANNER, '/api/calendar?year=2026')).status).toBe(200);
    expect((await requestAs(db(), MINGSHAN_PLANNER, '/api/calendar/2026-12-31', put({ kind: 'holiday', name: '跨年' }))).status).toBe(403);
    expect((await requestAs(db(), MINGSHAN_PLANNER, '/api/calendar/2026-10-01', { method: 'DELETE' })).status).toBe(403);
    const [row] = await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM work_calendar_days WHERE date IN ('2026-12-31', '2026-10-01')`);
    expect(row!.n).toBe(1);
  });
});
