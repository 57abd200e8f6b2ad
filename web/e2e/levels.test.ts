/**
 * History and 多网融合 in Chromium on the sample: /history shows two dates side by side (the day
 * before the sample's boundary change and today), each map drawing the grids valid then, the
 * changed grid listed; /fusion draws the 综治 network over our grids with the foreign grids that
 * span several of ours highlighted, as many as the overlap report counts.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOUNDARY_CHANGE_AT, BOUNDARY_CHANGE_GRID } from '../../data/levels';
import { openEmbeddedCopy, type TestDatabase } from '../../server/testing/databases';
import { LOAD_MS, launchBrowser, openPage, screenshotPath, startServer, TEST_MS, WAIT_MS } from './browser';

describe('history compare and fusion map in Chromium', { timeout: TEST_MS }, () => {
  let db: TestDatabase;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    db = await openEmbeddedCopy();
    server = await startServer(db.handle);
    browser = await launchBrowser();
    page = await openPage(browser, { viewport: { width: 1500, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.dispose();
  });

  it('renders the grids of two dates side by side, the changed grid listed', async () => {
    const before = new Date(BOUNDARY_CHANGE_AT.getTime() - 86_400_000).toISOString().slice(0, 10);
    const after = '2026-11-20';
    await page.goto(`${server.url}/history?region=450902005001&left=${before}&right=${after}`);
    for (const k of [0, 1]) {
      await page.waitForSelector(`[data-testid="history-side-${k}"][data-grids]:not([data-grids=""])`, { timeout: LOAD_MS });
      await page.waitForSelector(`[data-testid="history-map-${k}"][data-ready="true"]`, { timeout: LOAD_MS });
    }
    expect(await page.getAttribute('[data-testid="history-side-0"]', 'data-asof')).toBe(before);
    expect(await page.getAttribute('[data-testid="history-side-1"]', 'data-asof')).toBe(after);
    const counts = await Promise.all([0, 1].map((k) => page.getAttribute(`[data-testid="history-side-${k}"]`, 'data-grids')));
    expect(Number(counts[0])).toBeGreaterThan(3);
    expect(counts[0]).toBe(counts[1]);
    const changed = page.locator('[data-testid="history-changed"]');
    await changed.locator(`text=${BOUNDARY_CHANGE_GRID}`).first().waitFor({ timeout: WAIT_MS });
    // Two maps (MapLibre's canvas each; deck.gl adds its own), the last one holding its as-of grids.
    await page.waitForFunction(() => document.querySelectorAll('.overlay-map .maplibregl-canvas').length === 2, null, { timeout: WAIT_MS });
    await page.waitForFunction(() => (window.__dangjian?.map.querySourceFeatures('asof').length ?? 0) > 0, null, { timeout: WAIT_MS });
    await page.screenshot({ path: screenshotPath('history-compare.png') });
  });

  it('shows the foreign network over ours with the overlaps highlighted', async () => {
    await page.goto(`${server.url}/fusion`);
    const summary = page.locator('[data-testid="fusion-summary"]');
    await summary.waitFor({ timeout: LOAD_MS });
    const spanning = Number(await summary.getAttribute('data-spanning'));
    expect(spanning).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="fusion-spanning"] li').count()).toBe(Math.min(40, spanning));
    await page.waitForSelector('[data-testid="fusion-map"][data-ready="true"]', { timeout: LOAD_MS });
    // The map holds the foreign grids with their spans: those spanning several are drawn red.
    await page.waitForFunction(() => (window.__dangjian?.map.querySourceFeatures('foreign').length ?? 0) > 0, null, { timeout: WAIT_MS });
    const red = await page.evaluate(
      () =>
        new Set(
          window
            .__dangjian!.map.querySourceFeatures('foreign')
            .filter((f) => Number(f.properties.spans) > 1)
            .map((f) => f.properties.code),
        ).size,
    );
    expect(red).toBeGreaterThan(0);
    expect(await page.evaluate(() => window.__dangjian!.map.getPaintProperty('foreign-fill', 'fill-color'))).toContain('#e05252');
    await page.screenshot({ path: screenshotPath('fusion-map.png') });
    expect(pageErrors).toEqual([]);
  });
});
