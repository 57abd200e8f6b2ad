import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../testing/databases';
import { requestJson } from '../testing/request';
import { type KpiResult, regionKpis } from './kpis';

/**
 * The loop-history KPIs (签收及时率, 退单率, 满意率) on a hand-made history in June 2030
 * (no sample incident comes near it), China time. Mon 3 June 2030 is made a holiday;
 * SR01 must be signed within 2 working hours, AQ01 within 1. Period P = June.
 *
 *  case  cat   dispatched            outcome                     签收时限             judged
 *  X1    SR01  Fri 06-07 17:00       signed Mon 06-10 09:00      Mon 06-10 09:30      on time (wall clock: 64 h late)
 *  X2    SR01  Sat 06-01 10:00       signed Tue 06-04 10:00      Tue 06-04 10:30      on time (Mon 3 is the holiday)
 *  X3    AQ01  Tue 06-04 11:30       signed Tue 06-04 16:00      Tue 06-04 15:00      signed late
 *  X4a   SR01  Wed 06-05 09:00       returned 06-05 10:00        Wed 06-05 11:00      退单 in time: not in 签收 base
 *  X4b   SR01  Wed 06-05 14:00       signed 06-05 16:00          Wed 06-05 16:30      on time
 *  X5    SR01  Thu 06-06 09:00       nothing                     Thu 06-06 11:00      overdue unsigned
 *  X6    SR01  Thu 06-06 09:00       returned 06-06 15:00        Thu 06-06 11:00      退单 after its 时限: overdue
 *  X7    SR01  Fri 06-28 17:30       nothing                     Mon 07-01 10:00      pending at 07-01 09:00
 *  X8    SR01  Fri 05-31 10:00       signed 06-04                —                    outside P
 *  Y     SR01  (another street)      dispatched 06-10 09:00, returned 09:30
 *
 *  回访 in P: X1 (5), X2 (3), X3 (4, by the older 评价 stage move), X5 (4, twice), X6 (no
 *  satisfaction); X4 revisited 07-02 (outside P).
 *
 * Expected, by hand, for the grid at now = Mon 07-01 09:00:
 *   派遣 8 (X1 X2 X3 X4a X4b X5 X6 X7); 已签收 4 (X1 X2 X3 X4b); 按时签收 3 (X1 X2 X4b);
 *   签收超时未签 2 (X5 X6) → 签收及时率 3 / (4 + 2) = 0.5;
 *   退单 2 (X4a X6) → 退单率 2 / 8 = 0.25;
 *   回访 4 (X1 X2 X3 X5), 满意 3 (X1 X3 X5) → 满意率 0.75.
 * At now = Mon 07-01 10:30, X7 is overdue too: 3 / 7.
 */
const cn = (local: string) => `2030-${local}:00+08:00`;
type Event = [action: string, from: string, to: string, at: string];
const dispatch = (at: string): Event => ['dispatch', 'register', 'dispatch', at];
const sign = (at: string): Event => ['sign', 'dispatch', 'dispatch', at];
const giveBack = (at: string): Event => ['return', 'dispatch', 'register', at];
const revisit = (at: string): Event => ['revisit', 'close', 'evaluate', at];

const CASES: { name: string; category: string; satisfaction: number | null; other?: boolean; events: Event[] }[] = [
  { name: 'X1', category: 'SR01', satisfaction: 5, events: [dispatch('06-07T17:00'), sign('06-10T09:00'), revisit('06-20T10:00')] },
  { name: 'X2', category: 'SR01', satisfaction: 3, events: [dispatch('06-01T10:00'), sign('06-04T10:00'), revisit('06-21T10:00')] },
  { name: 'X3', category: 'AQ01', satisfaction: 4, events: [dispatch('06-04T11:30'), sign('06-04T16:00'), ['stage', 'close', 'evaluate', '06-22T10:00']] },
  { name: 'X4', category: 'SR01', satisfaction: 5, events: [dispatch('06-05T09:00'), giveBack('06-05T10:00'), dispatch('06-05T14:00'), sign('06-05T16:00'), revisit('07-02T10:00')] },
  { name: 'X5', category: 'SR01', satisfaction: 4, events: [dispatch('06-06T09:00'), revisit('06-10T10:00'), revisit('06-25T10:00')] },
  { name: 'X6', category: 'SR01', satisfaction: null, events: [dispatch('06-06T09:00'), giveBack('06-06T15:00'), revisit('06-26T10:00')] },
  { name: 'X7', category: 'SR01', satisfaction: null, events: [dispatch('06-28T17:30')] },
  { name: 'X8', category: 'SR01', satisfaction: null, events: [dispatch('05-31T10:00'), sign('06-04T09:00')] },
  { name: 'Y', category: 'SR01', satisfaction: null, other: true, events: [dispatch('06-10T09:00'), giveBack('06-10T09:30')] },
];

const FROM = new Date(cn('06-01T00:00'));
const TO = new Date(cn('07-01T00:00'));

describeEachEngine('loop-history KPIs (签收及时率, 退单率, 满意率)', (db) => {
  let grid = '';
  let otherGrid = '';

  beforeAll(async () => {
    const grids = await db().rows<{ code: string }>(sql`
      (SELECT code FROM grids ORDER BY code LIMIT 1)
      UNION ALL (SELECT code FROM grids WHERE street_code <> (SELECT min(street_code) FROM grids) ORDER BY code LIMIT 1)`);
    grid = grids[0]!.code;
    otherGrid = grids[1]!.code;
    await db().db.execute(sql`INSERT INTO work_calendar_days (date, kind, name) VALUES ('2030-06-03', 'holiday', '测试假日')`);
    await db().db.execute(sql`UPDATE incident_categories SET sign_hours = CASE code WHEN 'AQ01' THEN 1 ELSE 2 END WHERE code IN ('SR01', 'AQ01')`);
    for (const c of CASES) {
      const [row] = await db().rows<{ id: number }>(sql`
        INSERT INTO incidents (category_code, source, description, geom, grid_code, community_code, street_code, stage, reported_at, deadline_at, satisfaction)
        SELECT ${c.category}, 'grid', ${`LK ${c.name}`}, label_point, code, community_code, street_code, 'handle',
               ${cn('05-20T09:00')}::timestamptz, ${cn('07-20T18:00')}::timestamptz, ${c.satisfaction}::smallint
        FROM grids WHERE code = ${c.other ? otherGrid : grid} RETURNING id`);
      for (const [action, from, to, at] of c.events) {
        await db().db.execute(sql`
          INSERT INTO incident_transitions (incident_id, from_stage, to_stage, actor, at, action)
          VALUES (${row!.id}, ${from}::incident_stage, ${to}::incident_stage, '测试', ${cn(at)}::timestamptz, ${action})`);
      }
    }
  });

  it('computes 签收及时率, 退单率 and 满意率 of the hand-made history on the working calendar', async () => {
    const k = await regionKpis(db(), grid, FROM, TO, new Date(cn('07-01T09:00')));
    expect(k).toMatchObject({
      dispatches: 8,
      signed: 4,
      signedOnTime: 3,
      signOverdue: 2,
      returned: 2,
      signOnTimeRate: 0.5,
      returnRate: 0.25,
      revisited: 4,
      satisfied: 3,
      satisfactionRate: 0.75,
    });
  });

  it('counts a dispatch overdue once its 签收时限 has passed unsigned', async () => {
    const later = await regionKpis(db(), grid, FROM, TO, new Date(cn('07-01T10:30')));
    expect(later).toMatchObject({ dispatches: 8, signOverdue: 3, signedOnTime: 3 });
    expect(later.signOnTimeRate).toBeCloseTo(3 / 7, 12);
  });

  it('judges 签收 on the calendar: without the holiday X2 is late', async () => {
    await db().db.execute(sql`DELETE FROM work_calendar_days WHERE date = '2030-06-03'`);
    try {
      const k = await regionKpis(db(), grid, FROM, TO, new Date(cn('07-01T09:00')));
      expect(k).toMatchObject({ signed: 4, signedOnTime: 2, signOnTimeRate: 2 / 6 });
    } finally {
      await db().db.execute(sql`INSERT INTO work_calendar_days (date, kind, name) VALUES ('2030-06-03', 'holiday', '测试假日')`);
    }
  });

  it('keeps each region to its own history and has nothing to rate where nothing happened', async () => {
    const other = await regionKpis(db(), otherGrid.slice(0, 9), FROM, TO, new Date(cn('07-01T09:00')));
    expect(other).toMatchObject({ dispatches: 1, returned: 1, returnRate: 1, signed: 0, signOverdue: 0, signOnTimeRate: null, revisited: 0, satisfactionRate: null });
    const street = await regionKpis(db(), grid.slice(0, 9), FROM, TO, new Date(cn('07-01T09:00')));
    expect(street).toMatchObject({ dispatches: 8, returned: 2, signOnTimeRate: 0.5, satisfactionRate: 0.75 });
    const empty = await regionKpis(db(), grid, new Date(cn('08-01T00:00')), new Date(cn('09-01T00:00')), new Date(cn('10-01T00:00')));
    expect(empty).toMatchObject({ dispatches: 0, signOnTimeRate: null, returnRate: null, satisfactionRate: null });
  });

  it('answers the new figures with their definitions over the API', async () => {
    const { status, body } = await requestJson<{ kpis: KpiResult; definitions: Record<string, string> }>(db(), `/api/incidents/kpis?region=${grid}&from=${FROM.toISOString()}&to=${TO.toISOString()}`);
    expect(status).toBe(200);
    // Independent of the clock: returns and revisits are already in the history.
    expect(body.kpis).toMatchObject({ dispatches: 8, returned: 2, returnRate: 0.25, revisited: 4, satisfactionRate: 0.75 });
    expect(body.definitions.signOnTimeRate).toBe('签收及时率 = 按时签收 ÷ (已签收 + 签收超时未签)；在时限内退单、改派或尚未到时限的派遣不计入');
    expect(body.definitions.returnRate).toBe('退单率 = 退单 ÷ 派遣');
    expect(body.definitions.satisfactionRate).toBe('满意率 = 满意 ÷ 回访');
    for (const key of ['dispatches', 'signed', 'signedOnTime', 'signOverdue', 'returned', 'revisited', 'satisfied']) expect(body.definitions[key]).toMatch(/[\u4e00-\u9fa5]/);
  });
});
