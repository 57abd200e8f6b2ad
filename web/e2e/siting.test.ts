/**
 * 选址分析 in Chromium: a click on the map drops a candidate 红色驿站 at a grid
 * with uncovered households; its walking circle is computed on the fly and the
 * coverage change per street and community appears, with nothing saved as a facility.
 * Suggested sites from the chosen candidate source (小区中心) list the gain per site.
 */
import type { Browser, Page } from 'playwright-core';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedCopy, type TestDatabase } from '../../server/testing/databases';
import { LOAD_MS, launchBrowser, mapIdle, openPage, screenshotPath, startServer, TEST_MS } from './browser';

describe('选址分析 page in Chromium', { timeout: TEST_MS }, () => {
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

  it('drops a candidate on the map and shows the coverage delta', async () => {
    const before = (await db.handle.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM service_centres`))[0]!.n;
    // A grid far from every facility: the one whose label point is farthest from the nearest centre.
    const [target] = await db.handle.rows<{ lon: number; lat: number }>(sql`
      SELECT ST_X(g.label_point) AS lon, ST_Y(g.label_point) AS lat FROM grids g
      WHERE g.households > 0
      ORDER BY (SELECT min(ST_Distance(c.geom::geography, g.label_point::geography)) FROM service_centres c) DESC LIMIT 1`);
    await page.goto(`${server.url}/siting`);
    await page.getByTestId('siting-map').waitFor({ timeout: LOAD_MS });
    await expect.poll(() => page.evaluate(() => Boolean(window.__dangjian?.map?.loaded())), { timeout: LOAD_MS }).toBe(true);
    await page.evaluate((c) => window.__dangjian!.map.jumpTo({ center: c, zoom: 15 }), [Number(target!.lon), Number(target!.lat)] as [number, number]);
    await mapIdle(page);
    const box = (await page.getByTestId('siting-map').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    const delta = page.getByTestId('siting-delta');
    await delta.waitFor({ timeout: LOAD_MS });
    await expect.poll(() => delta.textContent(), { timeout: LOAD_MS }).toMatch(/新增覆盖 [\d,]+ 户/);
    const gained = Number((await delta.textContent())!.match(/新增覆盖 ([\d,]+) 户/)![1]!.replaceAll(',', ''));
    expect(gained).toBeGreaterThan(0);
    expect(await delta.locator('tbody tr').count()).toBeGreaterThanOrEqual(2); // a street and a community at least
    await page.screenshot({ path: screenshotPath('siting.png') });
    expect((await db.handle.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM service_centres`))[0]!.n).toBe(before);
  });

  it('suggests sites from the chosen candidate source with the gain per site', async () => {
    const estates = (await db.handle.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM estates`))[0]!.n;
    await page.getByLabel('新建数量').fill('3');
    await page.getByLabel('候选点来源').selectOption('estates');
    await page.getByRole('button', { name: /建议点/ }).click();
    const result = page.locator('.siting-suggest');
    await result.waitFor({ timeout: LOAD_MS });
    await expect.poll(() => result.textContent(), { timeout: LOAD_MS }).toMatch(/候选点：小区中心 [\d,]+ 个/);
    const text = (await result.textContent())!;
    // Every estate is a candidate unless it is too far from the roads (then counted apart).
    const shown = Number(text.match(/候选点：小区中心 ([\d,]+) 个/)![1]!.replaceAll(',', ''));
    const apart = Number(text.match(/另有 ([\d,]+) 个离路网过远/)?.[1]?.replaceAll(',', '') ?? 0);
    expect(shown + apart).toBe(estates);
    const gains = [...text.matchAll(/第 \d+ 个点：新增 ([\d,]+) 户/g)].map((m) => Number(m[1]!.replaceAll(',', '')));
    expect(gains).toHaveLength(3);
    expect(gains[0]).toBeGreaterThan(0);
    expect(gains[1]!).toBeLessThanOrEqual(gains[0]!);
    expect(gains[2]!).toBeLessThanOrEqual(gains[1]!);
  });
});
