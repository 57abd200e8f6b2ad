import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedCopy, type TestDatabase } from '../../server/testing/databases';
import { LOAD_MS, launchBrowser, mapIdle, openPage, screenshotPath, startServer, TEST_MS, WAIT_MS } from './browser';

describe('thematic layers on the map page in Chromium', { timeout: TEST_MS }, () => {
  let db: TestDatabase;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    db = await openEmbeddedCopy();
    server = await startServer(db.handle);
    browser = await launchBrowser();
    page = await openPage(browser, { viewport: { width: 1600, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.dispose();
  });

  it('shows service centres with their walking circles and the coverage summary', async () => {
    await page.goto(server.url);
    await page.waitForSelector('body[data-grids-rendered="true"]', { timeout: LOAD_MS });
    await page.getByLabel('党群服务中心与15分钟服务圈').check();
    const panel = page.getByTestId('service-circles');
    // The layer draws the walking circles of every kind of 阵地 at the chosen level (one per facility).
    const [facilities] = await db.handle.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM service_centres WHERE level = 'community'`);
    await expect.poll(() => panel.textContent(), { timeout: LOAD_MS }).toMatch(new RegExp(`${facilities!.n} 个服务圈`));
    expect(await panel.textContent()).toMatch(/覆盖户数 [\d,]+ \/ [\d,]+/);
    await page.screenshot({ path: screenshotPath('service-circles.png') });
  });

  it('shows incidents as hexagons with a legend, a cell list, filters, playback and view-bounded requests deeper in', async () => {
    type Hexbins = { total: number; max: number; cells: { i: number; j: number; count: number; centre: [number, number] }[] };
    const hexbinResponses: { url: string; body: Hexbins }[] = [];
    page.on('response', async (res) => {
      if (new URL(res.url()).pathname === '/api/incidents/hexbins' && res.ok()) hexbinResponses.push({ url: res.url(), body: (await res.json()) as Hexbins });
    });
    await page.evaluate(() => window.__dangjian!.map.jumpTo({ center: [110.16, 22.64], zoom: 12 }));
    await page.getByLabel('网格事件').check();
    const incidents = page.getByTestId('incidents-panel');
    await incidents.waitFor();
    await expect.poll(() => hexbinResponses.length, { timeout: WAIT_MS }).toBeGreaterThan(0);
    const first = hexbinResponses.at(-1)!;
    expect(new URL(first.url).searchParams.get('zoom')).toBe('12');
    expect(new URL(first.url).searchParams.get('bbox')).toBeNull(); // the city at once up to zoom 12
    expect(first.body.total).toBeGreaterThan(1000); // the sample's 6,000 incidents over 12 months
    const legend = page.getByTestId('incident-legend');
    await expect.poll(() => legend.getAttribute('aria-label'), { timeout: WAIT_MS }).toBe(`图例：每个六边形的事件数，0 到 ${first.body.max}`);
    await page.screenshot({ path: screenshotPath('incidents.png') });

    // Click the fullest hexagon on the map → its incidents, as many as the cell's count.
    const fullest = first.body.cells.reduce((a, b) => (b.count > a.count ? b : a));
    await page.evaluate((c) => window.__dangjian!.map.jumpTo({ center: c }), fullest.centre);
    await mapIdle(page);
    const point = await page.evaluate((c) => {
      const map = window.__dangjian!.map;
      const p = map.project(c);
      const box = map.getCanvas().getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y };
    }, fullest.centre);
    await page.mouse.click(point.x, point.y);
    const list = page.getByTestId('incident-cell-list');
    await expect.poll(() => list.textContent(), { timeout: WAIT_MS }).toContain(`本单元事件 ${fullest.count} 件`);
    await expect.poll(() => list.locator('li').count(), { timeout: WAIT_MS }).toBe(Math.min(20, fullest.count));

    // A source filter goes into the request and lowers the total.
    const before = hexbinResponses.length;
    await page.getByTestId('incident-filter-bar').getByLabel('12345热线').check();
    await expect.poll(() => hexbinResponses.slice(before).some((r) => new URL(r.url).searchParams.get('source') === 'hotline'), { timeout: WAIT_MS }).toBe(true);
    const hotline = hexbinResponses.filter((r) => new URL(r.url).searchParams.get('source') === 'hotline').at(-1)!;
    expect(hotline.body.total).toBeGreaterThan(0);
    expect(hotline.body.total).toBeLessThan(first.body.total);
    await page.getByTestId('incident-filter-bar').getByLabel('12345热线').uncheck();

    // Playback: frames advance, the legend keeps the period's fixed maximum.
    const playback = page.getByTestId('incident-playback');
    await playback.getByRole('button', { name: '播放' }).click();
    const label = playback.locator('.incident-playback-label');
    await expect.poll(() => label.textContent(), { timeout: WAIT_MS }).toMatch(/起一周：\d+ 件/);
    const firstFrame = await label.textContent();
    const fixedLegend = await legend.getAttribute('aria-label');
    await expect.poll(() => label.textContent(), { timeout: WAIT_MS }).not.toBe(firstFrame);
    expect(await legend.getAttribute('aria-label')).toBe(fixedLegend);
    await playback.getByRole('button', { name: '暂停' }).click();
    await playback.getByRole('button', { name: '全部' }).click();

    // Deeper than the stored zooms, only the (padded) view is aggregated.
    const beforeZoom = hexbinResponses.length;
    await page.evaluate(() => window.__dangjian!.map.jumpTo({ zoom: 14 }));
    await expect.poll(() => hexbinResponses.slice(beforeZoom).some((r) => new URL(r.url).searchParams.get('zoom') === '14'), { timeout: WAIT_MS }).toBe(true);
    const deep = hexbinResponses.slice(beforeZoom).find((r) => new URL(r.url).searchParams.get('zoom') === '14')!;
    const [w, s, e, n] = new URL(deep.url).searchParams.get('bbox')!.split(',').map(Number) as [number, number, number, number];
    const view = await page.evaluate(() => window.__dangjian!.map.getBounds().toArray());
    expect(w).toBeLessThanOrEqual(view[0][0]);
    expect(s).toBeLessThanOrEqual(view[0][1]);
    expect(e).toBeGreaterThanOrEqual(view[1][0]);
    expect(n).toBeGreaterThanOrEqual(view[1][1]);
    expect(deep.body.total).toBeLessThan(first.body.total);
  });
});
