import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedCopy, type TestDatabase } from '../../server/testing/databases';
import { LOAD_MS, launchBrowser, openPage, startServer, TEST_MS, WAIT_MS } from './browser';

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
});
