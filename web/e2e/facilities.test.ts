/**
 * 阵地管理 in Chromium, signed in as the sample planner of 名山街道: a click on the map places a new
 * 红色驿站, the form saves it (the region taken from the point), it appears in the list and on the
 * map, its walking circles are computed by the background job, a bad area is refused with the
 * server's reason beside the field, the area is changed, the dot is dragged to move it, and it is
 * deleted after a confirmation. A facility of another street is read-only, and placing one there
 * shows the server's 403 message.
 */
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSampleUsers, SAMPLE_PASSWORD } from '../../server/auth/users';
import { type IsochroneJob, startIsochroneJob } from '../../server/coverage/isochroneJob';
import { openEmbeddedCopy, type TestDatabase } from '../../server/testing/databases';
import { LOAD_MS, launchBrowser, mapIdle, openPage, screenshotPath, startServer, TEST_MS, WAIT_MS } from './browser';

const OWN_COMMUNITY = '450902005001';
const OTHER_STREET = '450902003';
const NAME = '测试红色驿站（浏览器）';

describe('阵地管理 page in Chromium', { timeout: TEST_MS }, () => {
  let db: TestDatabase;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let page: Page;
  let job: IsochroneJob;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    db = await openEmbeddedCopy();
    await ensureSampleUsers(db.handle);
    job = startIsochroneJob(db.handle);
    const status = await job.status();
    console.log(`walking circles at start: ${status.ready}/${status.total}`);
    server = await startServer(db.handle, { anonymousUser: null });
    browser = await launchBrowser();
    page = await openPage(browser, { viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, LOAD_MS);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await job?.stop();
    await db?.dispose();
  });

  /** The label point of the grid in `prefix` farthest from every facility: an empty spot to click. */
  async function emptySpot(prefix: string): Promise<[number, number]> {
    const [p] = await db.handle.rows<{ lon: number; lat: number }>(sql`
      SELECT ST_X(g.label_point) AS lon, ST_Y(g.label_point) AS lat FROM grids g
      WHERE g.code LIKE ${`${prefix}%`}
      ORDER BY (SELECT min(ST_Distance(c.geom::geography, g.label_point::geography)) FROM service_centres c) DESC LIMIT 1`);
    return [Number(p!.lon), Number(p!.lat)];
  }

  /** Centres the map on a point and returns its pixel on the page. */
  async function showOnMap(at: [number, number]): Promise<{ x: number; y: number }> {
    await page.evaluate((c) => window.__dangjian!.map.jumpTo({ center: c, zoom: 16 }), at);
    await mapIdle(page);
    return pixelOf(at);
  }

  async function pixelOf(at: [number, number]): Promise<{ x: number; y: number }> {
    const box = (await page.getByTestId('facilities-map').boundingBox())!;
    const p = await page.evaluate((c) => window.__dangjian!.map.project(c), at);
    return { x: box.x + p.x, y: box.y + p.y };
  }

  /** The names of the facility dots drawn at a pixel of the page. */
  async function dotsAt(pixel: { x: number; y: number }): Promise<string[]> {
    const box = (await page.getByTestId('facilities-map').boundingBox())!;
    return page.evaluate(({ x, y }) => window.__dangjian!.map.queryRenderedFeatures([x, y], { layers: ['facilities-dots'] }).map((f) => String(f.properties.name)), { x: pixel.x - box.x, y: pixel.y - box.y });
  }

  const row = async (name: string) =>
    (
      await db.handle.rows<{ id: number; area_m2: number; kind: string; level: string; region_code: string; lon: number; lat: number }>(
        sql`SELECT id, area_m2, kind, level, region_code, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM service_centres WHERE name = ${name}`,
      )
    )[0];

  it('a planner creates a 红色驿站 on the map, edits, moves and deletes it', async () => {
    await page.goto(`${server.url}/facilities`);
    await page.waitForURL(/\/login\?next=%2Ffacilities/);
    await page.getByLabel('用户名').fill('mingshan');
    await page.getByLabel('密码').fill(SAMPLE_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${server.url}/facilities`);
    await page.getByRole('link', { name: '阵地管理' }).waitFor();
    await page.waitForSelector('[data-testid="facilities-map"][data-ready="true"]', { timeout: LOAD_MS });
    await expect.poll(() => page.getByTestId('facilities-table').locator('tbody tr').count(), { timeout: LOAD_MS }).toBeGreaterThan(10);

    // Place it by a click on an empty spot of the planner's own community.
    const spot = await emptySpot(OWN_COMMUNITY);
    const pixel = await showOnMap(spot);
    await page.mouse.click(pixel.x, pixel.y);
    const form = page.getByTestId('facility-form');
    await form.getByRole('heading', { name: '新建阵地' }).waitFor();
    await expect.poll(() => form.getByTestId('facility-region').textContent(), { timeout: WAIT_MS }).toContain(OWN_COMMUNITY);
    await form.getByLabel('名称').fill(NAME);
    await form.getByLabel('类型').selectOption('red_station');
    await form.getByLabel('级别').selectOption('community');
    await form.getByLabel('面积（m²）').fill('80');
    await form.getByLabel('地址').fill('五里桥路 1 号');
    await form.getByLabel('开放时间').fill('每日 08:00-20:00');
    await form.getByRole('button', { name: '新建' }).click();
    await expect.poll(() => page.getByTestId('facility-notice').textContent(), { timeout: WAIT_MS }).toContain(`已新建「${NAME}」`);
    const created = await row(NAME);
    expect(created).toMatchObject({ kind: 'red_station', level: 'community', region_code: OWN_COMMUNITY, area_m2: 80 });
    expect(Number(created!.lon)).toBeCloseTo(spot[0], 4);
    expect(Number(created!.lat)).toBeCloseTo(spot[1], 4);
    const [audit] = await db.handle.rows<{ actor: string }>(sql`SELECT actor FROM audit_log WHERE entity = 'service_centre' AND entity_id = ${String(created!.id)} AND action = 'create'`);
    expect(audit?.actor).toBe('mingshan');

    // In the list (found by name) and on the map, where it was clicked.
    await page.getByLabel('按名称搜索').fill('测试红色驿站');
    const rows = page.getByTestId('facilities-table').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: WAIT_MS }).toBe(1);
    expect(await rows.first().textContent()).toContain('红色驿站');
    expect(await rows.first().textContent()).toContain('可编辑');
    await mapIdle(page);
    expect(await dotsAt(await pixelOf(spot))).toContain(NAME);

    // The background job computes its walking circles; the page shows them ready.
    await expect.poll(() => page.getByTestId('facility-status').textContent(), { timeout: LOAD_MS }).toContain('步行圈已就绪');
    expect(await rows.first().textContent()).toContain('已就绪');

    // A bad area: the server's reason beside the field, nothing written.
    await form.getByLabel('面积（m²）').fill('-5');
    await form.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => form.getByTestId('error-areaM2').textContent(), { timeout: WAIT_MS }).toBe('面积应大于 0 平方米');
    expect(await form.getByLabel('面积（m²）').getAttribute('aria-invalid')).toBe('true');
    expect((await row(NAME))!.area_m2).toBe(80);
    await form.getByLabel('面积（m²）').fill('120.5');
    await form.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => page.getByTestId('facility-notice').textContent(), { timeout: WAIT_MS }).toContain(`已保存「${NAME}」`);
    expect((await row(NAME))!.area_m2).toBe(120.5);
    expect(await form.getByTestId('error-areaM2').count()).toBe(0);
    await expect.poll(() => rows.first().textContent(), { timeout: WAIT_MS }).toContain('120.5');

    // Drag the dot 60 px to the east, then save the new position.
    await mapIdle(page);
    const from = await pixelOf(spot);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    for (let i = 1; i <= 6; i++) await page.mouse.move(from.x + i * 10, from.y);
    await page.mouse.up();
    const moved = await page.evaluate(({ x, y }) => window.__dangjian!.map.unproject([x, y]).toArray(), {
      x: from.x + 60 - (await page.getByTestId('facilities-map').boundingBox())!.x,
      y: from.y - (await page.getByTestId('facilities-map').boundingBox())!.y,
    });
    await expect.poll(() => form.getByTestId('facility-position').textContent(), { timeout: WAIT_MS }).toContain(moved[0]!.toFixed(4).slice(0, -1));
    await form.getByRole('button', { name: '保存' }).click();
    await expect.poll(async () => Number((await row(NAME))!.lon), { timeout: WAIT_MS }).toBeGreaterThan(spot[0] + 0.0001);
    expect(Number((await row(NAME))!.lon)).toBeCloseTo(moved[0]!, 4);
    await page.screenshot({ path: screenshotPath('facilities.png') });

    // Delete after the confirmation.
    await form.getByRole('button', { name: '删除' }).click();
    await form.getByRole('button', { name: '确认删除' }).click();
    await expect.poll(() => page.getByTestId('facility-notice').textContent(), { timeout: WAIT_MS }).toContain(`已删除「${NAME}」`);
    expect(await row(NAME)).toBeUndefined();
    await expect.poll(() => rows.count(), { timeout: WAIT_MS }).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('a facility outside the jurisdiction is read-only, and placing one there shows the server’s refusal', async () => {
    const [other] = await db.handle.rows<{ name: string }>(sql`SELECT name FROM service_centres WHERE region_code LIKE ${`${OTHER_STREET}%`} ORDER BY id LIMIT 1`);
    await page.getByLabel('按名称搜索').fill(other!.name);
    const rows = page.getByTestId('facilities-table').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: WAIT_MS }).toBeGreaterThanOrEqual(1);
    expect(await rows.first().textContent()).toContain('只读');
    await rows.first().getByRole('button').click();
    const form = page.getByTestId('facility-form');
    await form.getByRole('heading', { name: '阵地详情' }).waitFor();
    expect(await form.getByTestId('facility-readonly').textContent()).toContain('不在您的辖区（450902005）内');
    expect(await form.getByLabel('名称').inputValue()).toBe(other!.name);
    expect(await form.getByLabel('名称').isDisabled()).toBe(true);
    expect(await form.getByLabel('面积（m²）').isDisabled()).toBe(true);
    expect(await form.getByRole('button', { name: '保存' }).count()).toBe(0);
    expect(await form.getByRole('button', { name: '删除' }).count()).toBe(0);

    // A new one in the other street: the page warns, the server refuses with 403 and its reason is shown.
    await form.getByRole('button', { name: '关闭表单' }).click();
    const before = (await db.handle.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM service_centres`))[0]!.n;
    const pixel = await showOnMap(await emptySpot(OTHER_STREET));
    await page.mouse.click(pixel.x, pixel.y);
    await form.getByRole('heading', { name: '新建阵地' }).waitFor();
    await expect.poll(() => form.getByTestId('facility-region').textContent(), { timeout: WAIT_MS }).toContain(OTHER_STREET);
    expect(await form.getByRole('alert').first().textContent()).toContain('不在您的辖区内');
    await form.getByLabel('名称').fill('越权驿站');
    await form.getByLabel('面积（m²）').fill('50');
    await form.getByRole('button', { name: '新建' }).click();
    await expect.poll(() => form.getByTestId('facility-problem').textContent(), { timeout: WAIT_MS }).toMatch(/^无权修改：您的辖区（450902005）不包括 450902003\d{3} 的阵地$/);
    expect((await db.handle.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM service_centres`))[0]!.n).toBe(before);
    expect(pageErrors).toEqual([]);
  });
});
