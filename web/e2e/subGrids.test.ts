/**
 * 微网格 and 专属网格 drawn in the editor in Chromium: a planner opens a base grid without micro
 * grids, draws a 微网格 by clicking its corners and saves with Enter — the server stores it and a
 * remainder micro grid that together tile the base grid, and the panel lists both; then draws a
 * 专属网格 of kind 学校 in the same community, which is stored with a 学校 code.
 */
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedCopy, type TestDatabase } from '../../server/testing/databases';
import { parseLevelCode } from '../../kernel/gridCode';
import { LOAD_MS, launchBrowser, mapIdle, openPage, startServer, TEST_MS, WAIT_MS } from './browser';

describe('grid levels drawn in the editor (Chromium)', { timeout: TEST_MS }, () => {
  let db: TestDatabase;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let page: Page;
  let base: { code: string; community: string; lon: number; lat: number };
  const pageErrors: string[] = [];

  beforeAll(async () => {
    db = await openEmbeddedCopy();
    server = await startServer(db.handle);
    browser = await launchBrowser();
    page = await openPage(browser, { viewport: { width: 1600, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    // A base grid without micro grids, its label point well inside it.
    const [row] = await db.handle.rows<{ code: string; community: string; lon: number; lat: number }>(sql`
      SELECT g.code, g.community_code AS community, ST_X(g.label_point) AS lon, ST_Y(g.label_point) AS lat FROM grids g
      WHERE NOT EXISTS (SELECT 1 FROM sub_grids m WHERE m.parent_grid_code = g.code)
        AND ST_DWithin(ST_Boundary(g.geom)::geography, g.label_point::geography, 60) = false
      ORDER BY g.code LIMIT 1`);
    base = { ...row!, lon: Number(row!.lon), lat: Number(row!.lat) };
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.dispose();
  });

  /** Clicks a square of `px` pixels around the base grid's label point, without snapping (Alt). */
  async function clickSquare(centre: [number, number], px: number) {
    const c = await page.evaluate((q) => window.__dangjian!.map.project(q as [number, number]), centre);
    const box = (await page.locator('.maplibregl-canvas').boundingBox())!;
    await page.keyboard.down('Alt');
    for (const [dx, dy] of [
      [-px, -px],
      [px, -px],
      [px, px],
      [-px, px],
    ] as const) {
      await page.mouse.click(box.x + c.x + dx, box.y + c.y + dy);
    }
    await page.keyboard.up('Alt');
  }

  const micro = () => db.handle.rows<{ code: string; households: number }>(sql`SELECT code, households FROM sub_grids WHERE level = 'micro' AND parent_grid_code = ${base.code} ORDER BY code`);

  it('draws a 微网格 inside the open grid: it and the remainder tile the base grid', async () => {
    await page.goto(`${server.url}/editor?grid=${base.code}`);
    await page.waitForSelector('body[data-grids-rendered="true"]', { timeout: LOAD_MS });
    await expect.poll(() => page.textContent('[data-testid="editor-grid-code"]'), { timeout: WAIT_MS }).toBe(base.code);
    await expect.poll(() => page.textContent('[data-testid="micro-grid-list"]'), { timeout: WAIT_MS }).toBe('');
    await mapIdle(page);
    await page.getByRole('button', { name: '绘制微网格' }).click();
    await clickSquare([base.lon, base.lat], 20);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await micro()).length, { timeout: WAIT_MS }).toBe(2);
    const [tiling] = await db.handle.rows<{ base: number; sum: number; overlap: number }>(sql`
      SELECT ST_Area(g.geom::geography) AS base, (SELECT sum(area_m2) FROM sub_grids WHERE parent_grid_code = g.code) AS sum,
             (SELECT coalesce(sum(ST_Area(ST_Intersection(a.geom, b.geom)::geography)), 0) FROM sub_grids a JOIN sub_grids b ON a.id < b.id
                AND a.parent_grid_code = g.code AND b.parent_grid_code = g.code) AS overlap
      FROM grids g WHERE g.code = ${base.code}`);
    expect(Math.abs(Number(tiling!.base) - Number(tiling!.sum))).toBeLessThan(1);
    expect(Number(tiling!.overlap)).toBeLessThan(1);
    const codes = (await micro()).map((m) => m.code);
    expect(codes).toEqual([`${base.code}01`, `${base.code}02`]);
    // The panel lists what the server holds.
    for (const c of codes) await page.waitForSelector(`[data-testid="micro-grid-list"] >> text=${c}`, { timeout: WAIT_MS });
    const drawn = await page.evaluate(() => window.__dangjian!.map.querySourceFeatures('editor-sub-grids').map((f) => f.properties.code as string));
    for (const c of codes) expect(drawn).toContain(c);
  });

  it('draws a 专属网格 of kind 学校 in the community', async () => {
    const count = async () => (await db.handle.rows<{ code: string }>(sql`SELECT code FROM sub_grids WHERE level = 'exclusive' AND kind = '学校' AND community_code = ${base.community} ORDER BY code`)).map((r) => r.code);
    const before = await count();
    await page.getByRole('button', { name: '绘制专属网格' }).click();
    await page.selectOption('[data-testid="exclusive-kind"]', '学校');
    // A little to the east of the micro grid, so it does not touch another 学校 grid by chance.
    await clickSquare([base.lon + 0.0004, base.lat], 15);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await count()).length, { timeout: WAIT_MS }).toBe(before.length + 1);
    const added = (await count()).find((c) => !before.includes(c))!;
    expect(parseLevelCode(added)).toMatchObject({ level: 'exclusive', kind: '学校' });
    expect(added.slice(0, 12)).toBe(base.community);
    await page.waitForSelector(`[data-testid="exclusive-grid-list"] >> text=${added}`, { timeout: WAIT_MS });
    expect(pageErrors).toEqual([]);
  });
});
