import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedCopy, type TestDatabase } from '../../server/testing/databases';
import { LOAD_MS, launchBrowser, openPage, screenshotPath, startServer, TEST_MS, WAIT_MS } from './browser';

describe('map page in Chromium', { timeout: TEST_MS }, () => {
  let db: TestDatabase;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const externalRequests: string[] = [];

  beforeAll(async () => {
    db = await openEmbeddedCopy();
    server = await startServer(db.handle);
    browser = await launchBrowser();
    page = await openPage(browser, { viewport: { width: 1600, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('request', (r) => {
      if (!r.url().startsWith(server.url) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) externalRequests.push(r.url());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.dispose();
  });

  it('renders the grids from vector tiles on the offline basemap', async () => {
    await page.goto(server.url);
    await page.waitForSelector('body[data-grids-rendered="true"]', { timeout: LOAD_MS });
    const rendered = await page.evaluate(() => window.__dangjian!.map.querySourceFeatures('grids', { sourceLayer: 'grids' }).length);
    expect(rendered).toBeGreaterThan(10);
    await expect(page.locator('body')).toBeDefined();
    expect(await page.textContent('body')).toContain('示例数据');
    await page.screenshot({ path: screenshotPath('map.png') });
  });

  it('shows the code of the grid the user clicks', async () => {
    const map = page.locator('.maplibregl-canvas');
    const box = (await map.boundingBox())!;
    const click = { x: box.width / 2 + 40, y: box.height / 2 + 25 };
    const [lon, lat] = await page.evaluate(({ x, y }) => window.__dangjian!.map.unproject([x, y]).toArray(), click);
    const [expected] = await db.handle.rows<{ code: string }>(sql`SELECT code FROM grids WHERE ST_Contains(geom, ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326))`);
    expect(expected?.code).toMatch(/^\d{15}$/);
    await page.mouse.click(box.x + click.x, box.y + click.y);
    const code = page.locator('[data-testid="grid-code"]');
    await code.waitFor({ timeout: WAIT_MS });
    expect((await code.textContent())?.trim()).toBe(expected!.code);
    const panel = (await page.textContent('[data-testid="grid-panel"]')) ?? '';
    expect(panel).toMatch(/社区|村/);
    await page.screenshot({ path: screenshotPath('map-grid-selected.png') });
  });

  it('opens a 微网格 by its 17-digit code from the region search and draws it; the tree counts the levels', async () => {
    const [micro] = await db.handle.rows<{ code: string; parent: string; name: string }>(sql`SELECT code, parent_grid_code AS parent, name FROM sub_grids WHERE level = 'micro' ORDER BY code LIMIT 1`);
    const [{ n: microTotal }] = (await db.handle.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM sub_grids WHERE level = 'micro'`)) as [{ n: number }];
    expect(micro?.code).toMatch(/^\d{17}$/);
    // The city row names its micro grids.
    const cityCounts = (await page.locator('[data-testid="tree-sub-counts"]').first().getAttribute('aria-label')) ?? '';
    expect(cityCounts).toContain(`${microTotal} 个微网格`);
    await page.fill('[data-testid="region-search"]', micro!.code);
    await page.press('[data-testid="region-search"]', 'Enter');
    await page.waitForSelector('[data-testid="search-found"]', { timeout: WAIT_MS });
    expect(await page.textContent('[data-testid="search-found"]')).toContain(`所属基础网格 ${micro!.parent}`);
    await page.waitForFunction((p) => document.querySelector('[data-testid="grid-code"]')?.textContent?.trim() === p, micro!.parent, { timeout: WAIT_MS });
    await page.waitForFunction(
      (code) => {
        const m = window.__dangjian!.map;
        return m.getZoom() >= 15.9 && !m.isMoving() && m.querySourceFeatures('grids', { sourceLayer: 'micro_grids' }).some((f) => f.properties.code === code);
      },
      micro!.code,
      { timeout: LOAD_MS },
    );
    await page.screenshot({ path: screenshotPath('map-micro-grid.png') });
  });

  it('made no request outside this server and threw no page errors', () => {
    expect(externalRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
