import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { beforeAll, expect, it } from 'vitest';
import type { SessionUser } from '../../kernel/roles';
import type { DbHandle } from '../../db/client';
import { regionKpis, type KpiResult } from '../incidents/kpis';
import { cstMonth } from '../screen/months';
import { incidentTrend, screenSummary, type ScreenSummary } from '../screen/summary';
import { describeEachEngine } from '../testing/databases';
import { dualReportFigures } from '../partyService/dualReport';
import { RECORD_MEASURES, scorecard } from '../scorecards/scorecard';
import { MINGSHAN_PLANNER, TEST_ADMIN } from '../testing/principals';
import { requestAs } from '../testing/requestAs';
import { resolveFigureParams } from './figureParams';
import { figureRecords, figureValue, type FigureValue } from './figureQuery';
import { FIGURES, type FigureParams } from './registry';

const ANALYST: SessionUser = { ...TEST_ADMIN, username: 'test-analyst', role: 'analyst' };

/** The number the screen summary or regionKpis shows for a figure (what the registry must agree with). */
function shown(id: string, s: ScreenSummary, k: KpiResult, trendClosed: number): number | null {
  const g = s.grid;
  const table: Record<string, number | null> = {
    'screen.grids': g.grids,
    'screen.gridsWithPartyOrg': g.gridsWithPartyOrg,
    'screen.partyOrgRate': g.partyOrgRate,
    'screen.partyMembers': g.partyMembers,
    'screen.dualReportMembers': g.dualReportMembers,
    'screen.households': g.households,
    'screen.population': g.population,
    'screen.coverage': s.coverage.share,
    'screen.trendClosed': trendClosed,
    'kpi.count': k.count,
    'kpi.due': k.due,
    'kpi.suspended': k.suspended,
    'kpi.closed': k.closed,
    'kpi.closedOnTime': k.closedOnTime,
    'kpi.overdueOpen': k.overdueOpen,
    'kpi.closeRate': k.closeRate,
    'kpi.onTimeRate': k.onTimeRate,
    'kpi.reworkRate': k.reworkRate,
    'kpi.extensionRate': k.extensionRate,
    'kpi.solvedInGridShare': k.solvedInGridShare,
    'kpi.solvedInCommunityShare': k.solvedInCommunityShare,
    'kpi.satisfactionRate': k.satisfactionRate,
  };
  for (let star = 0; star <= 5; star++) table[`screen.stars.${star}`] = g.stars[star]!;
  for (const [level, n] of Object.entries(s.centres)) table[`screen.centres.${level}`] = n;
  // The big screen's other figures (web/src/features/screen/Panels.tsx), each now openable.
  table['screen.centres.total'] = Object.values(s.centres).reduce((a, n) => a + n, 0);
  table['screen.stars.rated'] = g.stars.slice(1).reduce((a, n) => a + n, 0);
  table['screen.stars.fourPlus'] = g.stars[4]! + g.stars[5]!;
  // 平均星级 as 下级平均星级 computes it: over rated grids only.
  const rated = g.stars.slice(1).reduce((a, n) => a + n, 0);
  table['screen.stars.average'] = rated === 0 ? null : g.stars.reduce((a, n, star) => a + n * star, 0) / rated;
  table['screen.dualReport.units'] = s.party.dualReport.units;
  table['screen.dualReport.membersReported'] = s.party.dualReport.membersReported;
  table['screen.dualReport.reportRate'] = s.party.dualReport.reportRate;
  table['screen.dualReport.servicesDone'] = s.party.dualReport.servicesDone;
  for (const k of ['posted', 'claimed', 'completed', 'confirmed'] as const) table[`screen.wishes.${k}`] = s.party.wishes[k];
  table['screen.patrols.today'] = s.patrols.today;
  table['screen.patrols.activeNow'] = s.patrols.activeNow;
  table['screen.patrols.weekHours'] = s.patrols.weekHours;
  if (!(id in table)) throw new Error(`no reference value for ${id}`);
  return table[id]!;
}

/** A region's codes as a LIKE prefix: a city's counties share its first four digits. */
const prefixOf = (scope: string) => `${scope.length === 6 ? scope.slice(0, 4) : scope}%`;
/** A China date (YYYY-MM-DD) of an instant. */
const chinaDate = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * The 示范评估's record measures (scorecard.*) computed here from the tables, as the scorecard
 * computed them before they became registry figures: reports dated in the period per households
 * or communities, and the latest year's final 五好 rating per organisation before the period's end.
 */
async function recordReference(db: DbHandle, id: string, p: FigureParams): Promise<number | null> {
  const like = prefixOf(p.scope);
  const [from, to] = [chinaDate(p.from), chinaDate(p.to)];
  if (id === 'scorecard.dualReport') {
    const [r] = await db.rows<{ n: number; hh: number }>(sql`SELECT
      (SELECT count(*) FROM party_members WHERE community_code LIKE ${like} AND reported_on >= ${from}::date AND reported_on < ${to}::date)::int AS n,
      (SELECT coalesce(sum(households), 0) FROM grids WHERE community_code LIKE ${like})::float8 AS hh`);
    return Number(r!.hh) > 0 ? (Number(r!.n) * 100) / Number(r!.hh) : null;
  }
  if (id === 'scorecard.dualReportUnits') {
    const [r] = await db.rows<{ n: number; c: number }>(sql`SELECT
      (SELECT count(*) FROM party_units WHERE community_code LIKE ${like} AND reported_on >= ${from}::date AND reported_on < ${to}::date)::int AS n,
      (SELECT count(*) FROM regions WHERE level = 'community' AND code LIKE ${like})::int AS c`);
    return Number(r!.c) > 0 ? Number(r!.n) / Number(r!.c) : null;
  }
  if (id === 'scorecard.stars') {
    const [r] = await db.rows<{ stars: number; orgs: number }>(sql`SELECT coalesce(sum(x.stars), 0)::int AS stars, count(*)::int AS orgs FROM (
      SELECT DISTINCT ON (org_code) stars FROM star_ratings
      WHERE status = 'final' AND stars IS NOT NULL AND final_at < ${p.to.toISOString()}::timestamptz AND left(org_code, 12) LIKE ${like}
      ORDER BY org_code, year DESC) x`);
    return Number(r!.orgs) > 0 ? Number(r!.stars) / Number(r!.orgs) : null;
  }
  throw new Error(`no reference value for ${id}`);
}

/** CSV rows (after the header) of a figure's export, split into cells; our cells hold no commas except quoted JSON-free text. */
function parseCsv(text: string): string[][] {
  const lines = text
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n');
  return lines.map((l) => l.split(','));
}

describeEachEngine('figure drill-down', (db) => {
  let now: Date;
  let month: { key: string; start: Date; end: Date };
  const scopes: string[] = [];

  beforeAll(async () => {
    // The busiest month of the sample, so every incident figure has records.
    const [busy] = await db().rows<{ at: Date | string }>(sql`SELECT max(reported_at) AS at FROM incidents`);
    now = new Date();
    month = cstMonth(new Date(busy!.at), 0);
    const [city] = await db().rows<{ code: string }>(sql`SELECT code FROM regions WHERE parent_code IS NULL`);
    scopes.push(city!.code, MINGSHAN_PLANNER.jurisdictionCode!);
  });

  it('every registered figure: value = the screen/KPI figure = records total = exported rows', async () => {
    for (const scope of scopes) {
      const p: FigureParams = { scope, from: month.start, to: month.end, now };
      const summary = (await screenSummary(db(), scope, now))!;
      const kpis = await regionKpis(db(), scope, month.start, month.end, now);
      const [tc] = await db().rows<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM incidents i WHERE ${sql.raw('true')} AND i.reported_at >= ${month.start.toISOString()}::timestamptz AND i.reported_at < ${month.end.toISOString()}::timestamptz AND i.closed_at <= ${now.toISOString()}::timestamptz AND (i.street_code LIKE ${`${scope.length === 6 ? scope.slice(0, 4) : scope}%`})`,
      );
      const withRecords: string[] = [];
      for (const f of FIGURES) {
        const v: FigureValue = await figureValue(db(), f.id, p);
        const reference = f.id.startsWith('scorecard.') ? await recordReference(db(), f.id, p) : shown(f.id, summary, kpis, tc!.n);
        if (reference === null) expect(v.value, f.id).toBeNull();
        // 本周巡查时长 is shown to 0.1 hour; the registry keeps the exact sum.
        else if (f.id === 'screen.patrols.weekHours') expect(Math.abs(v.value! - reference), f.id).toBeLessThanOrEqual(0.05 + 1e-9);
        else expect(v.value, f.id).toBeCloseTo(reference, 9);
        // The period in 北京时间 days, as the panel shows it (the month starts at 00:00 in China).
        if (f.periodic) expect(v.filter.text, f.id).toContain(`统计期 ${chinaDate(p.from)} 至 ${chinaDate(p.to)}（北京时间，不含）`);
        const q = `scope=${scope}&from=${p.from.toISOString()}&to=${p.to.toISOString()}`;
        const res = await requestAs(db(), ANALYST, `/api/figures/${f.id}/export?${q}&format=csv`);
        expect(res.status, f.id).toBe(200);
        const [header, ...rows] = parseCsv(await res.text());
        expect(rows.length, f.id).toBe(v.records);
        expect(res.headers.get('x-record-count')).toBe(String(v.records));
        const col = (label: string) => header!.indexOf(label);
        if (f.kind === 'count') expect(rows.length, f.id).toBe(v.value);
        if (f.kind === 'sum')
          expect(
            rows.reduce((a, r) => a + Number(r[col(f.measure!.label)]), 0),
            f.id,
          ).toBeCloseTo(v.value!, 6);
        if (f.kind === 'ratio') {
          const counted = rows.filter((r) => r[col('计入分子')] === 'true');
          const sumOf = (rs: string[][], label: string | undefined) => (label ? rs.reduce((a, r) => a + Number(r[col(label)]), 0) : rs.length);
          expect(sumOf(counted, (f.numeratorMeasure ?? f.measure)?.label), f.id).toBe(v.numerator);
          expect(sumOf(rows, f.measure?.label), f.id).toBe(v.denominator);
        }
        // A per-figure's records are its numerator's (the members, the units); the divisor is another table's.
        if (f.kind === 'per') expect([v.numerator, rows.length], f.id).toEqual([v.records, v.records]);
        // The paged list adds up to the same total.
        const page1 = await figureRecords(db(), f.id, p, ANALYST, 1, 200);
        expect(page1.total).toBe(v.records);
        expect(page1.rows.length).toBe(Math.min(200, v.records));
        if (v.records > 0) withRecords.push(f.id);
      }
      // Not vacuous: most figures have records on the sample.
      expect(withRecords.length).toBeGreaterThan(FIGURES.length / 2);
    }
  });

  it('pages without gaps or repeats, and the xlsx holds the same rows', async () => {
    const p: FigureParams = { scope: scopes[0]!, from: month.start, to: month.end, now };
    const v = await figureValue(db(), 'kpi.count', p);
    expect(v.records).toBeGreaterThan(10);
    const ids = new Set<number>();
    for (let page = 1; page <= Math.ceil(v.records / 7); page++) {
      for (const r of (await figureRecords(db(), 'kpi.count', p, ANALYST, page, 7)).rows) ids.add(Number(r.id));
    }
    expect(ids.size).toBe(v.records);
    const res = await requestAs(db(), ANALYST, `/api/figures/kpi.count/export?scope=${p.scope}&from=${p.from.toISOString()}&to=${p.to.toISOString()}&format=xlsx`);
    expect(res.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    expect(book.worksheets[0]!.rowCount - 1).toBe(v.records);
  });

  it('masks people for readers outside the rule and keeps records to the reader’s jurisdiction', async () => {
    const street = MINGSHAN_PLANNER.jurisdictionCode!;
    const p: FigureParams = { scope: street, from: month.start, to: month.end, now };
    const asAnalyst = await figureRecords(db(), 'screen.grids', p, ANALYST, 1, 200);
    expect(asAnalyst.rows.every((r) => r.party_secretary === null && r.party_secretary_phone === null)).toBe(true);
    const asPlanner = await figureRecords(db(), 'screen.grids', p, MINGSHAN_PLANNER, 1, 200);
    const phones = asPlanner.rows.map((r) => r.party_secretary_phone).filter((x): x is string => typeof x === 'string' && x !== '');
    expect(phones.length).toBeGreaterThan(0);
    expect(phones.every((ph) => ph.includes('*'))).toBe(true);
    const [other] = await db().rows<{ code: string }>(sql`SELECT code FROM regions WHERE level = 'street' AND code <> ${street} ORDER BY code LIMIT 1`);
    const refused = await requestAs(db(), MINGSHAN_PLANNER, `/api/figures/screen.grids/records?scope=${other!.code}`);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('scope');
    const unknown = await requestAs(db(), ANALYST, '/api/figures/nope.x');
    expect(unknown.status).toBe(404);
  });

  /** GET a figure as JSON through the route (the server's clock, as the screen). */
  const figureJson = async (path: string) => {
    const res = await requestAs(db(), ANALYST, path);
    expect(res.status, path).toBe(200);
    return (await res.json()) as FigureValue;
  };
  const exportCsv = async (path: string) => {
    const res = await requestAs(db(), ANALYST, path);
    expect(res.status, path).toBe(200);
    const [header, ...rows] = parseCsv(await res.text());
    expect(res.headers.get('x-record-count'), path).toBe(String(rows.length));
    return { header: header!, rows };
  };

  it('every trend month opens at that month: value = records = exported rows = the chart’s point', async () => {
    const [community] = await db().rows<{ code: string }>(sql`SELECT community_code AS code FROM grids WHERE street_code = ${scopes[1]!} ORDER BY 1 LIMIT 1`);
    for (const scope of [...scopes, community!.code]) {
      const trend = (await screenSummary(db(), scope, new Date()))!.trend;
      expect(trend.length).toBe(12);
      for (const t of trend) {
        for (const [figure, shownValue] of [
          ['kpi.count', t.reported],
          ['screen.trendClosed', t.closed],
        ] as const) {
          const q = `scope=${scope}&month=${t.month}`;
          const v = await figureJson(`/api/figures/${figure}?${q}`);
          expect(v.value, `${figure} ${scope} ${t.month}`).toBe(shownValue);
          expect(v.records).toBe(shownValue);
          expect(v.filter.month).toBe(t.month);
          expect(v.filter.text).toContain(`月份 ${t.month}`);
          expect((await exportCsv(`/api/figures/${figure}/export?${q}&format=csv`)).rows.length, `${figure} ${scope} ${t.month} export`).toBe(shownValue);
        }
      }
    }
    // Not vacuous whatever today's date: on the sample's own clock (its last report) every month of its trend agrees too, and has records.
    for (const scope of scopes) {
      const clock = new Date(month.end.getTime() - 1);
      const atClock = await incidentTrend(db(), scope, clock);
      for (const t of atClock) {
        const reported = await figureValue(db(), 'kpi.count', await resolveFigureParams(db(), 'kpi.count', { scope, month: t.month }, clock));
        const closedBy = await figureValue(db(), 'screen.trendClosed', await resolveFigureParams(db(), 'screen.trendClosed', { scope, month: t.month }, clock));
        expect([reported.value, closedBy.value], `${scope} ${t.month}`).toEqual([t.reported, t.closed]);
      }
      expect(atClock.filter((t) => t.reported > 0).length, scope).toBeGreaterThanOrEqual(10);
      expect(
        atClock.some((t) => t.closed > 0 && t.closed < t.reported),
        scope,
      ).toBe(true);
    }
  });

  it('every child bar opens at that child: 党员数 and 网格数 = the bar, exported rows add up to it', async () => {
    const [community] = await db().rows<{ code: string }>(sql`SELECT community_code AS code FROM grids WHERE street_code = ${scopes[1]!} ORDER BY 1 LIMIT 1`);
    let bars = 0;
    for (const scope of [...scopes, community!.code]) {
      const children = (await screenSummary(db(), scope, new Date()))!.children;
      expect(children.length, scope).toBeGreaterThan(0);
      for (const c of children) {
        const q = `scope=${scope}&region=${c.code}`;
        const members = await figureJson(`/api/figures/screen.partyMembers?${q}`);
        expect(members.value, `${scope} → ${c.code}`).toBe(c.partyMembers);
        expect([members.filter.scope, members.filter.region, members.filter.within]).toEqual([c.code, c.code, scope]);
        expect(members.filter.text).toContain('的下级区域');
        expect((await figureJson(`/api/figures/screen.grids?${q}`)).value).toBe(c.grids);
        const { header, rows } = await exportCsv(`/api/figures/screen.partyMembers/export?${q}&format=csv`);
        expect(rows.length).toBe(c.grids);
        expect(rows.reduce((a, r) => a + Number(r[header.indexOf('党员数')]), 0)).toBe(c.partyMembers);
        bars++;
      }
      // The bars together are the parent's figure: no grid lost or counted twice.
      expect(children.reduce((a, c) => a + c.partyMembers, 0)).toBe((await figureJson(`/api/figures/screen.partyMembers?scope=${scope}`)).value);
    }
    expect(bars).toBeGreaterThan(5);
  });

  it('refuses a month or region that does not belong: 400 malformed, 422 outside the series or scope, 403 outside the jurisdiction', async () => {
    const [city, street] = scopes as [string, string];
    const field = async (res: Response) => ((await res.json()) as { errors: { field: string; reason: string }[] }).errors[0]!;
    const expectProblem = async (user: SessionUser, path: string, status: number, name: string) => {
      const res = await requestAs(db(), user, path);
      expect(res.status, path).toBe(status);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const e = await field(res);
      expect(e.field, path).toBe(name);
      expect(e.reason, path).toMatch(/[\u4e00-\u9fff]/);
    };
    const series = await figureJson(`/api/figures/kpi.count?scope=${city}&month=${cstMonth(new Date()).key}`);
    expect(series.filter.month).toBe(cstMonth(new Date()).key);
    for (const bad of ['2026-5', '2026-13', 'abcd-ef', '2026-05-01']) await expectProblem(ANALYST, `/api/figures/kpi.count?scope=${city}&month=${bad}`, 400, 'month');
    await expectProblem(ANALYST, `/api/figures/kpi.count?scope=${city}&month=${cstMonth(new Date(), 1).key}`, 422, 'month');
    await expectProblem(ANALYST, `/api/figures/kpi.count/export?scope=${city}&month=${cstMonth(new Date(), -12).key}`, 422, 'month');
    await expectProblem(ANALYST, `/api/figures/screen.grids?scope=${city}&month=${cstMonth(new Date()).key}`, 422, 'month');
    await expectProblem(ANALYST, `/api/figures/kpi.count?scope=${city}&month=${cstMonth(new Date()).key}&from=${month.start.toISOString()}`, 400, 'month');
    const [otherStreet] = await db().rows<{ code: string }>(sql`SELECT code FROM regions WHERE level = 'street' AND code <> ${street} ORDER BY code LIMIT 1`);
    await expectProblem(ANALYST, `/api/figures/screen.partyMembers?scope=${street}&region=${otherStreet!.code}`, 422, 'region');
    await expectProblem(ANALYST, `/api/figures/screen.partyMembers/records?scope=${street}&region=${street}`, 422, 'region');
    await expectProblem(ANALYST, `/api/figures/screen.partyMembers?scope=${street}&region=${street}999`, 422, 'region');
    await expectProblem(ANALYST, `/api/figures/screen.partyMembers?scope=${city}&region=12345`, 400, 'region');
    // A planner reads records of their own street from the city screen's bar, not of another street's.
    const own = await requestAs(db(), MINGSHAN_PLANNER, `/api/figures/screen.grids/records?scope=${city}&region=${street}`);
    expect(own.status).toBe(200);
    expect(((await own.json()) as { total: number }).total).toBe((await figureJson(`/api/figures/screen.grids?scope=${street}`)).value);
    const [foreign] = await db().rows<{ code: string }>(
      sql`SELECT code FROM regions WHERE level = 'street' AND parent_code = (SELECT parent_code FROM regions WHERE code = ${street}) AND code <> ${street} ORDER BY code LIMIT 1`,
    );
    await expectProblem(MINGSHAN_PLANNER, `/api/figures/screen.grids/export?scope=${city}&region=${foreign!.code}`, 403, 'region');
  });

  it('every 下级平均星级 row opens 平均星级 of that child: value = the row, exported 星级 ÷ rows = it', async () => {
    const [community] = await db().rows<{ code: string }>(sql`SELECT community_code AS code FROM grids WHERE street_code = ${scopes[1]!} ORDER BY 1 LIMIT 1`);
    let rows = 0;
    for (const scope of [...scopes, community!.code]) {
      for (const c of (await screenSummary(db(), scope, new Date()))!.children) {
        const q = `scope=${scope}&region=${c.code}`;
        const v = await figureJson(`/api/figures/screen.stars.average?${q}`);
        if (c.averageStars === null) {
          expect(v.value, c.code).toBeNull();
          continue;
        }
        expect(v.value, `${scope} → ${c.code}`).toBeCloseTo(c.averageStars, 9);
        expect([v.mean, v.filter.region]).toEqual(['星', c.code]);
        const { header, rows: exported } = await exportCsv(`/api/figures/screen.stars.average/export?${q}&format=csv`);
        expect(exported.length).toBe(v.records);
        expect(v.records).toBe(v.denominator);
        expect(exported.reduce((a, r) => a + Number(r[header.indexOf('星级')]), 0) / exported.length).toBeCloseTo(c.averageStars, 9);
        rows++;
      }
    }
    expect(rows).toBeGreaterThan(5);
  });

  it('every 示范评估 cell opens its figure for its side and window: value, numerator, denominator = the cell; records = exported rows', async () => {
    const communities = (await db().rows<{ code: string }>(sql`SELECT code FROM regions WHERE level = 'community' AND parent_code = ${scopes[1]!} ORDER BY code LIMIT 3`)).map((r) => r.code);
    expect(communities.length).toBeGreaterThan(0);
    // Designated at the busiest month's start, 60-day windows: both sides have incidents before and after.
    const card = await scorecard(db(), communities, month.start, 60, now);
    let cells = 0;
    let nonEmpty = 0;
    for (const m of card.measures) {
      // Every measure is a registry figure, the party-service ones (双报到, 星级) too.
      expect(m.figure, m.id).toBeTruthy();
      for (const [cohort, side] of [
        ['group', m.group],
        ['rest', m.rest],
      ] as const) {
        for (const [when, window] of [
          ['before', card.before],
          ['after', card.after],
        ] as const) {
          const cell = side![when];
          const q = `communities=${communities.join(',')}&cohort=${cohort}&from=${window.from}&to=${window.to}`;
          const v = await figureJson(`/api/figures/${m.figure}?${q}`);
          const at = `${m.id} ${cohort} ${when}`;
          expect(v.filter.cohort, at).toBe(cohort);
          expect(v.filter.communities, at).toEqual(communities);
          expect(v.filter.text, at).toContain(cohort === 'group' ? '中的示范社区' : '外的其余社区');
          if (v.kind === 'ratio' || v.kind === 'per') {
            expect([v.numerator, v.denominator], at).toEqual([cell.numerator, cell.denominator]);
            // A per-figure is numerator × scale ÷ denominator (人/百户); the cell keeps the plain share and the page scales it.
            const scale = v.per?.scale ?? 1;
            if (cell.value === null) expect(v.value, at).toBeNull();
            else expect(v.value, at).toBeCloseTo(cell.value * scale, 12);
            if (v.kind === 'per') expect(v.records, at).toBe(cell.numerator);
          } else {
            expect(v.value, at).toBe(cell.numerator);
            expect(v.records, at).toBe(cell.numerator);
          }
          const exported = await exportCsv(`/api/figures/${m.figure}/export?${q}&format=csv`);
          expect(exported.rows.length, at).toBe(v.records);
          const page1 = (await (await requestAs(db(), ANALYST, `/api/figures/${m.figure}/records?${q}&pageSize=200`)).json()) as { total: number };
          expect(page1.total, at).toBe(v.records);
          cells++;
          if (v.records > 0) nonEmpty++;
        }
      }
    }
    expect(cells).toBe(card.measures.length * 4);
    expect(card.measures.map((m) => m.id)).toEqual(expect.arrayContaining(RECORD_MEASURES.map((r) => r.id)));
    expect(nonEmpty).toBeGreaterThan(cells / 2);
  });

  it('refuses a cohort that does not belong: 400 malformed or with a scope, 422 unknown communities or a figure not over grids or incidents, 403 outside the jurisdiction', async () => {
    const [community] = await db().rows<{ code: string }>(sql`SELECT code FROM regions WHERE level = 'community' AND parent_code = ${scopes[1]!} ORDER BY code LIMIT 1`);
    const [foreign] = await db().rows<{ code: string }>(sql`SELECT code FROM regions WHERE level = 'community' AND parent_code <> ${scopes[1]!} ORDER BY code LIMIT 1`);
    const problem = async (user: SessionUser, path: string, status: number, name: string) => {
      const res = await requestAs(db(), user, path);
      expect(res.status, path).toBe(status);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(((await res.json()) as { errors: { field: string }[] }).errors[0]!.field, path).toBe(name);
    };
    const c = community!.code;
    await problem(ANALYST, `/api/figures/kpi.count?communities=${c}`, 400, 'cohort');
    await problem(ANALYST, `/api/figures/kpi.count?communities=12345&cohort=group`, 400, 'communities');
    await problem(ANALYST, `/api/figures/kpi.count?communities=${c}&cohort=both`, 400, 'cohort');
    await problem(ANALYST, `/api/figures/kpi.count?communities=${c}&cohort=group&scope=${scopes[1]!}`, 400, 'communities');
    await problem(ANALYST, `/api/figures/kpi.count?communities=${c.slice(0, 9)}999&cohort=group`, 422, 'communities');
    await problem(ANALYST, `/api/figures/screen.centres.total?communities=${c}&cohort=group`, 422, 'communities');
    // A planner reads the records of 示范社区 in their street, not of another street's, nor the rest of the city.
    expect((await requestAs(db(), MINGSHAN_PLANNER, `/api/figures/kpi.count/records?communities=${c}&cohort=group`)).status).toBe(200);
    await problem(MINGSHAN_PLANNER, `/api/figures/kpi.count/records?communities=${c},${foreign!.code}&cohort=group`, 403, 'communities');
    await problem(MINGSHAN_PLANNER, `/api/figures/kpi.count/export?communities=${c}&cohort=rest`, 403, 'communities');
  });

  it('the 双报到 page’s figures of a region and of each child open as 报到单位/报到党员/报到率/服务完成: value = the page, records = exported rows', async () => {
    const [district] = await db().rows<{ code: string }>(sql`SELECT parent_code AS code FROM regions WHERE code = ${scopes[1]!}`);
    let opened = 0;
    for (const scope of [scopes[0]!, district!.code, scopes[1]!]) {
      const page = await dualReportFigures(db(), scope);
      for (const [q, f] of [[`scope=${scope}`, page.figures] as const, ...page.children.map((c) => [`scope=${scope}&region=${c.code}`, c] as const)]) {
        const units = await figureJson(`/api/figures/screen.dualReport.units?${q}`);
        const members = await figureJson(`/api/figures/screen.dualReport.membersReported?${q}`);
        const rate = await figureJson(`/api/figures/screen.dualReport.reportRate?${q}`);
        const services = await figureJson(`/api/figures/screen.dualReport.servicesDone?${q}`);
        expect([units.value, members.value, rate.numerator, rate.denominator, services.value], q).toEqual([f.units, f.membersReported, f.unitMembersReported, f.unitMembers, f.servicesDone]);
        // 服务完成 spans two tables: its export lists both kinds, as many as the page counts.
        const done = await exportCsv(`/api/figures/screen.dualReport.servicesDone/export?${q}&format=csv`);
        expect(done.rows.length, q).toBe(f.servicesDone);
        expect(done.rows.length, q).toBe(f.wishesConfirmed + f.projectsDone);
        if (f.reportRate === null) expect(rate.value, q).toBeNull();
        else expect(rate.value, q).toBeCloseTo(f.reportRate, 12);
        expect((await exportCsv(`/api/figures/screen.dualReport.membersReported/export?${q}&format=csv`)).rows.length, q).toBe(f.membersReported);
        expect((await exportCsv(`/api/figures/screen.dualReport.units/export?${q}&format=csv`)).rows.length, q).toBe(f.units);
        if (f.units > 0) opened++;
      }
    }
    expect(opened).toBeGreaterThan(3);
  });
});
