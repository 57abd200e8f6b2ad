/**
 * Why: the main map's 党建 layers in Chromium — the 星级 mode colours the grids by the latest
 * final rating (legend counts = the API, the drawn grid's colour = its community's stars), and
 * the estates layer shows its legend and, on a click, the estate's popup.
 */
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedCopy, type TestDatabase } from '../../server/testing/databases';
import { STAR_COLOURS } from '../src/features/screen/starColours';
import { LOAD_MS, launchBrowser, mapIdle, openPage, screenshotPath, startServer, TEST_MS, WAIT_MS } from './browser';

const COMMUNITY = '450902005001';

describe('党建 layers on the main map in Chromium', { timeout: TEST_MS }, () => {
  let db: TestDatabase;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    db = await openEmbeddedCopy();
    server = await startServer(db.handle);
    browser = await launchBrowser();
    page = await openPage(browser, { viewport: { width: 1600, height: 900 } });
    await page.goto(server.url);
    await page.waitForSelector('body[data-grids-rendered="true"]', { timeout: LOAD_MS });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.dispose();
  });

  it('colours the grids by the latest final star rating, with a legend', async () => {
    // By hand from the sample: the community's newest final year and its stars.
    const [expected] = await db.handle.rows<{ year: number; stars: number }>(sql`SELECT year, stars FROM star_ratings WHERE org_code = ${COMMUNITY} AND status = 'final' ORDER BY year DESC LIMIT 1`);
    expect(expected).toBeDefined();
    const [grid] = await db.handle.rows<{ x: number; y: number }>(
      sql`SELECT ST_X(label_point) AS x, ST_Y(label_point) AS y FROM grids WHERE community_code = ${COMMUNITY} AND NOT EXISTS (SELECT 1 FROM star_ratings s WHERE s.org_code = grids.code AND s.status = 'final') ORDER BY code LIMIT 1`,
    );
    const streetColour = await page.evaluate(() => JSON.stringify(window.__dangjian!.map.getPaintProperty('grids-fill', 'fill-color')));

    await page.getByLabel('网格按最新认定星级着色').check();
    const legend = page.getByTestId('final-stars-legend');
    await legend.waitFor({ timeout: WAIT_MS });
    const api = await page.evaluate(async () => ((await (await fetch('/api/stars/latest-final')).json()) as { ratings: { stars: number }[] }).ratings);
    for (const s of [1, 2, 3, 4, 5]) expect(await legend.locator(`li[data-stars="${s}"]`).textContent()).toContain(`${api.filter((r) => r.stars === s).length} 个组织`);
    expect(await legend.locator('li[data-stars="0"]').textContent()).toContain('未评定');

    // The map now paints with the star expression; the community's grids (none rated on their own) get its colour, and one is drawn.
    await expect.poll(() => page.evaluate(() => JSON.stringify(window.__dangjian!.map.getPaintProperty('grids-fill', 'fill-color'))), { timeout: WAIT_MS }).not.toBe(streetColour);
    const paint = await page.evaluate(() => window.__dangjian!.map.getPaintProperty('grids-fill', 'fill-color') as unknown[]);
    expect(JSON.stringify(paint)).toContain(`"${COMMUNITY}","${STAR_COLOURS[expected!.stars]}"`);
    await page.evaluate((c) => window.__dangjian!.map.jumpTo({ center: c, zoom: 15 }), [Number(grid!.x), Number(grid!.y)] as [number, number]);
    await mapIdle(page);
    const drawn = await page.evaluate(() => {
      const map = window.__dangjian!.map;
      const centre = map.project(map.getCenter());
      const f = map.queryRenderedFeatures(centre, { layers: ['grids-fill'] })[0];
      return f ? { community: String(f.properties.community) } : null;
    });
    expect(drawn?.community).toBe(COMMUNITY);
    await page.screenshot({ path: screenshotPath('final-stars.png') });

    await page.getByLabel('网格按最新认定星级着色').uncheck();
    await expect.poll(() => page.evaluate(() => JSON.stringify(window.__dangjian!.map.getPaintProperty('grids-fill', 'fill-color'))), { timeout: WAIT_MS }).toBe(streetColour);
  });

  it('shows the estates coloured by party organisation, and an estate’s popup on click', async () => {
    const [estate] = await db.handle.rows<{ name: string; x: number; y: number; org: string | null; hh: number }>(sql`
      SELECT e.name, ST_X(ST_PointOnSurface(e.geom)) AS x, ST_Y(ST_PointOnSurface(e.geom)) AS y, o.name AS org, e.households AS hh
      FROM estates e LEFT JOIN party_orgs o ON o.id = e.party_org_id WHERE e.community_code = ${COMMUNITY} ORDER BY ST_Area(e.geom) DESC LIMIT 1`);
    expect(estate).toBeDefined();
    const centre: [number, number] = [Number(estate!.x), Number(estate!.y)];
    await page.evaluate(() => window.__dangjian!.map.jumpTo({ zoom: 11 }));
    await page.getByLabel('小区（党组织组建情况）').check();
    const status = page.getByTestId('estates-status');
    await expect.poll(() => status.textContent(), { timeout: WAIT_MS }).toMatch(/放大到 13 级以上/);
    expect(await page.getByTestId('estates-legend').textContent()).toMatch(/单独组建.*联合组建.*未组建/);

    await page.evaluate((c) => window.__dangjian!.map.jumpTo({ center: c, zoom: 17 }), centre);
    await expect.poll(() => status.textContent(), { timeout: WAIT_MS }).toMatch(/本区域 \d+ 个小区/);
    await mapIdle(page);
    const point = await page.evaluate((c) => {
      const map = window.__dangjian!.map;
      const p = map.project(c);
      const box = map.getCanvas().getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y };
    }, centre);
    await page.mouse.click(point.x, point.y);
    const popup = page.getByTestId('estate-popup');
    await popup.waitFor({ timeout: WAIT_MS });
    const text = await popup.textContent();
    expect(text).toContain(estate!.name);
    expect(text).toContain(estate!.hh.toLocaleString('zh-CN'));
    expect(text).toContain(estate!.org ?? '未组建');
    expect(text).toMatch(/红色物业/);
    await page.screenshot({ path: screenshotPath('estates-map.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => popup.count(), { timeout: WAIT_MS }).toBe(0);
  });
});
