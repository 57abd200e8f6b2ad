/**
 * Why: a scorecard hinges on the 认定日期; choosing a 示范带/示范圈 must fill in its own
 * date (no typing), and the card must say the date came from the record.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedCopy, type TestDatabase } from '../../server/testing/databases';
import { LOAD_MS, launchBrowser, openPage, startServer, TEST_MS, WAIT_MS } from './browser';

describe('示范评估 page in Chromium', { timeout: TEST_MS }, () => {
  let db: TestDatabase;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;

  beforeAll(async () => {
    db = await openEmbeddedCopy();
    server = await startServer(db.handle);
    browser = await launchBrowser();
  }, LOAD_MS);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.dispose();
  });

  it('preselects the chosen 示范圈’s own 认定日期 and evaluates with it', async () => {
    const page = await openPage(browser, { viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${server.url}/scorecards`);
    const demos = (await (await page.request.get(`${server.url}/api/demonstrations`)).json()) as { circles: { id: number; name: string; designatedOn: string | null }[] };
    const circle = demos.circles.find((c) => c.designatedOn)!;
    expect(circle).toBeDefined();
    const select = page.getByTestId('scorecard-demo');
    await select.locator(`option[value="circle:${circle.id}"]`).waitFor({ state: 'attached', timeout: LOAD_MS });
    await select.selectOption(`circle:${circle.id}`);
    expect(await page.getByTestId('scorecard-date').inputValue()).toBe(circle.designatedOn);
    expect(await page.getByTestId('scorecard-date-hint').textContent()).toContain('已按登记的认定日期填写');
    await page.getByRole('button', { name: '评估' }).click();
    const card = page.getByTestId('scorecard');
    await card.waitFor({ timeout: WAIT_MS });
    expect(await card.textContent()).toContain(`认定日期 ${circle.designatedOn}，取自登记`);
    // 双报到 and 星级 show the server's before/after values in their units, with the counts behind them.
    type Part = { numerator: number; denominator: number; value: number | null };
    type Row = { id: string; group: { before: Part; after: Part }; rest: { before: Part; after: Part } };
    const api = (await (await page.request.get(`${server.url}/api/scorecards?demo=circle:${circle.id}&days=90`)).json()) as { measures: Row[] };
    const expected = (id: string, text: (p: Part) => string) => {
      const r = api.measures.find((x) => x.id === id)!;
      return [r.group.before, r.group.after, r.rest.before, r.rest.after].map((p) => `${text(p)}${p.numerator}/${p.denominator}`);
    };
    const cells = async (id: string) => card.locator(`tr[data-measure="${id}"] td`).evaluateAll((tds) => tds.slice(0, 4).map((td) => td.textContent ?? ''));
    const stars = expected('stars', (p) => (p.value === null ? '—' : `${p.value.toFixed(2)} 星`));
    expect(stars[0]).toMatch(/^[1-5]\.\d\d 星\d+\/\d+$/);
    expect(await cells('stars')).toEqual(stars);
    expect(await cells('dualReport')).toEqual(expected('dualReport', (p) => (p.value === null ? '—' : `${(p.value * 100).toFixed(2)} 人/百户`)));
    expect(await cells('dualReportUnits')).toEqual(expected('dualReportUnits', (p) => (p.value === null ? '—' : `${p.value.toFixed(2)} 家/社区`)));
    expect(errors).toEqual([]);
  });
});
