/**
 * 网格通 (/m) in Chromium with a phone's emulation (390×844, touch, isMobile, a mocked GPS
 * fix inside the worker's grid): a report with two photos arrives through the workbench
 * API (photos shrunk to ≤ 1600 px in the browser); two reports made offline are sent once
 * back online — exactly two incidents even though the first upload's answer is cut after
 * the server did the work (the Idempotency-Key); and a grid worker sees only their grid's
 * tasks; a patrol's track is stored with its points and check-in; a visit is logged.
 * People are created here; the sample data gives the grids.
 */
import { sql } from 'drizzle-orm';
import { type Browser, type BrowserContext, type Page, request as playwrightRequest } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../server/auth/users';
import { openEmbeddedCopy, type TestDatabase } from '../../server/testing/databases';
import { LOAD_MS, launchBrowser, screenshotPath, startServer, TEST_MS, WAIT_MS } from './browser';
import { PHONE } from './phone';

const GRID_A = '450902005001001';
const STREET = '450902005';
const PASSWORD = 'mobile-test-password-2026';
const CATEGORY = 'SR01';

describe('网格通 on a phone in Chromium', { timeout: TEST_MS }, () => {
  let db: TestDatabase;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let gridB = '';
  let placeA: [number, number] = [0, 0];
  let placeB: [number, number] = [0, 0];
  let workerA = 0;
  let workerB = 0;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  const jpeg = async (colour: string, width: number, height: number) => ({
    name: `${colour.slice(1)}.jpg`,
    mimeType: 'image/jpeg',
    buffer: await sharp({ create: { width, height, channels: 3, background: colour } })
      .jpeg()
      .toBuffer(),
  });

  const pointIn = async (code: string): Promise<[number, number]> => {
    const [row] = await db.handle.rows<{ lon: number; lat: number }>(sql`SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM grids WHERE code = ${code}) q`);
    return [Number(row!.lon), Number(row!.lat)];
  };

  /** A phone signed in as `username` through /m's own sign-in, GPS at `at`. */
  async function phone(username: string, at: [number, number]): Promise<Page> {
    // Service workers blocked: Playwright's route interception does not see requests a worker handles.
    const context = await browser.newContext({ ...PHONE, geolocation: { longitude: at[0], latitude: at[1], accuracy: 12 }, permissions: ['geolocation'], serviceWorkers: 'block' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(LOAD_MS);
    page.on('pageerror', (e) => pageErrors.push(`${username}: ${e.message}`));
    await page.goto(`${server.url}/m/tasks`);
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).tap();
    await page.getByRole('tablist', { name: '我的任务' }).waitFor();
    return page;
  }

  async function fillReport(page: Page, description: string, photos: { name: string; mimeType: string; buffer: Buffer }[]) {
    await page.getByRole('link', { name: /上报/ }).tap();
    await page.getByRole('combobox', { name: '类别' }).selectOption(CATEGORY);
    await page.getByLabel(/^描述/).fill(description);
    if (photos.length > 0) {
      await page.getByTestId('photo-album').setInputFiles(photos);
      await page
        .getByRole('list', { name: '已选照片' })
        .getByRole('listitem')
        .nth(photos.length - 1)
        .waitFor();
    }
    await page
      .getByTestId('report-place')
      .getByText(/GPS：.*精度约 12 米/)
      .waitFor();
    await page.getByRole('button', { name: '提交上报' }).tap();
    await page.getByTestId('report-done').waitFor();
  }

  const statuses = (page: Page) => page.getByTestId('queue-item').evaluateAll((items) => items.map((i) => i.getAttribute('data-status')));
  const incidentsWith = async (prefix: string) => (await db.handle.rows<{ id: number }>(sql`SELECT id FROM incidents WHERE description LIKE ${`${prefix}%`} ORDER BY id`)).map((r) => Number(r.id));

  beforeAll(async () => {
    db = await openEmbeddedCopy();
    const [other] = await db.handle.rows<{ code: string }>(sql`SELECT code FROM grids WHERE street_code = ${STREET} AND code <> ${GRID_A} ORDER BY code LIMIT 1`);
    gridB = other!.code;
    placeA = await pointIn(GRID_A);
    placeB = await pointIn(gridB);
    workerA = await createUser(db.handle, { username: 'm-wang', displayName: '王网格', role: 'grid_worker', password: PASSWORD, gridCodes: [GRID_A] });
    workerB = await createUser(db.handle, { username: 'm-zhou', displayName: '周网格', role: 'grid_worker', password: PASSWORD, gridCodes: [gridB] });
    await createUser(db.handle, { username: 'm-disp', displayName: '孙受理', role: 'dispatcher', password: PASSWORD, jurisdictionCode: STREET });
    server = await startServer(db.handle, { anonymousUser: null });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
    await db?.dispose();
  });

  it('reports with two photos from the phone; the incident and its photos are in the workbench', async () => {
    const page = await phone('m-wang', placeA);
    // A phone photo is far larger than the upload: it is shrunk in the browser.
    await fillReport(page, '手机上报：人行道井盖缺失', [await jpeg('#c0392b', 3200, 2400), await jpeg('#2980b9', 1200, 900)]);
    await page.getByRole('link', { name: /队列/ }).tap();
    await expect.poll(() => statuses(page), { timeout: WAIT_MS }).toEqual(['sent']);
    await page.screenshot({ path: screenshotPath('mobile-queue.png') });

    const [id] = await incidentsWith('手机上报：人行道井盖缺失');
    expect(id).toBeDefined();
    // Through the workbench's own API, as the reporter: 我上报的 lists it; its photos are there.
    const mine = await page.request.get(`${server.url}/api/incidents/inbox?tab=mine&pageSize=200`);
    const items = ((await mine.json()) as { items: { id: number; gridCode: string; category: { code: string } }[] }).items;
    expect(items.find((i) => i.id === id)).toMatchObject({ gridCode: GRID_A, category: { code: CATEGORY } });
    const photos = ((await (await page.request.get(`${server.url}/api/incidents/${id}/photos`)).json()) as { photos: { width: number; height: number; uploadedBy: unknown }[] }).photos;
    expect(photos.map((p) => [p.width, p.height])).toEqual([
      [1600, 1200],
      [1200, 900],
    ]);
  });

  it('keeps two offline reports and sends each exactly once when back, even when the first answer is cut', async () => {
    const page = await phone('m-wang', placeA);
    // The worker opened 上报 once online (its categories and my grids are kept), then walks into a dead zone.
    await page.getByRole('link', { name: /上报/ }).tap();
    await page.locator(`option[value="${CATEGORY}"]`).waitFor({ state: 'attached' });
    await page.getByText('在我的网格内').waitFor();
    await page.context().setOffline(true);
    await page.getByTestId('offline-badge').waitFor();
    await fillReport(page, '离线上报一：路灯不亮', [await jpeg('#16a085', 800, 600)]);
    await fillReport(page, '离线上报二：垃圾堆放', []);
    await page.getByRole('link', { name: /队列/ }).tap();
    await expect.poll(() => statuses(page), { timeout: WAIT_MS }).toEqual(['pending', 'pending']);
    expect(await page.getByTestId('queue-badge').textContent()).toBe('2');
    expect(await incidentsWith('离线上报')).toEqual([]);

    // The first report reaches the server, which writes it; its answer never reaches the phone.
    let cut = 0;
    await page.route(`${server.url}/api/incidents`, async (route) => {
      if (route.request().method() !== 'POST' || cut > 0) return route.fallback();
      cut++;
      await route.fetch();
      await route.abort('connectionreset');
    });
    await page.context().setOffline(false);
    await expect.poll(() => statuses(page), { timeout: WAIT_MS }).toEqual(['sent', 'sent']);
    expect(cut).toBe(1);
    const ids = await incidentsWith('离线上报');
    expect(ids).toHaveLength(2);
    const [photos] = await db.handle.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM incident_photos WHERE incident_id = ${ids[0]!}`);
    expect(Number(photos!.n)).toBe(1);
  });

  it('shows a grid worker only the tasks of their own grid', async () => {
    // The dispatcher files and dispatches one case in each grid, each to that grid's worker.
    const api = await playwrightRequest.newContext({ baseURL: server.url });
    expect((await api.post('/api/auth/login', { data: { username: 'm-disp', password: PASSWORD } })).ok()).toBe(true);
    const file = async (at: [number, number], description: string, assigneeUserId: number) => {
      const created = await api.post('/api/incidents', { data: { category: CATEGORY, description, lon: at[0], lat: at[1], source: 'hotline' } });
      expect(created.status(), await created.text()).toBe(201);
      const { id, stage } = (await created.json()) as { id: number; stage: string };
      const dispatched = await api.post(`/api/incidents/${id}/actions`, { data: { action: 'dispatch', expectedStage: stage, assigneeUserId } });
      expect(dispatched.status(), await dispatched.text()).toBe(200);
      return id;
    };
    const mineId = await file(placeA, '本网格任务：消防通道占用', workerA);
    const otherId = await file(placeB, '他网格任务：广告乱贴', workerB);
    await api.dispose();

    const page = await phone('m-wang', placeA);
    await page.getByTestId(`task-${mineId}`).waitFor();
    expect(await page.getByTestId(`task-${otherId}`).count()).toBe(0);
    expect(Number(await page.getByTestId('count-to_sign').textContent())).toBeGreaterThanOrEqual(1);
    // Nor can the phone read the other grid's case directly.
    expect((await page.request.get(`${server.url}/api/incidents/${otherId}`)).status()).toBeGreaterThanOrEqual(403);

    // 签收 from the phone goes through the outbox and moves the case on.
    await page.getByTestId(`task-${mineId}`).getByRole('button', { expanded: false }).tap();
    await page.getByTestId(`task-${mineId}`).getByRole('button', { name: '签收', exact: true }).tap();
    await page.getByRole('button', { name: '提交签收' }).tap();
    await expect.poll(async () => (await db.handle.rows<{ stage: string }>(sql`SELECT stage FROM incidents WHERE id = ${mineId}`))[0]?.stage, { timeout: WAIT_MS }).toBe('handle');
    await page.screenshot({ path: screenshotPath('mobile-tasks.png') });
    expect(pageErrors).toEqual([]);
  });

  it('records a patrol with its track points and a check-in, and a visit', async () => {
    const page = await phone('m-wang', placeA);
    await page.getByRole('link', { name: /巡查/ }).tap();
    await page.getByRole('button', { name: '开始巡查' }).tap();
    await page
      .getByTestId('patrol-notice')
      .getByText(/已记录 1 个点/)
      .waitFor();
    // The worker walks on: the next fix is taken by the page's own 20 s timer.
    await page.context().setGeolocation({ longitude: placeA[0] + 0.0004, latitude: placeA[1] + 0.0003, accuracy: 8 });
    await page
      .getByTestId('patrol-notice')
      .getByText(/已记录 2 个点/)
      .waitFor({ timeout: WAIT_MS });
    await page.getByLabel('打卡地点').fill('小区东门');
    await page.getByRole('button', { name: '打卡' }).tap();
    await page.getByRole('button', { name: '结束巡查' }).tap();
    await page.getByRole('button', { name: '开始巡查' }).waitFor();
    const patrol = async () =>
      (
        await db.handle.rows<{ status: string; points: number; checkins: number }>(sql`
          SELECT p.status, (SELECT count(*)::int FROM patrol_points WHERE patrol_id = p.id) AS points, (SELECT count(*)::int FROM patrol_checkins WHERE patrol_id = p.id) AS checkins
          FROM patrols p WHERE p.user_id = ${workerA} ORDER BY p.id DESC LIMIT 1`)
      )[0];
    await expect.poll(async () => (await patrol())?.status, { timeout: WAIT_MS }).toBe('ended');
    expect(await patrol()).toMatchObject({ points: 2, checkins: 1 });
    const mine = (await (await page.request.get(`${server.url}/api/patrols/mine`)).json()) as { active: unknown };
    expect(mine.active).toBeNull();

    await page.getByRole('link', { name: /走访/ }).tap();
    await page.getByLabel(/住户或楼栋/).fill('3栋2单元501');
    await page.getByLabel(/走访情况/).fill('独居老人，身体良好');
    await page.getByRole('button', { name: '记录走访' }).tap();
    await expect.poll(async () => (await db.handle.rows<{ target: string }>(sql`SELECT target FROM visits WHERE grid_code = ${GRID_A} ORDER BY id DESC LIMIT 1`))[0]?.target, { timeout: WAIT_MS }).toBe('3栋2单元501');
    expect(pageErrors).toEqual([]);
  });
});
