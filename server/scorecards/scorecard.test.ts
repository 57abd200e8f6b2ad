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
 *
 * 双报到 (no sample report comes near 2031), 报到日期 (China dates):
 *   members, group: 02-18 (before the before-window), 02-19 (its first day), 02-27, 02-28,
 *                   03-01 (the after-window's first day), 03-10, 03-11 (after it)
 *                   → before 3, after 2;  rest: 02-25 → before 1; 03-03, 03-04 → after 2
 *   units,   group: 02-25 → before 1; 03-02, 03-09 → after 2;  rest: 03-05 → after 1
 * Per 100 households (H = the side's grid households): group 300/H_g → 200/H_g, rest 100/H_r → 200/H_r.
 * Units per community: group 1/1 → 2/1, rest 0/N → 1/N (N = the rest's communities); DiD 1 − 1/N.
 *
 * 星级 (final 五好 ratings, the newest year 认定 before each window's end):
 *   group community 2030: 2★ final 02-20; 2031: 4★ final 03-05
 *   a group grid   2030: 5★ final 02-21; 2031: 1★ still 公示 (not counted); 2032: 1★ final 03-12 (after the window)
 *   → group before (2+5)/2 = 3.5, after (4+5)/2 = 4.5;
 *   rest community 2031: 1★ final 03-06, beside the sample's ratings of every other community
 *   (the rest's value is recomputed in the test from the rows, by the same rule).
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
    const day = (d: string) => `2031-${d}`;
    const unit = async (community: string, reported: string) => {
      const [u] = await db().rows<{ id: number }>(sql`INSERT INTO party_units (name, kind, community_code, member_count, reported_on) VALUES ('评估单位', '机关', ${community}, 10, ${day(reported)}::date) RETURNING id`);
      return Number(u!.id);
    };
    const gUnit = await unit(group, '02-25');
    await unit(group, '03-02');
    await unit(group, '03-09');
    const rUnit = await unit(rest, '03-05');
    for (const [u, community, d] of [...['02-18', '02-19', '02-27', '02-28', '03-01', '03-10', '03-11'].map((d) => [gUnit, group, d] as const), ...['02-25', '03-03', '03-04'].map((d) => [rUnit, rest, d] as const)]) {
      await db().db.execute(sql`INSERT INTO party_members (name, unit_id, community_code, reported_on) VALUES ('评估党员', ${u}, ${community}, ${day(d)}::date)`);
    }
    for (const [org, year, status, stars, finalOn] of [
      [group, 2030, 'final', 2, '02-20'],
      [group, 2031, 'final', 4, '03-05'],
      [grids[0]!.code, 2030, 'final', 5, '02-21'],
      [grids[0]!.code, 2031, 'public', 1, null],
      [grids[0]!.code, 2032, 'final', 1, '03-12'],
      [rest, 2031, 'final', 1, '03-06'],
    ] as const) {
      const at = finalOn === null ? null : `2031-${finalOn}T12:00:00+08:00`;
      await db().db.execute(sql`
        INSERT INTO star_ratings (year, org_code, org_name, status, self_scores, stars, self_by, final_by, final_at)
        VALUES (${year}, ${org}, '评估党组织', ${status}, '{}'::jsonb, ${stars}, '评估', ${at === null ? null : '评估'}, ${at}::timestamptz)`);
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
    expect(card.caveats.join('')).toContain('选择偏差');
    expect(card.communities.map((c) => c.code)).toEqual([group]);
    expect(card.restCommunities).toBeGreaterThan(1);
  });

  it('computes 双报到 and 星级 before/after from the dated records', async () => {
    const card = await scorecard(db(), [group], D, 10, NOW);
    const households = async (where: ReturnType<typeof sql>) => Number((await db().rows<{ hh: number }>(sql`SELECT sum(households)::int AS hh FROM grids g WHERE ${where}`))[0]!.hh);
    const hg = await households(sql`g.community_code = ${group}`);
    const hr = await households(sql`g.district_code LIKE ${`${group.slice(0, 4)}%`} AND g.community_code <> ${group}`);
    expect(hg).toBeGreaterThan(0);
    const members = m(card.measures, 'dualReport');
    expect(members.format).toBe('per100');
    expect(members.group).toEqual({ before: { numerator: 3, denominator: hg, value: 3 / hg }, after: { numerator: 2, denominator: hg, value: 2 / hg } });
    expect(members.rest).toEqual({ before: { numerator: 1, denominator: hr, value: 1 / hr }, after: { numerator: 2, denominator: hr, value: 2 / hr } });
    expect(members.did).toBeCloseTo(-1 / hg - 1 / hr, 15);

    const n = card.restCommunities;
    const units = m(card.measures, 'dualReportUnits');
    expect(units.group).toEqual({ before: { numerator: 1, denominator: 1, value: 1 }, after: { numerator: 2, denominator: 1, value: 2 } });
    expect(units.rest).toEqual({ before: { numerator: 0, denominator: n, value: 0 }, after: { numerator: 1, denominator: n, value: 1 / n } });
    expect(units.did).toBeCloseTo(1 - 1 / n, 12);

    const stars = m(card.measures, 'stars');
    expect(stars.format).toBe('mean');
    expect(stars.group).toEqual({ before: { numerator: 7, denominator: 2, value: 3.5 }, after: { numerator: 9, denominator: 2, value: 4.5 } });
    // The rest by the same rule in JS: per organisation the newest year finalised before the instant.
    const ratings = await db().rows<{ org: string; year: number; stars: number; at: string }>(
      sql`SELECT org_code AS org, year, stars, final_at AS at FROM star_ratings WHERE status = 'final' AND stars IS NOT NULL AND left(org_code, 4) = ${group.slice(0, 4)} AND left(org_code, 12) <> ${group}`,
    );
    const inForce = (t: string) => {
      const newest = new Map<string, { year: number; stars: number }>();
      for (const r of ratings) {
        if (new Date(r.at).getTime() >= Date.parse(t)) continue;
        const seen = newest.get(r.org);
        if (!seen || Number(r.year) > seen.year) newest.set(r.org, { year: Number(r.year), stars: Number(r.stars) });
      }
      const sum = [...newest.values()].reduce((a, r) => a + r.stars, 0);
      return { numerator: sum, denominator: newest.size, value: sum / newest.size };
    };
    const restBefore = inForce(card.before.to);
    const restAfter = inForce(card.after.to);
    expect(restBefore.denominator).toBeGreaterThan(10);
    // Only the rest community's 2031 rating (1★) changed between the two instants.
    expect(restAfter.denominator).toBe(restBefore.denominator);
    expect(stars.rest).toEqual({ before: restBefore, after: restAfter });
    expect(stars.did).toBeCloseTo(1 - (restAfter.value - restBefore.value), 12);
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
    // 双报到 and 星级 from the sample's dated reports and ratings: every window has its denominator and some reports.
    const members = m(stored.body.measures, 'dualReport');
    expect(members.group!.before.denominator).toBeGreaterThan(0);
    expect(members.group!.before.numerator + members.group!.after.numerator).toBeGreaterThan(0);
    const stars = m(stored.body.measures, 'stars');
    expect(stars.group!.before.denominator).toBeGreaterThan(0);
    expect(stars.rest!.after.value).toBeGreaterThanOrEqual(1);
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
