/**
 * 网格通's first load on a throttled phone (issue 15 point 7): Chromium with a phone's
 * emulation and CDP Network.emulateNetworkConditions (1.6 Mbit/s down, 750 kbit/s up,
 * 150 ms RTT), cache disabled, no service worker — from navigation to /m/tasks to an
 * interactive 我的任务 list (the list and its counts rendered, a tab answering a tap).
 * Baseline: the same load unthrottled, in the same run. Target < 6 s.
 * A grid worker of a scale grid with 20 cases dispatched to them is created for the run.
 *
 *   npm run bench -- --only mobile --grids 3000   (needs `npx vite build` first)
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { createUser } from '../server/auth/users';
import { createApp } from '../server/app';
import { serveWeb } from '../server/serveWeb';
import { launchBrowser } from '../web/e2e/browser';
import { PHONE } from '../web/e2e/phone';
import type { BenchSuite } from './lib/suite';

const RUNS = 3;
const TARGET_MS = 6000;
const PASSWORD = 'bench-mobile-password-2026';
const THROTTLED = { offline: false, latency: 150, downloadThroughput: (1.6e6 / 8) | 0, uploadThroughput: (750e3 / 8) | 0 };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function firstLoad(browser: Browser, url: string, throttle: boolean): Promise<number> {
  const context = await browser.newContext({ ...PHONE, serviceWorkers: 'block' });
  try {
    const login = await context.request.post(`${url}/api/auth/login`, { data: { username: 'bench-m', password: PASSWORD } });
    if (!login.ok()) throw new Error(`login: ${login.status()} ${await login.text()}`);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (throttle) await cdp.send('Network.emulateNetworkConditions', THROTTLED);
    const started = Date.now();
    await page.goto(`${url}/m/tasks`, { waitUntil: 'commit', timeout: 120_000 });
    await page.getByTestId('task-list').locator('li').first().waitFor({ timeout: 120_000 });
    await page.waitForFunction(() => document.querySelector('[data-testid="count-to_sign"]')?.textContent !== '…', null, { timeout: 120_000 });
    // Interactive: a tap on another tab of the list is answered.
    await page.getByRole('tab', { name: /待处置/ }).tap({ timeout: 120_000 });
    await page.waitForFunction(() => document.querySelector('[role="tab"][aria-selected="true"]')?.textContent?.includes('待处置'), null, { timeout: 120_000 });
    return Date.now() - started;
  } finally {
    await context.close();
  }
}

export const suite: BenchSuite = {
  name: 'mobile',
  title: '网格通 (/m) first load to an interactive 我的任务 list, phone emulation at 1.6 Mbit/s, 150 ms RTT vs unthrottled (headless Chromium)',
  async run({ db }) {
    const [grid] = await db.rows<{ code: string; lon: number; lat: number }>(sql`
      SELECT code, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM grids ORDER BY code LIMIT 1`);
    await db.db.execute(sql`DELETE FROM users WHERE username IN ('bench-m', 'bench-m-disp')`);
    const worker = await createUser(db, { username: 'bench-m', displayName: '压测网格员', role: 'grid_worker', password: PASSWORD, gridCodes: [grid!.code] });
    const street = grid!.code.slice(0, 9);
    await createUser(db, { username: 'bench-m-disp', displayName: '压测受理员', role: 'dispatcher', password: PASSWORD, jurisdictionCode: street });
    const app = createApp(db, { anonymousUser: null });
    if (!serveWeb(app)) throw new Error('web/dist missing: run `npx vite build` first');
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((done) => server.once('listening', () => done()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const browser = await launchBrowser();
    try {
      // 20 cases in the worker's 待签收.
      const disp = await browser.newContext();
      await disp.request.post(`${url}/api/auth/login`, { data: { username: 'bench-m-disp', password: PASSWORD } });
      for (let i = 0; i < 20; i++) {
        const created = await disp.request.post(`${url}/api/incidents`, { data: { category: 'SR01', description: `压测任务 ${i + 1}`, lon: grid!.lon, lat: grid!.lat, source: 'hotline' } });
        const { id, stage } = (await created.json()) as { id: number; stage: string };
        await disp.request.post(`${url}/api/incidents/${id}/actions`, { data: { action: 'dispatch', expectedStage: stage, assigneeUserId: worker } });
      }
      await disp.close();
      const fast: number[] = [];
      const slow: number[] = [];
      for (let r = 0; r < RUNS; r++) {
        fast.push(await firstLoad(browser, url, false));
        slow.push(await firstLoad(browser, url, true));
      }
      const base = median(fast);
      const throttled = median(slow);
      console.log(`  unthrottled (baseline): median ${base} ms of ${fast.join(', ')}`);
      console.log(`  1.6 Mbit/s, 150 ms RTT: median ${throttled} ms of ${slow.join(', ')} — ${(throttled / base).toFixed(1)}× baseline; target < ${TARGET_MS} ms: ${throttled < TARGET_MS ? 'met' : 'NOT met'}`);
    } finally {
      await browser.close();
      await new Promise((done) => server.close(() => done(undefined)));
    }
  },
};
