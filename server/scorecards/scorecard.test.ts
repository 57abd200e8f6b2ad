import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../testing/databases';
import { requestJson } from '../testing/request';
import { type MeasureRow, scorecard } from './scorecard';

/**
 * A hand-made set in 2031 (no sample incident comes near it). Designation D = 2031-03-01
 * 00:00 China time, 10-day windows: before [02-19, 03-01), after [03-01, 03-11).
 * Group = one community; rest = a community of another street.
 *
 *        reported deadline closed  escalation
 *  g1    02-20    02-22    02-21   grid        before: due, closed on time, in grid
 *  g2    02-21    02-25    02-27   community   before: closed late
 *  g3    02-23    02-26    -       grid        before: overdue open
 *  g4    03-02    03-04    03-03   grid        after: on time, grid
 *  g5    03-03    03-05    03-04   grid        after: on time, grid
 *  r1    02-20    02-22    02-21   grid        rest before: on time, grid
 *  r2    02-22    02-24    -       grid        rest before: open
 *  r3    03-02    03-04    03-06   street      rest after: late
 *  r4    03-05    03-07    03-06   grid        rest after: on time, grid
 *
 * By hand:            group before  group after  rest before  rest after
 *   受理量               3             2            2            2
 *   结案率               2/3           2/2          1/2          2/2
 *   按期结案率           1/3           2/2          1/2          1/2
 *   网格内解决率         1/2           2/2          1/1          1/2
 *   满意率               — (no 回访)
 * DiD: 受理量 (2−3)−(2−2) = −1; 结案率 (1−2/3)−(1−1/2) = −1/6;
 *      按期结案率 (1−1/3)−(1/2−1/2) = 2/3; 网格内解决率 (1−1/2)−(1/2−1) = 1.
 */
const ROWS = [
  ['g', '02-20', '02-22', '02-21', 'grid'],
  ['g', '02-21', '02-25', '02-27', 'community'],
  ['g', '02-23', '02-26', null, 'grid'],
  ['g', '03-02', '03-04', '03-03', 'grid'],
  ['g', '03-03', '03-05', '03-04', 'grid'],
  ['r', '02-20', '02-22', '02-21', 'grid'],
  ['r', '02-22', '02-24', null, 'grid'],
  ['r', '03-02', '03-04', '03-06', 'street'],
  ['r', '03-05', '03-07', '03-06', 'grid'],
] as const;
const D = new Date('2031-03-01T00:00:00+08:00');
const NOW = new Date('2031-06-01T00:00:00Z');

describeEachEngine('示范评估 scorecards', (db) => {
  let group = '';
  let rest = '';

  beforeAll(async () => {
    const grids = await db().rows<{ code: string; community: string }>(sql`
      (SELECT code, community_code AS community FROM grids ORDER BY code LIMIT 1)
      UNION ALL (SELECT code, community_code FROM grids WHERE street_code <> (SELECT min(street_code) FROM grids) ORDER BY code LIMIT 1)`);
    group = grids[0]!.community;
    rest = grids[1]!.community;
    for (const [who, reported, deadline, closed, escalation] of ROWS) {
      const code = who === 'g' ? grids[0]!.code : grids[1]!.code;
      // Noon China time of each day, so no instant sits on a window's edge.
      const at = (d: string | null) => (d === null ? null : `2031-${d}T12:00:00+08:00`);
      await db().db.execute(sql`
        INSERT INTO incidents (category_code, source, reporter, description, geom, grid_code, community_code, street_code,
                               stage, escalation, reported_at, deadline_at, closed_at)
        SELECT 'SR01', 'grid', '评估', '示范评估', label_point, code, community_code, street_code,
               ${closed ? 'close' : 'handle'}, ${escalation}, ${at(reported)}::timestamptz, ${at(deadline)}::timestamptz, ${at(closed)}::timestamptz
        FROM grids WHERE code = ${code}`);
    }
  });

  const m = (rows: MeasureRow[], id: string) => rows.find((r) => r.id === id)!;

  it('computes the hand-made before/after values and the difference in differences', async () => {
    const card = await scorecard(db(), [group], D, 10, NOW);
    expect(card.before).toEqual({ from: '2031-02-18T16:00:00.000Z', to: '2031-02-28T16:00:00.000Z' });
    expect(card.after).toEqual({ from: '2031-02-28T16:00:00.000Z', to: '2031-03-10T16:00:00.000Z' });
    expect(card.truncated).toBe(false);
    const count = m(card.measures, 'count');
    expect([count.group!.before.numerator, count.group!.after.numerator]).toEqual([3, 2]);
    expect(count.did).toBe(-1);
    const close = m(card.measures, 'closeRate');
    expect(close.group!.before).toEqual({ numerator: 2, denominator: 3, value: 2 / 3 });
    expect(close.group!.after).toEqual({ numerator: 2, denominator: 2, value: 1 });
    expect(close.rest!.before).toEqual({ numerator: 1, denominator: 2, value: 0.5 });
    expect(close.rest!.after).toEqual({ numerator: 2, denominator: 2, value: 1 });
    expect(close.did).toBeCloseTo(-1 / 6, 12);
    const onTime = m(card.measures, 'onTimeRate');
    expect([onTime.group!.before.value, onTime.group!.after.value, onTime.rest!.before.value, onTime.rest!.after.value]).toEqual([1 / 3, 1, 0.5, 0.5]);
    expect(onTime.did).toBeCloseTo(2 / 3, 12);
    const grid = m(card.measures, 'solvedInGridShare');
    expect([grid.group!.before.value, grid.group!.after.value, grid.rest!.before.value, grid.rest!.after.value]).toEqual([0.5, 1, 1, 0.5]);
    expect(grid.did).toBeCloseTo(1, 12);
    const sat = m(card.measures, 'satisfactionRate');
    expect(sat.group!.before).toEqual({ numerator: 0, denominator: 0, value: null });
    expect(sat.did).toBeNull();
    // Stars and 双报到 have no history yet: 暂无数据, not zero.
    expect(m(card.measures, 'stars')).toMatchObject({ group: null, note: '暂无数据' });
    expect(m(card.measures, 'dualReport')).toMatchObject({ group: null, note: '暂无数据' });
    expect(card.caveats.join('')).toContain('选择偏差');
    expect(card.communities.map((c) => c.code)).toEqual([group]);
    expect(card.restCommunities).toBeGreaterThan(1);
  });

  it('cuts the after-window at today and keeps both windows equal', async () => {
    const card = await scorecard(db(), [group], D, 120, new Date('2031-03-06T04:00:00Z'));
    expect(card.truncated).toBe(true);
    const len = (w: { from: string; to: string }) => Date.parse(w.to) - Date.parse(w.from);
    expect(len(card.before)).toBe(len(card.after));
    expect(card.after.to).toBe('2031-03-06T04:00:00.000Z');
  });

  it('answers over HTTP for a chosen set and refuses bad input with field and reason', async () => {
    const ok = await requestJson<{ measures: MeasureRow[] }>(db(), `/api/scorecards?communities=${group},${rest}&date=2025-01-01&days=30`);
    expect(ok.status).toBe(200);
    expect(ok.body.measures.length).toBeGreaterThan(4);
    const unknown = await requestJson<{ errors: { field: string }[] }>(db(), '/api/scorecards?communities=999999999999&date=2025-01-01');
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0]!.field).toBe('communities');
    const future = await requestJson<{ errors: { field: string }[] }>(db(), `/api/scorecards?communities=${group}&date=2099-01-01`);
    expect(future.status).toBe(422);
    expect(future.body.errors[0]!.field).toBe('date');
    const noDate = await requestJson<{ errors: { field: string; reason: string }[] }>(db(), `/api/scorecards?communities=${group}`);
    expect(noDate.status).toBe(422);
    expect(noDate.body.errors[0]).toEqual({ field: 'date', reason: expect.stringContaining('请填写认定日期') });
  });

  it('defaults to the 示范圈’s own 认定日期, a typed date overrides it, and none at all is a clear problem', async () => {
    type Card = { demo: { name: string; designatedOn: string | null }; dateSource: string; designatedOn: string; measures: MeasureRow[]; communities: { code: string }[] };
    const [sample] = await db().rows<{ id: number; d: string }>(sql`SELECT id, designated_on::text AS d FROM demo_circles WHERE designated_on IS NOT NULL ORDER BY id LIMIT 1`);
    expect(sample, 'the sample dates its circles').toBeDefined();
    const stored = await requestJson<Card>(db(), `/api/scorecards?demo=circle:${sample!.id}&days=60`);
    expect(stored.status).toBe(200);
    expect(stored.body.dateSource).toBe('designation');
    expect(stored.body.demo.designatedOn).toBe(sample!.d);
    expect(stored.body.designatedOn).toBe(new Date(`${sample!.d}T00:00:00+08:00`).toISOString());
    // Before/after data on the sample around its date.
    const count = m(stored.body.measures, 'count');
    expect(count.group!.before.numerator).toBeGreaterThan(0);
    expect(count.group!.after.numerator).toBeGreaterThan(0);
    // The same as asking with that date explicitly.
    const typed = await requestJson<Card>(db(), `/api/scorecards?demo=circle:${sample!.id}&days=60&date=${sample!.d}`);
    expect(typed.body.dateSource).toBe('query');
    expect(typed.body.measures).toEqual(stored.body.measures);
    const other = await requestJson<Card>(db(), `/api/scorecards?demo=circle:${sample!.id}&days=60&date=2026-01-05`);
    expect(other.body.designatedOn).toBe('2026-01-04T16:00:00.000Z');

    // A circle without a date: 422 on field date, naming it, in Chinese.
    await db().db.execute(
      sql`INSERT INTO demo_circles (name, geom, member_community_codes) SELECT '未登记日期示范圈', ST_Multi(ST_Buffer(label_point::geography, 300)::geometry), ${JSON.stringify([group])}::jsonb FROM regions WHERE code = ${group}`,
    );
    const [undated] = await db().rows<{ id: number }>(sql`SELECT id FROM demo_circles WHERE name = '未登记日期示范圈'`);
    const refused = await requestJson<{ errors: { field: string; reason: string }[] }>(db(), `/api/scorecards?demo=circle:${undated!.id}`);
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0]!.field).toBe('date');
    expect(refused.body.errors[0]!.reason).toContain('未登记日期示范圈 尚未登记认定日期');
    expect((await requestJson(db(), `/api/scorecards?demo=circle:${undated!.id}&date=2026-06-01`)).status).toBe(200);
  });
});
