/**
 * Live updates in real Chromium (issue 14, point 6): one browser context shows the big
 * screen, a second one writes through the API; the screen's ticker shows the new
 * incident and 超期未结 counts up without a reload, within 2 s of the write. Then the
 * server is stopped and started again on the same port: the page reconnects on its
 * own and receives the next event.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { serveWeb } from '../../server/serveWeb';
import { openEmbeddedCopy, type TestDatabase } from '../../server/testing/databases';
import { TEST_ADMIN } from '../../server/testing/principals';
import { LOAD_MS, launchBrowser, openPage, TEST_MS, WAIT_MS } from './browser';

/** The app on `port` (0: any free one); closing drops open connections too (the live streams). */
async function serveApp(database: TestDatabase, port: number): Promise<{ port: number; close(): Promise<void> }> {
  const app = createApp(database.handle, { anonymousUser: TEST_ADMIN });
  serveWeb(app);
  const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }) as Server;
  await new Promise<void>((done) => server.once('listening', () => done()));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

/** Page time (epoch ms) when the ticker first lists incident `id`. */
function tickerShows(page: Page, id: number): Promise<number> {
  return page
    .waitForFunction((incident) => document.querySelector(`[data-testid="live-ticker"] li[data-incident-id="${incident}"]`) && Date.now(), id, { timeout: WAIT_MS, polling: 'raf' })
    .then((handle) => handle.jsonValue() as Promise<number>);
}

const kpi = (page: Page, label: string) => page.$eval(`[data-kpi="${label}"]`, (el) => Number((el.textContent ?? '').replace(/[^\d]/g, '')));

describe('live incident events in the browser', () => {
  let database: TestDatabase;
  let server: { port: number; close(): Promise<void> };
  let browser: Browser;
  let writer: BrowserContext;
  let gridCode = '';
  let communityName = '';

  beforeAll(async () => {
    database = await openEmbeddedCopy();
    server = await serveApp(database, 0);
    browser = await launchBrowser();
    writer = await browser.newContext();
    const [grid] = await database.handle.rows<{ code: string; name: string }>(sql`SELECT g.code, r.name FROM grids g JOIN regions r ON r.code = g.community_code ORDER BY g.code LIMIT 1`);
    gridCode = grid!.code;
    communityName = grid!.name;
  }, LOAD_MS);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await database?.dispose();
  });

  const url = () => `http://127.0.0.1:${server.port}`;
  const report = async (description: string) => {
    const res = await writer.request.post(`${url()}/api/incidents`, { data: { category: 'SR01', source: 'grid', gridCode, description } });
    expect(res.status()).toBe(201);
    return { id: ((await res.json()) as { id: number }).id, at: Date.now() };
  };

  it(
    'the big screen ticker and overdue count update without reload, and survive a server restart',
    async () => {
      const page = await openPage(browser, { viewport: { width: 1920, height: 1080 } });
      await page.goto(`${url()}/screen?heatmap=0&isochrones=0`);
      await page.waitForSelector('body[data-screen-ready="true"]', { timeout: LOAD_MS });
      await page.waitForSelector('[data-testid="live-ticker"][data-live-status="open"]', { timeout: WAIT_MS });
      const navigations: string[] = [];
      page.on('framenavigated', (frame) => {
        if (frame === page.mainFrame()) navigations.push(frame.url());
      });

      const first = await report('大屏实时测试：楼道堆物');
      const shownAt = await tickerShows(page, first.id);
      const latencyMs = shownAt - first.at;
      console.log(`live: ticker showed the new incident ${latencyMs} ms after the write`);
      expect(latencyMs).toBeLessThan(2_000);
      await expect.poll(() => page.textContent(`[data-testid="live-ticker"] li[data-incident-id="${first.id}"]`)).toContain(communityName);

      // Another writer (straight into the tables, as a batch or the hotline would): an overdue case.
      const overdueBefore = await kpi(page, '超期未结');
      const [overdue] = await database.handle.rows<{ id: number }>(sql`
        WITH ins AS (
          INSERT INTO incidents (category_code, source, geom, grid_code, community_code, street_code, stage, reported_at, deadline_at)
          SELECT 'SR01', 'grid', label_point, code, community_code, street_code, 'register', now(), now() - interval '1 hour' FROM grids WHERE code = ${gridCode}
          RETURNING id)
        INSERT INTO incident_transitions (incident_id, from_stage, to_stage, actor, at, action) SELECT id, NULL, 'collect', '测试', now(), 'stage' FROM ins RETURNING incident_id AS id`);
      const overdueAt = Date.now();
      await page.waitForFunction((before) => Number((document.querySelector('[data-kpi="超期未结"]')?.textContent ?? '').replace(/[^\d]/g, '')) === before + 1, overdueBefore, { timeout: WAIT_MS });
      console.log(`live: 超期未结 ${overdueBefore} → ${overdueBefore + 1} after ${Date.now() - overdueAt} ms (incl. 0.9 s count-up)`);
      await tickerShows(page, overdue!.id);

      // Restart on the same port: the page notices, reconnects by itself and gets the next event.
      const port = server.port;
      await server.close();
      await page.waitForSelector('[data-testid="live-ticker"][data-live-status="reconnecting"]', { timeout: WAIT_MS });
      server = await serveApp(database, port);
      await page.waitForSelector('[data-testid="live-ticker"][data-live-status="open"]', { timeout: WAIT_MS });
      const afterRestart = await report('重启之后的事件');
      await tickerShows(page, afterRestart.id);
      expect(navigations).toEqual([]);
    },
    TEST_MS,
  );
});
