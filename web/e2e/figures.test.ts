import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedCopy, type TestDatabase } from '../../server/testing/databases';
import { LOAD_MS, launchBrowser, openPage, screenshotPath, startServer, TEST_MS, WAIT_MS } from './browser';

describe('figure drill-down from the big screen in Chromium', { timeout: TEST_MS }, () => {
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

  it('opens 网格数 from the screen: definition, filter, records and an export whose count matches', async () => {
    const page = await openPage(browser, { viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${server.url}/screen?isochrones=0&heatmap=0`);
    const tile = page.locator('[data-figure="screen.grids"]');
    await tile.waitFor({ timeout: LOAD_MS });
    await tile.click();
    const panel = page.getByTestId('figure-panel');
    await panel.waitFor({ timeout: WAIT_MS });
    await page.getByTestId('figure-records').locator('tbody tr').first().waitFor({ timeout: WAIT_MS });
    const total = Number(await page.getByTestId('figure-total').textContent());
    expect(total).toBeGreaterThan(0);
    expect(await panel.textContent()).toContain('网格属于该区域');
    const rows = await page.getByTestId('figure-records').locator('tbody tr').count();
    expect(rows).toBe(Math.min(20, total));
    // The export link is exactly the records: its row count header says so.
    const href = await panel.getByRole('link', { name: '导出 CSV' }).getAttribute('href');
    const res = await page.request.get(`${server.url}${href}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['x-record-count']).toBe(String(total));
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached', timeout: WAIT_MS });
    expect(errors).toEqual([]);
  });

  it('every figure on the screen opens: each tile, figure number and chart bar has a registered data-figure', async () => {
    const page = await openPage(browser, { viewport: { width: 1920, height: 1080 } });
    await page.goto(`${server.url}/screen?isochrones=0&heatmap=0`);
    for (const id of ['panel-party', 'panel-centres', 'panel-incidents', 'panel-stars']) await page.getByTestId(id).locator('.kpi').first().waitFor({ timeout: LOAD_MS });
    // A figure is a .kpi tile, a [data-kpi] number or a [data-figure-value] number in text or a chart: each must sit in a [data-figure] opener.
    const found = await page.evaluate(() => {
      const figures = [...document.querySelectorAll('.screen-canvas .kpi, .screen-canvas [data-kpi], .screen-canvas [data-figure-value]')];
      const label = (el: Element) => el.getAttribute('data-kpi') ?? el.getAttribute('data-figure-value') ?? el.textContent?.trim() ?? '';
      return {
        total: figures.length,
        unclickable: figures.filter((el) => !el.closest('[data-figure]')).map(label),
        ids: [...new Set([...document.querySelectorAll('.screen-canvas [data-figure]')].map((el) => el.getAttribute('data-figure')!))],
      };
    });
    expect(found.unclickable).toEqual([]);
    // 6 + 3 + 3 + 3 tiles, 5 centre levels + coverage, 7 numbers in text, 6 star bars.
    expect(found.total).toBeGreaterThanOrEqual(30);
    const registry = (await (await page.request.get(`${server.url}/api/figures`)).json()) as { figures: { id: string }[] };
    const registered = new Set(registry.figures.map((f) => f.id));
    expect(found.ids.filter((id) => !registered.has(id))).toEqual([]);
    expect(found.ids.length).toBeGreaterThanOrEqual(25);

    // A figure opened from a line of text: its records are exactly the number shown.
    const wishes = page.locator('[data-figure="screen.wishes.posted"]');
    const shown = Number((await wishes.textContent())!.replace(/[,\s]/g, ''));
    await wishes.click();
    const panel = page.getByTestId('figure-panel');
    await panel.waitFor({ timeout: WAIT_MS });
    await page.getByTestId('figure-total').waitFor({ timeout: WAIT_MS });
    await page.waitForFunction(() => document.querySelector('[data-testid="figure-panel"]')?.textContent?.includes('红绳/微心愿'), undefined, { timeout: WAIT_MS });
    expect(Number(await page.getByTestId('figure-total').textContent())).toBe(shown);
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached', timeout: WAIT_MS });
    // A chart bar opens by keyboard too.
    await page.locator('[data-figure="screen.stars.5"][role="button"]').focus();
    await page.keyboard.press('Enter');
    await panel.waitFor({ timeout: WAIT_MS });
    await page.waitForFunction(() => document.querySelector('[data-testid="figure-panel"]')?.textContent?.includes('星级 = 5'), undefined, { timeout: WAIT_MS });
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached', timeout: WAIT_MS });
  });

  it('a trend month point and a child bar open at that point: the panel shows the chart’s number and the month/region in its filter', async () => {
    const page = await openPage(browser, { viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${server.url}/screen?isochrones=0&heatmap=0`);
    const incidents = page.getByTestId('panel-incidents');
    await incidents.locator('.trend-open').first().waitFor({ timeout: LOAD_MS });
    const points = await incidents
      .locator('.trend-open')
      .evaluateAll((els) => els.map((el) => ({ figure: el.getAttribute('data-figure')!, month: el.getAttribute('data-month')!, value: Number(el.getAttribute('data-value')) })));
    // Two lines × 12 months, each point a registered figure at its month.
    expect(points.length).toBe(24);
    expect(new Set(points.map((p) => p.figure))).toEqual(new Set(['kpi.count', 'screen.trendClosed']));
    const panel = page.getByTestId('figure-panel');
    const opensWith = async (month: string | null, text: string) => {
      await panel.waitFor({ timeout: WAIT_MS });
      await page.waitForFunction(
        ([m, t]) => {
          const f = document.querySelector('[data-testid="figure-filter"]')?.textContent ?? '';
          return (m === null || f.includes(`月份 ${m}`)) && f.includes(t as string);
        },
        [month, text] as const,
        { timeout: WAIT_MS },
      );
    };
    const close = async () => {
      await page.keyboard.press('Escape');
      await panel.waitFor({ state: 'detached', timeout: WAIT_MS });
    };

    // Mouse: the busiest month's 受理 point; the panel counts exactly the point's number.
    const busiest = points.filter((p) => p.figure === 'kpi.count').sort((a, b) => b.value - a.value)[0]!;
    expect(busiest.value).toBeGreaterThan(0);
    await incidents.locator(`.trend-open[data-figure="kpi.count"][data-month="${busiest.month}"]`).click();
    await opensWith(busiest.month, '上报时间在统计期内');
    expect(Number(await page.getByTestId('figure-total').textContent())).toBe(busiest.value);
    expect(Number((await page.getByTestId('figure-value').textContent())!.replace(/[,\s]/g, ''))).toBe(busiest.value);
    expect(await panel.locator('h2').textContent()).toContain(busiest.month);
    // Its export is the same records of that month.
    const href = await panel.getByRole('link', { name: '导出 CSV' }).getAttribute('href');
    expect(href).toContain(`month=${busiest.month}`);
    const res = await page.request.get(`${server.url}${href}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['x-record-count']).toBe(String(busiest.value));
    await close();

    // Keyboard: an 已结案 point (the one furthest below its 受理 point), focused and opened with Enter.
    const reportedOf = new Map(points.filter((p) => p.figure === 'kpi.count').map((p) => [p.month, p.value]));
    const closed = points.filter((p) => p.figure === 'screen.trendClosed').sort((a, b) => reportedOf.get(b.month)! - b.value - (reportedOf.get(a.month)! - a.value))[0]!;
    await incidents.locator(`.trend-open[data-figure="screen.trendClosed"][data-month="${closed.month}"]`).focus();
    await page.getByTestId('panel-incidents').screenshot({ path: screenshotPath('figures-trend-focus.png') });
    await page.keyboard.press('Enter');
    await opensWith(closed.month, '截至现在已结案');
    expect(Number(await page.getByTestId('figure-total').textContent())).toBe(closed.value);
    await close();

    // A child's bar of 下级党员分布: 党员数 of that child, its name in the filter.
    const bar = page.getByTestId('panel-party').locator('.share-open').first();
    await bar.waitFor({ timeout: WAIT_MS });
    const region = (await bar.getAttribute('data-region'))!;
    const name = (await bar.locator('.share-name').textContent())!;
    const shown = Number((await bar.locator('.share-value').textContent())!.replace(/[^\d]/g, ''));
    expect(shown).toBeGreaterThan(0);
    await bar.click();
    await opensWith(null, `${name}（${region}）`);
    expect(await page.getByTestId('figure-filter').textContent()).toContain('的下级区域');
    await page.screenshot({ path: screenshotPath('figures-child-bar.png') });
    expect(Number((await page.getByTestId('figure-value').textContent())!.replace(/[,\s]/g, ''))).toBe(shown);
    await close();
    expect(errors).toEqual([]);
  });

  it('a 下级平均星级 row (Space) and a 示范评估 change bar (mouse), a 受理量 cell (Enter) and a 双报到 cell (mouse) open their drill-downs with the numbers shown', async () => {
    const page = await openPage(browser, { viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const panel = page.getByTestId('figure-panel');
    const filterHas = async (text: string) => {
      await panel.waitFor({ timeout: WAIT_MS });
      await page.waitForFunction((t) => document.querySelector('[data-testid="figure-filter"]')?.textContent?.includes(t), text, { timeout: WAIT_MS });
    };
    const exportCount = async () => {
      const href = (await panel.getByRole('link', { name: '导出 CSV' }).getAttribute('href'))!;
      const res = await page.request.get(`${server.url}${href}`);
      expect(res.status()).toBe(200);
      return { href, count: Number(res.headers()['x-record-count']) };
    };
    const close = async () => {
      await page.keyboard.press('Escape');
      await panel.waitFor({ state: 'detached', timeout: WAIT_MS });
    };

    // The big screen: the first row's 平均星级, focused and opened with Space; the name beside it still drills the screen.
    await page.goto(`${server.url}/screen?isochrones=0&heatmap=0`);
    const row = page.getByTestId('panel-stars').locator('.child-list li').first();
    const stars = row.locator('.child-open');
    await stars.waitFor({ timeout: LOAD_MS });
    const region = (await stars.getAttribute('data-region'))!;
    const name = (await row.locator('.child-name').textContent())!;
    const shown = (await stars.textContent())!.replace(/\s*星$/, '');
    expect(shown).toMatch(/^\d\.\d\d$/);
    await stars.focus();
    await page.keyboard.press(' ');
    await filterHas(`${name}（${region}）`);
    await page.waitForFunction(() => document.querySelector('[data-testid="figure-value"]')?.textContent, undefined, { timeout: WAIT_MS });
    expect(await page.getByTestId('figure-value').textContent()).toMatch(new RegExp(`^${shown.replace('.', '\\.')} 星（\\d+ ÷ \\d+）`));
    const rated = Number((await page.getByTestId('figure-value').textContent())!.match(/÷ (\d+)/)![1]);
    expect(Number(await page.getByTestId('figure-total').textContent())).toBe(rated);
    expect((await exportCount()).count).toBe(rated);
    await close();

    // 示范评估: a 示范圈 with its 认定日期; the 示范 bar of the first change chart opens that side's figure after the designation.
    await page.goto(`${server.url}/scorecards`);
    const demos = (await (await page.request.get(`${server.url}/api/demonstrations`)).json()) as { circles: { id: number; designatedOn: string | null }[] };
    const circle = demos.circles.find((c) => c.designatedOn)!;
    const select = page.getByTestId('scorecard-demo');
    await select.locator(`option[value="circle:${circle.id}"]`).waitFor({ state: 'attached', timeout: LOAD_MS });
    await select.selectOption(`circle:${circle.id}`);
    await page.getByRole('button', { name: '评估' }).click();
    const bar = page.getByTestId('scorecard').locator('.did-row.figure-open[data-cohort="group"]').first();
    await bar.waitFor({ timeout: WAIT_MS });
    const [numerator, denominator] = [Number(await bar.getAttribute('data-numerator')), Number(await bar.getAttribute('data-denominator'))];
    expect(denominator).toBeGreaterThan(0);
    await bar.click();
    await filterHas('中的示范社区');
    await page.waitForFunction(() => document.querySelector('[data-testid="figure-value"]')?.textContent, undefined, { timeout: WAIT_MS });
    expect(await page.getByTestId('figure-value').textContent()).toContain(`${numerator} ÷ ${denominator}`);
    expect(Number(await page.getByTestId('figure-total').textContent())).toBe(denominator);
    const bars = await exportCount();
    expect(bars.href).toContain('cohort=group');
    expect(bars.count).toBe(denominator);
    await page.screenshot({ path: screenshotPath('figures-scorecard-bar.png') });
    await close();

    // A cell by keyboard: 受理量 of the rest of the city before the designation.
    const cell = page.getByTestId('scorecard').locator('td .figure-open[data-figure="kpi.count"][data-cohort="rest"][data-window="before"]');
    const reported = Number(await cell.getAttribute('data-numerator'));
    expect(reported).toBeGreaterThan(0);
    await cell.focus();
    await page.keyboard.press('Enter');
    await filterHas('外的其余社区');
    await page.waitForFunction((n) => document.querySelector('[data-testid="figure-total"]')?.textContent === String(n), reported, { timeout: WAIT_MS });
    expect((await exportCount()).count).toBe(reported);
    await close();

    // A 双报到 cell (mouse): new members per 100 households of the 示范社区 after the designation; the records are the members.
    const dual = page.getByTestId('scorecard').locator('td .figure-open[data-figure="scorecard.dualReport"][data-cohort="group"][data-window="after"]');
    const [members, households] = [Number(await dual.getAttribute('data-numerator')), Number(await dual.getAttribute('data-denominator'))];
    expect(households).toBeGreaterThan(0);
    await dual.click();
    await filterHas('中的示范社区');
    await page.waitForFunction((n) => document.querySelector('[data-testid="figure-total"]')?.textContent === String(n), members, { timeout: WAIT_MS });
    expect(await page.getByTestId('figure-value').textContent()).toBe(`${((members * 100) / households).toFixed(2)} 人/百户（${members} ÷ ${households} 户 × 100）`);
    expect((await exportCount()).count).toBe(members);
    await close();
    expect(errors).toEqual([]);
  });

  it('the 双报到 page opens its figures: 报到单位 of the region (mouse), a child row’s 报到党员 (Enter) and 服务完成 (Space) with the page’s numbers', async () => {
    const page = await openPage(browser, { viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${server.url}/dual-report`);
    const panel = page.getByTestId('figure-panel');
    const total = async (n: number) => {
      await panel.waitFor({ timeout: WAIT_MS });
      await page.waitForFunction((x) => document.querySelector('[data-testid="figure-total"]')?.textContent === String(x), n, { timeout: WAIT_MS });
    };
    const units = page.getByTestId('dr-figures').locator('[data-figure="screen.dualReport.units"]');
    await units.waitFor({ timeout: LOAD_MS });
    const shownUnits = Number((await units.textContent())!.replace(/[^\d]/g, ''));
    await units.click();
    await total(shownUnits);
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached', timeout: WAIT_MS });
    const child = page.locator('.dr-table [data-figure="screen.dualReport.membersReported"][data-region]').first();
    const region = (await child.getAttribute('data-region'))!;
    const shown = Number(await child.textContent());
    await child.focus();
    await page.keyboard.press('Enter');
    await total(shown);
    expect(await page.getByTestId('figure-filter').textContent()).toContain(`（${region}）`);
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached', timeout: WAIT_MS });
    // 服务完成 (心愿 and 共建项目, two tables) opens too, by Space: as many records as it shows.
    const services = page.getByTestId('dr-figures').locator('[data-figure="screen.dualReport.servicesDone"]');
    const shownServices = Number((await services.textContent())!.replace(/[^\d]/g, ''));
    await services.focus();
    await page.keyboard.press(' ');
    await total(shownServices);
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached', timeout: WAIT_MS });
    expect(errors).toEqual([]);
  });
});
