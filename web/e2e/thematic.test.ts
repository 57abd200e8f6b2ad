import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedCopy, type TestDatabase } from '../../server/testing/databases';
import { launchBrowser, screenshotPath, startServer } from './browser';

describe('thematic layers on the map page in Chromium', () => {
  let db: TestDatabase;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    db = await openEmbeddedCopy();
    server = await startServer(db.handle);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.dispose();
  });

  it('shows service centres with their walking circles and the coverage summary', { timeout: 180_000 }, async () => {
    await page.goto(server.url);
    await page.waitForSelector('body[data-grids-rendered="true"]', { timeout: 90_000 });
    await page.getByLabel('党群服务中心与15分钟服务圈').check();
    const panel = page.getByTestId('service-circles');
    await expect.poll(() => panel.textContent(), { timeout: 120_000 }).toMatch(/111 个服务圈/);
    expect(await panel.textContent()).toMatch(/覆盖户数 [\d,]+ \/ [\d,]+/);
    await page.screenshot({ path: screenshotPath('service-circles.png') });
  });

  it('shows incidents as hexagons with a legend and playback', async () => {
    await page.getByLabel('网格事件').check();
    const incidents = page.getByTestId('incidents-panel');
    await incidents.waitFor();
    await expect.poll(() => incidents.textContent(), { timeout: 60_000 }).toMatch(/\d/);
    expect(await page.getByRole('button', { name: /播放/ }).count()).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('incidents.png') });
  });
});
