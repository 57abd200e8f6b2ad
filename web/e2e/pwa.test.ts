/**
 * 网格通 (/m) as an installed PWA in Chromium with its service worker running (the other
 * phone tests block it): the worker takes control, the manifest is installable (name,
 * 192/512 px icons that are served, start_url, standalone); after 我的网格 was opened once
 * and 下载离线底图 fetched my grids' tiles (count and size shown), a reload without a
 * network still opens the app, draws my grid and the basemap from the worker's caches, and
 * every downloaded tile is there; a report made offline waits in 队列 and is sent once back.
 * Then the conflict path: 处置反馈 queued offline on a case the dispatcher 改派 meanwhile
 * ends as 冲突 with the server's Chinese sentence, is not applied and not retried.
 */
import { sql } from 'drizzle-orm';
import { type Browser, type BrowserContext, type Page, request as playwrightRequest, type Response } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../server/auth/users';
import { openEmbeddedCopy, type TestDatabase } from '../../server/testing/databases';
import { offlinePlan } from '../src/mobile/map/offlineTiles';
import { LOAD_MS, launchBrowser, mapIdle, screenshotPath, startServer, TEST_MS, WAIT_MS } from './browser';
import { PHONE } from './phone';

const GRID_A = '450902005001001';
const STREET = '450902005';
const PASSWORD = 'pwa-test-password-2026';
const CATEGORY = 'SR01';

interface Manifest {
  name?: string;
  short_name?: string;
  start_url?: string;
  scope?: string;
  display?: string;
  icons?: { src: string; sizes: string; type?: string; purpose?: string }[];
}

describe('网格通 offline with its service worker in Chromium', { timeout: TEST_MS }, () => {
  let db: TestDatabase;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let place: [number, number] = [0, 0];
  let workerB = 0;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  /** A phone with service workers allowed, signed in through /m's own sign-in, its worker in control. */
  async function phone(username: string): Promise<Page> {
    const context = await browser.newContext({ ...PHONE, geolocation: { longitude: place[0], latitude: place[1], accuracy: 12 }, permissions: ['geolocation'], serviceWorkers: 'allow' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(LOAD_MS);
    page.setDefaultNavigationTimeout(LOAD_MS);
    page.on('pageerror', (e) => pageErrors.push(`${username}: ${e.message}`));
    await page.goto(`${server.url}/m/tasks`);
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).tap();
    await page.getByRole('tablist', { name: '我的任务' }).waitFor();
    // The worker installs (precaching the app shell), activates and claims the page.
    await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated', null, { timeout: WAIT_MS });
    return page;
  }

  const statuses = (page: Page) => page.getByTestId('queue-item').evaluateAll((items) => items.map((i) => i.getAttribute('data-status')));
  const cached = (page: Page, cache: string) => page.evaluate(async (name) => (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname), cache);

  beforeAll(async () => {
    db = await openEmbeddedCopy();
    const [row] = await db.handle.rows<{ lon: number; lat: number }>(sql`SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM grids WHERE code = ${GRID_A}) q`);
    place = [Number(row!.lon), Number(row!.lat)];
    await createUser(db.handle, { username: 'p-li', displayName: '李网格', role: 'grid_worker', password: PASSWORD, gridCodes: [GRID_A] });
    workerB = await createUser(db.handle, { username: 'p-zhao', displayName: '赵网格', role: 'grid_worker', password: PASSWORD, gridCodes: [GRID_A] });
    await createUser(db.handle, { username: 'p-disp', displayName: '钱受理', role: 'dispatcher', password: PASSWORD, jurisdictionCode: STREET });
    server = await startServer(db.handle, { anonymousUser: null });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
    await db?.dispose();
  });

  it('is installable, keeps the shell, my grid and its downloaded tiles offline, and sends an offline report once back', async () => {
    const page = await phone('p-li');

    // The manifest is linked, parses, and has what Chromium asks of an installable app.
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    expect(href).toBe('/m/manifest.webmanifest');
    const manifestRes = await page.request.get(`${server.url}${href}`);
    expect(manifestRes.status()).toBe(200);
    const manifest = (await manifestRes.json()) as Manifest;
    expect(manifest).toMatchObject({ name: expect.stringContaining('网格通'), short_name: '网格通', display: 'standalone', start_url: expect.stringMatching(/^\/m(\/|$)/) });
    expect(new URL(manifest.start_url!, server.url).pathname.startsWith(manifest.scope ?? '/')).toBe(true);
    for (const size of [192, 512]) {
      const icon = manifest.icons?.find((i) => i.sizes === `${size}x${size}` && (i.purpose ?? 'any').includes('any'));
      expect(icon, `${size} px icon`).toBeDefined();
      const png = await page.request.get(new URL(icon!.src, server.url).href);
      expect(png.status()).toBe(200);
      expect(await sharp(await png.body()).metadata()).toMatchObject({ format: 'png', width: size, height: size });
    }
    // The shell the worker precached: the page and its scripts.
    expect(await cached(page, (await page.evaluate(() => caches.keys())).find((k) => k.includes('precache'))!)).toEqual(expect.arrayContaining(['/m.html', '/m/manifest.webmanifest']));

    // 我的网格 once online: the map draws my grid; its answer and the tiles go into the worker's caches.
    await page.getByRole('link', { name: /我的网格/ }).tap();
    await page.getByTestId(`grid-${GRID_A}`).waitFor();
    await page.waitForFunction(() => window.__dangjian?.map.loaded(), null, { timeout: WAIT_MS });
    await mapIdle(page);
    expect(await cached(page, 'm-api')).toContain('/api/me/grids');
    expect((await cached(page, 'm-tiles')).some((p) => p.startsWith('/tiles/base/'))).toBe(true);

    // 下载离线底图: the tiles of my grids' bbox at zooms 12–16, with count and size.
    const { bbox } = (await (await page.request.get(`${server.url}/api/me/grids`)).json()) as { bbox: [number, number, number, number] };
    const plan = offlinePlan(bbox);
    expect(plan.dropped).toEqual([]);
    await page.getByRole('button', { name: '下载离线底图' }).tap();
    const done = await page.getByTestId('tiles-done').textContent({ timeout: WAIT_MS });
    expect(done).toMatch(new RegExp(`^离线底图已下载：${plan.urls.length} 个瓦片，[\\d.]+ (KB|MB)（缩放 12–16 级）`));
    expect(await cached(page, 'm-tiles')).toEqual(expect.arrayContaining(plan.urls));

    // No network: the reload is served by the worker (shell, my grids, tiles).
    await page.context().setOffline(true);
    const responses: Response[] = [];
    page.on('response', (r) => responses.push(r));
    const failedTiles: string[] = [];
    page.on('requestfailed', (r) => {
      if (new URL(r.url()).pathname.startsWith('/tiles/')) failedTiles.push(r.url());
    });
    const shell = await page.reload();
    expect(shell?.fromServiceWorker()).toBe(true);
    await page.getByTestId('offline-badge').waitFor();
    await page.getByTestId(`grid-${GRID_A}`).waitFor();
    await page.waitForFunction(() => window.__dangjian?.map.loaded(), null, { timeout: WAIT_MS });
    await mapIdle(page);
    const drawn = await page.evaluate(() => {
      const map = window.__dangjian!.map;
      return { grids: map.querySourceFeatures('m-grids').length, roads: map.querySourceFeatures('base', { sourceLayer: 'roads' }).length, zoom: map.getZoom() };
    });
    expect(drawn.grids).toBeGreaterThan(0);
    expect(drawn.roads).toBeGreaterThan(0);
    const tileAnswers = responses.filter((r) => new URL(r.url()).pathname.startsWith('/tiles/base/'));
    expect(tileAnswers.length).toBeGreaterThan(0);
    expect(tileAnswers.every((r) => r.fromServiceWorker() && r.status() === 200)).toBe(true);
    expect(responses.find((r) => new URL(r.url()).pathname === '/api/me/grids')?.fromServiceWorker()).toBe(true);
    expect(failedTiles).toEqual([]);
    // Every downloaded tile answers offline (from the cache), and the network really is gone.
    const offline = await page.evaluate(async (urls) => {
      const ok = await Promise.all(
        urls.map((u) =>
          fetch(u).then(
            (r) => r.ok,
            () => false,
          ),
        ),
      );
      const network = await fetch('/api/auth/me').then(
        () => 'answered',
        () => 'unreachable',
      );
      return { missing: urls.filter((_, i) => !ok[i]), network };
    }, plan.urls);
    expect(offline).toEqual({ missing: [], network: 'unreachable' });
    await page.screenshot({ path: screenshotPath('pwa-offline-grid.png') });

    // A report made offline waits in 队列 and is sent when the network is back.
    await page.getByRole('link', { name: /上报/ }).tap();
    await page.getByRole('combobox', { name: '类别' }).selectOption(CATEGORY);
    await page.getByLabel(/^描述/).fill('离线PWA上报：护栏损坏');
    await page
      .getByTestId('report-place')
      .getByText(/GPS：.*精度约 12 米/)
      .waitFor();
    await page.getByRole('button', { name: '提交上报' }).tap();
    await page.getByTestId('report-done').waitFor();
    await page.getByRole('link', { name: /队列/ }).tap();
    await expect.poll(() => statuses(page), { timeout: WAIT_MS }).toEqual(['pending']);
    await page.context().setOffline(false);
    await expect.poll(() => statuses(page), { timeout: WAIT_MS }).toEqual(['sent']);
    const rows = await db.handle.rows<{ id: number }>(sql`SELECT id FROM incidents WHERE description = '离线PWA上报：护栏损坏'`);
    expect(rows).toHaveLength(1);
    expect(pageErrors).toEqual([]);
  });

  it('a 处置反馈 queued offline on a case reassigned meanwhile ends as a conflict with a clear message', async () => {
    const dispatcher = await playwrightRequest.newContext({ baseURL: server.url });
    expect((await dispatcher.post('/api/auth/login', { data: { username: 'p-disp', password: PASSWORD } })).ok()).toBe(true);
    const created = await dispatcher.post('/api/incidents', { data: { category: CATEGORY, description: '冲突测试：井盖松动', lon: place[0], lat: place[1], source: 'hotline' } });
    expect(created.status(), await created.text()).toBe(201);
    const { id, stage } = (await created.json()) as { id: number; stage: string };
    const [me] = await db.handle.rows<{ id: number }>(sql`SELECT id FROM users WHERE username = 'p-li'`);
    const dispatched = await dispatcher.post(`/api/incidents/${id}/actions`, { data: { action: 'dispatch', expectedStage: stage, assigneeUserId: Number(me!.id) } });
    expect(dispatched.status(), await dispatched.text()).toBe(200);

    const page = await phone('p-li');
    const signed = await page.request.post(`${server.url}/api/incidents/${id}/actions`, { data: { action: 'sign', expectedStage: 'dispatch' } });
    expect(signed.status(), await signed.text()).toBe(200);
    // 待处置: the worker opens the case (its timeline is loaded), then loses the network.
    await page.getByRole('tab', { name: /待处置/ }).tap();
    const card = page.getByTestId(`task-${id}`);
    await card.getByRole('button', { expanded: false }).tap();
    await card.getByRole('button', { name: '处置反馈', exact: true }).waitFor();
    await page.context().setOffline(true);
    await page.getByTestId('offline-badge').waitFor();
    await card.getByRole('button', { name: '处置反馈', exact: true }).tap();
    await card.getByLabel(/处置情况/).fill('已重新固定井盖');
    await card.getByRole('button', { name: '提交处置反馈' }).tap();
    await page.getByRole('link', { name: /队列/ }).tap();
    await expect.poll(() => statuses(page), { timeout: WAIT_MS }).toEqual(['pending']);

    // Meanwhile the dispatcher 改派 the case to another worker.
    const redispatched = await dispatcher.post(`/api/incidents/${id}/actions`, { data: { action: 'redispatch', expectedStage: 'handle', assigneeUserId: workerB, note: '人手调整' } });
    expect(redispatched.status(), await redispatched.text()).toBe(200);
    await dispatcher.dispose();
    const history = async () => (await db.handle.rows<{ action: string }>(sql`SELECT action FROM incident_transitions WHERE incident_id = ${id} ORDER BY id`)).map((r) => r.action);
    const before = await history();

    let refusals = 0;
    page.on('response', (r) => {
      if (r.request().method() === 'POST' && new URL(r.url()).pathname === `/api/incidents/${id}/actions` && r.status() === 409) refusals++;
    });
    await page.context().setOffline(false);
    await expect.poll(() => statuses(page), { timeout: WAIT_MS }).toEqual(['conflict']);
    const item = page.getByTestId('queue-item').filter({ hasText: '处置反馈' });
    expect(await item.getByRole('alert').textContent()).toBe('服务器上的情况已变化：该案件已改派给 赵网格，您的处置反馈未提交。此操作未执行，请查看最新情况后重新操作。');
    expect(await item.getByTestId('queue-status').textContent()).toBe('冲突');
    await item.getByRole('button', { name: '知道了，删除' }).waitFor();
    expect(await item.getByRole('button', { name: '重试' }).count()).toBe(0);
    // Not applied, and not retried: the server refused it once; a later sync round (a visit recorded online) passes it by.
    expect(await history()).toEqual(before);
    expect(before.at(-1)).toBe('redispatch');
    expect(refusals).toBe(1);
    await page.getByRole('link', { name: /走访/ }).tap();
    await page.getByLabel(/住户或楼栋/).fill('5栋1单元201');
    await page.getByLabel(/走访情况/).fill('反映井盖松动已有人处理');
    await page.getByRole('button', { name: '记录走访' }).tap();
    await page.getByRole('link', { name: /队列/ }).tap();
    await expect.poll(() => statuses(page), { timeout: WAIT_MS }).toEqual(['sent', 'conflict']);
    expect(refusals).toBe(1);
    expect(await history()).toEqual(before);
    await page.screenshot({ path: screenshotPath('pwa-conflict.png') });
    expect(pageErrors).toEqual([]);
  });
});
