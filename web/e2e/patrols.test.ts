/**
 * The patrol-tracks layer on the desktop map in Chromium (issue 15 point 4): with the
 * sample's patrols (data/fieldSample.ts) loaded, switching on 网格员巡查轨迹 for 五里桥社区
 * draws the tracks (deck.gl paths in the workers' colours where the API says they run)
 * and lists the workers with their figures.
 */
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESK_GRIDS } from '../../data/sampleAccounts';
import { ensureSampleUsers } from '../../server/auth/users';
import { openEmbeddedCopy, type TestDatabase } from '../../server/testing/databases';
import { workerColour } from '../src/features/patrols/patrolStyle';
import { LOAD_MS, launchBrowser, mapIdle, openPage, screenshotPath, startServer, TEST_MS, WAIT_MS } from './browser';

describe('patrol tracks on the map page in Chromium', { timeout: TEST_MS }, () => {
  let db: TestDatabase;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    db = await openEmbeddedCopy();
    await ensureSampleUsers(db.handle);
    server = await startServer(db.handle);
    browser = await launchBrowser();
    page = await openPage(browser, { viewport: { width: 1600, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.dispose();
  });

  it('draws the community’s tracks coloured by worker, with the legend of workers', async () => {
    const community = DESK_GRIDS.g1.slice(0, 12);
    type Tracks = { features: { properties: { userId: number }; geometry: { coordinates: [number, number][] } | null }[]; workers: unknown[] };
    let tracks: Tracks | null = null;
    page.on('response', async (res) => {
      if (new URL(res.url()).pathname === '/api/patrols' && res.ok()) tracks = (await res.json()) as Tracks;
    });
    await page.goto(server.url);
    await page.waitForSelector('body[data-grids-rendered="true"]', { timeout: LOAD_MS });
    await page.getByLabel('网格员巡查轨迹').check();
    await page.getByLabel('社区编码').fill(community);
    const panel = page.getByTestId('patrols-panel');
    await expect.poll(async () => Number(await panel.getAttribute('data-paths')), { timeout: WAIT_MS }).toBeGreaterThan(10);
    expect(await panel.textContent()).toMatch(/名网格员/);
    expect(await panel.locator('.patrols-legend li').count()).toBe((tracks as unknown as Tracks).workers.length);

    // Centre on one track and look for its worker's colour on the canvas around it.
    const track = (tracks as unknown as Tracks).features.find((f) => f.geometry)!;
    const [lon, lat] = track.geometry!.coordinates[0]!;
    // z14: below the micro grids (z15+), whose fills would tint the tracks in 五里桥社区.
    await page.evaluate((c) => window.__dangjian!.map.jumpTo({ center: c, zoom: 14 }), [lon, lat] as [number, number]);
    await mapIdle(page);
    const at = await page.evaluate(
      (c) => {
        const map = window.__dangjian!.map;
        const p = map.project(c);
        const r = map.getCanvas().getBoundingClientRect();
        return { x: r.left + p.x, y: r.top + p.y };
      },
      [lon, lat] as [number, number],
    );
    const colours = (tracks as unknown as Tracks).features.map((f) => workerColour(f.properties.userId));
    await expect
      .poll(
        async () => {
          const shot = await page.screenshot({ clip: { x: at.x - 60, y: at.y - 60, width: 120, height: 120 } });
          const { data, info } = await sharp(shot).raw().toBuffer({ resolveWithObject: true });
          let hits = 0;
          for (let i = 0; i < data.length; i += info.channels) {
            if (colours.some((c) => Math.abs(data[i]! - c[0]) < 30 && Math.abs(data[i + 1]! - c[1]) < 30 && Math.abs(data[i + 2]! - c[2]) < 30)) hits++;
          }
          return hits;
        },
        { timeout: WAIT_MS },
      )
      .toBeGreaterThan(20);
    await page.screenshot({ path: screenshotPath('patrol-tracks.png') });
  });
});
