import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { beforeAll, expect, it } from 'vitest';
import type { SessionUser } from '../../kernel/roles';
import { regionKpis, type KpiResult } from '../incidents/kpis';
import { cstMonth } from '../screen/months';
import { screenSummary, type ScreenSummary } from '../screen/summary';
import { describeEachEngine } from '../testing/databases';
import { MINGSHAN_PLANNER, TEST_ADMIN } from '../testing/principals';
import { requestAs } from '../testing/requestAs';
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
  table['screen.dualReport.units'] = s.party.dualReport.units;
  table['screen.dualReport.membersReported'] = s.party.dualReport.membersReported;
  table['screen.dualReport.reportRate'] = s.party.dualReport.reportRate;
  for (const k of ['posted', 'claimed', 'completed', 'confirmed'] as const) table[`screen.wishes.${k}`] = s.party.wishes[k];
  table['screen.patrols.today'] = s.patrols.today;
  table['screen.patrols.activeNow'] = s.patrols.activeNow;
  table['screen.patrols.weekHours'] = s.patrols.weekHours;
  if (!(id in table)) throw new Error(`no reference value for ${id}`);
  return table[id]!;
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
        const reference = shown(f.id, summary, kpis, tc!.n);
        if (reference === null) expect(v.value, f.id).toBeNull();
        // 本周巡查时长 is shown to 0.1 hour; the registry keeps the exact sum.
        else if (f.id === 'screen.patrols.weekHours') expect(Math.abs(v.value! - reference), f.id).toBeLessThanOrEqual(0.05 + 1e-9);
        else expect(v.value, f.id).toBeCloseTo(reference, 9);
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
});
