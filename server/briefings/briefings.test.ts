import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { regionKpis } from '../incidents/kpis';
import { cstMonth } from '../screen/months';
import { describeEachEngine } from '../testing/databases';
import { MINGSHAN_PLANNER, TEST_ADMIN } from '../testing/principals';
import { postJsonAs, requestAs } from '../testing/requestAs';
import { claimBriefing, monthOf, runBriefingSchedule } from './briefingJobs';
import { formatKpi } from './briefingHtml';

const dir = mkdtempSync(join(tmpdir(), 'briefing-'));
const pdfText = (pdf: Uint8Array, name: string) => {
  const file = join(dir, name);
  writeFileSync(file, pdf);
  return { text: execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8'), fonts: execFileSync('pdffonts', [file]).toString('utf8') };
};

describeEachEngine('月报 briefings', (db, engine) => {
  const street = MINGSHAN_PLANNER.jurisdictionCode!;
  let streetName = '';
  let monthKey = '';

  beforeAll(async () => {
    const [r] = await db().rows<{ name: string }>(sql`SELECT name FROM regions WHERE code = ${street}`);
    streetName = r!.name;
    // The sample's latest month with incidents, as a complete past month.
    const [busy] = await db().rows<{ at: Date | string }>(sql`SELECT max(reported_at) AS at FROM incidents WHERE reported_at < now()`);
    const m = cstMonth(new Date(busy!.at));
    monthKey = m.key >= cstMonth(new Date()).key ? cstMonth(new Date(), -1).key : m.key;
  });

  it('prints a street’s month to PDF with embedded CJK fonts, the region, the month and its KPI values', async () => {
    const res = await postJsonAs(db(), TEST_ADMIN, '/api/briefings', { region: street, month: monthKey });
    expect(res.status).toBe(202);
    const row = (await res.json()) as { id: number; status: string };
    expect(row.status).toBe('generating');
    // Poll the row until the background render ends (condition, not a fixed sleep).
    let status = 'generating';
    for (let i = 0; i < 240 && status === 'generating'; i++) {
      await new Promise((r) => setTimeout(r, 250));
      status = ((await (await requestAs(db(), TEST_ADMIN, `/api/briefings/${row.id}`)).json()) as { status: string; error: string | null }).status;
    }
    expect(status).toBe('ready');
    const pdfRes = await requestAs(db(), MINGSHAN_PLANNER, `/api/briefings/${row.id}/pdf`);
    expect(pdfRes.status).toBe(200);
    expect(pdfRes.headers.get('content-type')).toBe('application/pdf');
    const { text, fonts } = pdfText(new Uint8Array(await pdfRes.arrayBuffer()), `${engine}.pdf`);
    const [y, m] = monthKey.split('-');
    expect(text).toContain(streetName);
    expect(text).toContain(`${y}年${Number(m)}月`);
    const month = monthOf(monthKey);
    const k = await regionKpis(db(), street, month.start, month.end);
    expect(text).toContain('结案率');
    expect(text).toContain(formatKpi('rate', k.closeRate));
    expect(text).toMatch(new RegExp(`受理量（件）\\s+${k.count}\\s`));
    // Every font embedded (pdffonts' "emb" column). Chromium's Skia embeds the Noto CJK
    // (CFF, .ttc) glyphs as Type 3 fonts; the Chinese text above was extracted from them.
    const fontRows = fonts
      .split('\n')
      .slice(2)
      .filter((l) => l.trim() !== '');
    expect(fontRows.length).toBeGreaterThan(0);
    expect(fontRows.every((l) => /\s(Type 3|CID Type 0C|CID TrueType|TrueType|Type 1C)\s+\S+\s+yes\s/.test(l))).toBe(true);
    const list = (await (await requestAs(db(), MINGSHAN_PLANNER, `/api/briefings?region=${street}`)).json()) as { briefings: { month: string; status: string; bytes: number }[] };
    expect(list.briefings.find((b) => b.month === monthKey)).toMatchObject({ status: 'ready' });
    expect(list.briefings.find((b) => b.month === monthKey)!.bytes).toBeGreaterThan(10_000);
  });

  it('claims each (region, month) once: a second claim and a second schedule pass generate nothing', async () => {
    const month = cstMonth(new Date(), -4).key;
    const [a, b] = await Promise.all([claimBriefing(db(), street, month, 'p1'), claimBriefing(db(), street, month, 'p2')]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    // The claimed row is taken (generating): the schedule skips it; the others it renders once.
    const other = cstMonth(new Date(), -5).key;
    const now = new Date();
    const first = await runBriefingSchedule(db(), new Date(Date.parse(cstMonth(now, -3).start.toISOString())), 2, [street]);
    expect(first.generated.map((g) => g.month).sort()).toEqual([other]);
    const again = await runBriefingSchedule(db(), new Date(Date.parse(cstMonth(now, -3).start.toISOString())), 2, [street]);
    expect(again.generated).toHaveLength(0);
    const [{ n }] = (await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM briefings WHERE region_code = ${street} AND month IN (${month}, ${other})`)) as [{ n: number }];
    expect(n).toBe(2);
  });

  it('refuses the current month, communities, and an existing report without regenerate', async () => {
    const current = await postJsonAs(db(), TEST_ADMIN, '/api/briefings', { region: street, month: cstMonth(new Date()).key });
    expect(current.status).toBe(422);
    const dup = await postJsonAs(db(), TEST_ADMIN, '/api/briefings', { region: street, month: monthKey });
    expect(dup.status).toBe(409);
    expect(((await dup.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('month');
    const asPlanner = await postJsonAs(db(), MINGSHAN_PLANNER, '/api/briefings', { region: street, month: monthKey });
    expect(asPlanner.status).toBe(403);
  });
});
