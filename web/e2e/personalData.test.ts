/**
 * The grid panel for a reader the server withholds people from (an analyst):
 * secretary, phone and grid workers read 无权查看, and no name reaches the page.
 */
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../kernel/roles';
import { openEmbeddedCopy, type TestDatabase } from '../../server/testing/databases';
import { launchBrowser, screenshotPath, startServer } from './browser';

const ANALYST: SessionUser = { id: 0, username: 'e2e-analyst', displayName: '分析员', role: 'analyst', jurisdictionCode: null, gridCodes: [], departmentId: null };

describe('grid panel without the right to read people, in Chromium', () => {
  let db: TestDatabase;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    db = await openEmbeddedCopy();
    server = await startServer(db.handle, { anonymousUser: ANALYST });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.dispose();
  });

  it('shows 无权查看 for the secretary, the phone and the grid workers of the clicked grid', async () => {
    await page.goto(server.url);
    await page.waitForSelector('body[data-grids-rendered="true"]', { timeout: 90_000 });
    const box = (await page.locator('.maplibregl-canvas').boundingBox())!;
    const click = { x: box.width / 2 + 40, y: box.height / 2 + 25 };
    const [lon, lat] = await page.evaluate(({ x, y }) => window.__dangjian!.map.unproject([x, y]).toArray(), click);
    const [grid] = await db.handle.rows<{ code: string; secretary: string; workers: string[] }>(
      sql`SELECT code, party_secretary AS secretary, grid_workers AS workers FROM grids WHERE ST_Contains(geom, ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326))`,
    );
    expect(grid?.secretary).toBeTruthy();
    await page.mouse.click(box.x + click.x, box.y + click.y);
    await page.locator('[data-testid="grid-code"]').waitFor({ timeout: 30_000 });
    expect((await page.textContent('[data-testid="grid-code"]'))?.trim()).toBe(grid!.code);
    const withheld = page.locator('[data-testid="personal-data-withheld"]');
    await withheld.first().waitFor({ timeout: 30_000 });
    // 书记, 联系电话 (when the grid has a party organisation) and 网格员.
    expect(await withheld.count()).toBe(3);
    expect(await withheld.allTextContents()).toEqual(['无权查看', '无权查看', '无权查看']);
    const panel = (await page.textContent('[data-testid="grid-panel"]')) ?? '';
    for (const name of [grid!.secretary, ...grid!.workers]) expect(panel).not.toContain(name);
    expect(panel).not.toContain('暂无网格员');
    await page.screenshot({ path: screenshotPath('grid-panel-withheld.png') });
    expect(pageErrors).toEqual([]);
  });
});
