/**
 * The closed loop in Chromium, each person signed in in their own browser context:
 * a grid worker reports from the map with a photo → the dispatcher (whose open page
 * receives it live) dispatches → the department's staff signs (shortcut S) and gives
 * the handling feedback with a photo → another grid worker of the grid verifies →
 * the dispatcher records the 回访 and closes. Then 退单 approved, 督办 counted,
 * 吹哨报到 of two departments, and a resident's 回访 through the public link.
 * The people and departments are created here (no sample accounts needed).
 * And a deadline across a holiday: the working calendar's day off is skipped, on the
 * server and on the page.
 */
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWorkingTime, isWorkingDay, localDate } from '../../kernel/workCalendar';
import { createUser } from '../../server/auth/users';
import { loadWorkCalendar } from '../../server/calendar/calendar';
import { openEmbeddedCopy, type TestDatabase } from '../../server/testing/databases';
import { LOAD_MS, launchBrowser, mapIdle, openPage, screenshotPath, startServer, TEST_MS, WAIT_MS } from './browser';

const GRID = '450902005001001';
const STREET = '450902005';
const PASSWORD = 'loop-test-password-2026';
const CATEGORY = 'SR01';

interface People {
  reporter: number;
  verifier: number;
  dispatcher: number;
  staffA: number;
  staffB: number;
}

describe('incident workbench in Chromium', { timeout: TEST_MS }, () => {
  let db: TestDatabase;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let deptA: number;
  let deptB: number;
  let people: People;
  /** One browser context per person, kept for the next test (each holds a map: few contexts spare the machine). */
  const pages = new Map<string, Page>();
  const pageErrors: string[] = [];

  const photo = async (colour: string) => ({
    name: `${colour.slice(1)}.jpg`,
    mimeType: 'image/jpeg',
    buffer: await sharp({ create: { width: 64, height: 48, channels: 3, background: colour } })
      .jpeg()
      .toBuffer(),
  });

  async function department(code: string, name: string): Promise<number> {
    const [row] = await db.handle.rows<{ id: number }>(sql`
      INSERT INTO departments (code, name, level, service_region_code) VALUES (${code}, ${name}, 'street', ${STREET}) RETURNING id`);
    return row!.id;
  }

  /** A browser context of its own, signed in through the sign-in page; the loop's roles land on /incidents. */
  async function signIn(username: string): Promise<Page> {
    const open = pages.get(username);
    if (open) return open;
    const page = await openPage(browser, { viewport: { width: 1366, height: 768 } });
    page.on('pageerror', (e) => pageErrors.push(`${username}: ${e.message}`));
    pages.set(username, page);
    await page.goto(`${server.url}/login`);
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${server.url}/incidents`);
    await page.getByRole('tablist', { name: '收件箱' }).waitFor();
    return page;
  }

  const count = async (page: Page, tab: string) => Number(await page.getByTestId(`count-${tab}`).textContent());
  const stageOf = async (id: number) => (await db.handle.rows<{ stage: string }>(sql`SELECT stage FROM incidents WHERE id = ${id}`))[0]?.stage;
  const actionsOf = async (id: number) =>
    (await db.handle.rows<{ action: string; actor_username: string | null }>(sql`SELECT action, actor_username FROM incident_transitions WHERE incident_id = ${id} ORDER BY id`)).map(
      (r) => `${r.action}:${r.actor_username ?? ''}`,
    );

  /** Opens the incident from the given tab's list. */
  async function openFromTab(page: Page, tab: string, id: number) {
    await page.getByTestId(`tab-${tab}`).click();
    await page.getByTestId(`incident-${id}`).locator('.wb-item-body').click();
    await page.locator(`[data-testid="incident-detail"]`).waitFor();
  }

  /** Clicks an allowed action's button, fills its form and submits; waits for the detail's stage. */
  async function act(page: Page, action: string, fill: (form: ReturnType<Page['locator']>) => Promise<unknown> = async () => {}) {
    await page.locator(`.wb-actions [data-action="${action}"]`).click();
    const form = page.getByTestId(`form-${action}`);
    await fill(form);
    await form.getByRole('button', { name: /^确认/ }).click();
    await form.waitFor({ state: 'detached' });
  }

  const allowed = async (page: Page) => page.locator('.wb-actions [data-action]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));

  beforeAll(async () => {
    db = await openEmbeddedCopy();
    deptA = await department('E2E-CG', '名山城管中队');
    deptB = await department('E2E-SW', '名山水务站');
    await db.handle.rows(sql`INSERT INTO category_departments (category_code, department_id) VALUES (${CATEGORY}, ${deptA})`);
    const user = (username: string, displayName: string, role: 'grid_worker' | 'dispatcher' | 'dept_staff', bind: object) => createUser(db.handle, { username, displayName, role, password: PASSWORD, ...bind });
    people = {
      reporter: await user('gw-li', '李网格', 'grid_worker', { gridCodes: [GRID] }),
      verifier: await user('gw-zhao', '赵网格', 'grid_worker', { gridCodes: [GRID] }),
      dispatcher: await user('disp-wang', '王受理', 'dispatcher', { jurisdictionCode: STREET }),
      staffA: await user('cg-chen', '陈城管', 'dept_staff', { departmentId: deptA }),
      staffB: await user('sw-liu', '刘水务', 'dept_staff', { departmentId: deptB }),
    };
    server = await startServer(db.handle, { anonymousUser: null });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.dispose();
  });

  it('runs the whole loop with four people, live, with photos', async () => {
    // The dispatcher's page is open before anything is reported: the report must arrive live.
    const dispatcher = await signIn('disp-wang');
    await page0Ready(dispatcher);
    const toDispatchBefore = await count(dispatcher, 'to_dispatch');
    await dispatcher.evaluate(() => {
      (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
    });

    // 1. The grid worker reports by clicking the map where the problem is, with a photo.
    const reporter = await signIn('gw-li');
    await page0Ready(reporter);
    const [label] = await db.handle.rows<{ lon: number; lat: number }>(sql`SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM grids WHERE code = ${GRID}`);
    await reporter.getByRole('button', { name: /上报事件/ }).click();
    await reporter.evaluate(([lon, lat]) => window.__dangjian!.map.jumpTo({ center: [lon!, lat!], zoom: 16 }), [label!.lon, label!.lat]);
    await mapIdle(reporter);
    const box = (await reporter.locator('.wb-map .maplibregl-canvas').boundingBox())!;
    const xy = await reporter.evaluate(([lon, lat]) => window.__dangjian!.map.project([lon!, lat!]), [label!.lon, label!.lat]);
    await reporter.mouse.click(box.x + xy.x, box.y + xy.y);
    const create = reporter.getByTestId('create-form');
    await expect.poll(() => create.textContent(), { timeout: WAIT_MS }).toContain(`网格 ${GRID}`);
    await create.getByLabel('类别').selectOption(CATEGORY);
    await create.getByLabel('描述').fill('小区东门外建筑垃圾堆放');
    await create.locator('input[type="file"]').setInputFiles([await photo('#cc3333')]);
    await create.getByRole('button', { name: '上报' }).click();
    // From the moment the report is in the database to the dispatcher's count changing.
    await expect.poll(async () => (await db.handle.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM incidents WHERE reporter_user_id = ${people.reporter}`))[0]!.n, { timeout: WAIT_MS }).toBe(1);
    const committedAt = Date.now();
    await expect.poll(() => reporter.getByRole('status').filter({ hasText: '已上报事件' }).textContent(), { timeout: WAIT_MS }).toMatch(/#\d+/);
    const id = Number((await reporter.getByRole('status').filter({ hasText: '已上报事件' }).textContent())!.match(/#(\d+)/)![1]);
    const [incident] = await db.handle.rows<{ grid_code: string; reporter_user_id: number | null; lon: number; lat: number }>(
      sql`SELECT grid_code, reporter_user_id, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM incidents WHERE id = ${id}`,
    );
    expect({ grid: incident!.grid_code, reporter: incident!.reporter_user_id }).toEqual({ grid: GRID, reporter: people.reporter });
    const [incidentLon, incidentLat] = [Number(incident!.lon), Number(incident!.lat)];
    const [photos] = await db.handle.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM incident_photos WHERE incident_id = ${id}`);
    expect(photos!.n).toBe(1);

    // 2. The dispatcher's open page receives it without a reload, then dispatches to the category's department.
    await expect.poll(() => count(dispatcher, 'to_dispatch'), { timeout: WAIT_MS }).toBe(toDispatchBefore + 1);
    const liveMs = Date.now() - committedAt;
    expect(await dispatcher.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    console.log(`live: the dispatcher's count changed ${liveMs} ms after the report was committed`);
    // Clicking the incident's point on the map selects it.
    await dispatcher.getByTestId('tab-to_dispatch').click();
    await dispatcher.getByTestId(`incident-${id}`).waitFor();
    await dispatcher.evaluate(([lon, lat]) => window.__dangjian!.map.jumpTo({ center: [lon!, lat!], zoom: 17 }), [incidentLon, incidentLat]);
    await mapIdle(dispatcher);
    const dBox = (await dispatcher.locator('.wb-map .maplibregl-canvas').boundingBox())!;
    const dXy = await dispatcher.evaluate(([lon, lat]) => window.__dangjian!.map.project([lon!, lat!]), [incidentLon, incidentLat]);
    await dispatcher.mouse.click(dBox.x + dXy.x, dBox.y + dXy.y);
    await expect.poll(() => dispatcher.getByTestId('incident-detail').locator('h3').textContent(), { timeout: WAIT_MS }).toContain(`#${id}`);
    await expect.poll(() => dispatcher.getByTestId(`incident-${id}`).getAttribute('aria-current'), { timeout: WAIT_MS }).toBe('true');
    await act(dispatcher, 'dispatch', (form) => form.getByLabel('责任单位').selectOption(String(deptA)));
    await expect.poll(() => stageOf(id), { timeout: WAIT_MS }).toBe('dispatch');

    // 3. Department staff: 签收 by shortcut (S, then Enter in the form), then 处置反馈 with a photo.
    const staff = await signIn('cg-chen');
    await openFromTab(staff, 'to_sign', id);
    await staff.keyboard.press('s');
    const signForm = staff.getByTestId('form-sign');
    await signForm.waitFor();
    await signForm.getByRole('button', { name: /^确认/ }).click();
    await signForm.waitFor({ state: 'detached' });
    await expect.poll(() => stageOf(id), { timeout: WAIT_MS }).toBe('handle');
    await act(staff, 'handle', async (form) => {
      await form.getByLabel('处置情况').fill('已清运垃圾并设置禁止堆放标识');
      await form.locator('input[type="file"]').setInputFiles([await photo('#33aa55')]);
    });
    await expect.poll(() => stageOf(id), { timeout: WAIT_MS }).toBe('feedback');
    // The form closes once the step's photo is stored.
    const [handlePhoto] = await db.handle.rows<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM incident_photos p JOIN incident_transitions t ON t.id = p.transition_id WHERE p.incident_id = ${id} AND t.action = 'handle'`);
    expect(handlePhoto!.n).toBe(1);

    // 4. The reporter may not verify their own report (报办分离); the other grid worker of the grid does.
    await reporter.reload();
    await reporter.getByRole('tablist', { name: '收件箱' }).waitFor();
    await openFromTab(reporter, 'mine', id);
    expect(await allowed(reporter)).not.toContain('verify');
    const verifier = await signIn('gw-zhao');
    await openFromTab(verifier, 'to_verify', id);
    // The timeline shows the handling step with its photo.
    await verifier.getByTestId('step-handle').locator('img').first().waitFor();
    await act(verifier, 'verify', (form) => form.getByLabel('核实意见').fill('现场已清理干净'));
    await expect.poll(() => stageOf(id), { timeout: WAIT_MS }).toBe('close');

    // 5. The dispatcher records the 回访 and closes.
    await openFromTab(dispatcher, 'to_revisit', id);
    expect(await allowed(dispatcher)).not.toContain('close');
    await act(dispatcher, 'revisit', (form) => form.getByRole('radio', { name: '5' }).check());
    await expect.poll(() => allowed(dispatcher), { timeout: WAIT_MS }).toContain('close');
    await act(dispatcher, 'close');
    await expect.poll(() => stageOf(id), { timeout: WAIT_MS }).toBe('evaluate');
    await expect.poll(() => dispatcher.getByTestId('detail-stage').textContent(), { timeout: WAIT_MS }).toBe('评价');
    expect(await actionsOf(id)).toEqual(['report:gw-li', 'register:disp-wang', 'dispatch:disp-wang', 'sign:cg-chen', 'handle:cg-chen', 'verify:gw-zhao', 'revisit:disp-wang', 'close:disp-wang']);
    await dispatcher.screenshot({ path: screenshotPath('workbench.png') });
    expect(pageErrors).toEqual([]);
  });

  /** A JSON call as the page's signed-in user (its session cookie), answering the body; throws on a refusal. */
  async function apiAs<T = Record<string, unknown>>(page: Page, method: string, path: string, body?: unknown): Promise<T> {
    const res = await page.evaluate(
      async ([m, p, b]) => {
        const r = await fetch(p as string, { method: m as string, headers: b === undefined ? {} : { 'Content-Type': 'application/json' }, body: b === undefined ? undefined : JSON.stringify(b) });
        return { status: r.status, body: await r.json() };
      },
      [method, path, body] as const,
    );
    if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as T;
  }

  /** Reported by the dispatcher (so it is in their 我上报的) and dispatched to `departmentId` when given. */
  async function incidentBy(dispatcher: Page, description: string, departmentId?: number): Promise<number> {
    const { id } = await apiAs<{ id: number }>(dispatcher, 'POST', '/api/incidents', { category: CATEGORY, description, gridCode: GRID, source: 'grid' });
    if (departmentId !== undefined) await apiAs(dispatcher, 'POST', `/api/incidents/${id}/actions`, { action: 'dispatch', expectedStage: 'collect', departmentId });
    return id;
  }

  it('a deadline across a holiday: the next working day is made a holiday and the deadline skips it', async () => {
    const dispatcher = await signIn('disp-wang');
    const plain = await loadWorkCalendar(db.handle);
    // The first working day after today (China time) becomes a day off, as an admin would enter 调休/节假日.
    let day = new Date(Date.now() + 86_400_000);
    while (!isWorkingDay(localDate(day, plain), plain)) day = new Date(day.getTime() + 86_400_000);
    const holiday = localDate(day, plain);
    await db.handle.rows(sql`INSERT INTO work_calendar_days (date, kind, name) VALUES (${holiday}::date, 'holiday', '测试假日') ON CONFLICT (date) DO UPDATE SET kind = 'holiday'`);
    const withHoliday = await loadWorkCalendar(db.handle);

    const id = await incidentBy(dispatcher, '节前报修的路灯');
    const [row] = await db.handle.rows<{ reported_at: Date | string; deadline_at: Date | string; deadline_amount: number; deadline_unit: 'hours' | 'days' }>(sql`
      SELECT i.reported_at, i.deadline_at, c.deadline_amount, c.deadline_unit FROM incidents i JOIN incident_categories c ON c.code = i.category_code WHERE i.id = ${id}`);
    const reportedAt = new Date(row!.reported_at);
    const amount = row!.deadline_unit === 'days' ? { days: Number(row!.deadline_amount) } : { hours: Number(row!.deadline_amount) };
    const expected = addWorkingTime(reportedAt, amount, withHoliday);
    expect(new Date(row!.deadline_at).toISOString()).toBe(expected.toISOString());
    // Without the day off it would have been due earlier: the holiday is inside the span and skipped.
    expect(addWorkingTime(reportedAt, amount, plain).getTime()).toBeLessThan(expected.getTime());

    await openFromTab(dispatcher, 'to_dispatch', id);
    const shown = await dispatcher.evaluate((at) => new Date(at).toLocaleString('zh-CN', { hour12: false }), expected.toISOString());
    await expect.poll(() => dispatcher.getByTestId('detail-deadline').textContent(), { timeout: WAIT_MS }).toBe(shown);
  });

  it('退单: the department sends a case back with a reason, the dispatcher approves it back to 立案', async () => {
    const dispatcher = await signIn('disp-wang');
    const staff = await signIn('cg-chen');
    const id = await incidentBy(dispatcher, '非本单位职责的井盖问题', deptA);
    await openFromTab(staff, 'to_sign', id);
    await act(staff, 'return', (form) => form.getByLabel('退单理由').fill('井盖属水务站管理，非城管职责'));
    await expect.poll(async () => (await db.handle.rows<{ pending_request: string | null }>(sql`SELECT pending_request FROM incidents WHERE id = ${id}`))[0]?.pending_request, { timeout: WAIT_MS }).toBe('return');

    await openFromTab(dispatcher, 'to_dispatch', id);
    await expect.poll(() => dispatcher.getByTestId('detail-request').textContent(), { timeout: WAIT_MS }).toContain('井盖属水务站管理');
    expect(await allowed(dispatcher)).toEqual(expect.arrayContaining(['return_approved', 'return_refused']));
    await act(dispatcher, 'return_approved');
    await expect.poll(() => stageOf(id), { timeout: WAIT_MS }).toBe('register');
    const [row] = await db.handle.rows<{ department_id: number | null; pending_request: string | null }>(sql`SELECT department_id, pending_request FROM incidents WHERE id = ${id}`);
    expect(row).toEqual({ department_id: null, pending_request: null });
    expect((await actionsOf(id)).slice(-2)).toEqual(['return:cg-chen', 'return_approved:disp-wang']);
  });

  it("督办: the dispatcher urges twice; the department's open page shows the count live", async () => {
    const dispatcher = await signIn('disp-wang');
    const staff = await signIn('cg-chen');
    const id = await incidentBy(dispatcher, '占道经营多次投诉', deptA);
    await staff.getByTestId('tab-to_sign').click();
    await staff.getByTestId(`incident-${id}`).waitFor();
    const supervisedBefore = await count(staff, 'supervised');
    await openFromTab(dispatcher, 'mine', id);
    await act(dispatcher, 'urge', (form) => form.getByLabel('督办意见').fill('请今日内处理'));
    await expect.poll(() => dispatcher.getByTestId('detail-urges').textContent(), { timeout: WAIT_MS }).toBe('1 次');
    await act(dispatcher, 'urge');
    await expect.poll(() => dispatcher.getByTestId('detail-urges').textContent(), { timeout: WAIT_MS }).toBe('2 次');
    // No reload on the department's side: the stream brings the new count and the badge.
    await expect.poll(() => count(staff, 'supervised'), { timeout: WAIT_MS }).toBe(supervisedBefore + 1);
    await expect.poll(() => staff.getByTestId(`incident-${id}`).textContent(), { timeout: WAIT_MS }).toContain('督办 2');
    const [row] = await db.handle.rows<{ urge_count: number }>(sql`SELECT urge_count FROM incidents WHERE id = ${id}`);
    expect(row!.urge_count).toBe(2);
  });

  it('吹哨报到: two departments are summoned and each reports in from its own workbench', async () => {
    const dispatcher = await signIn('disp-wang');
    const id = await incidentBy(dispatcher, '汛期道路积水，需城管与水务联合处置');
    await apiAs(dispatcher, 'POST', `/api/incidents/${id}/actions`, { action: 'register', expectedStage: 'collect' });
    await openFromTab(dispatcher, 'mine', id);
    await act(dispatcher, 'whistle', async (form) => {
      await form.getByLabel('名山城管中队').check();
      await form.getByLabel('名山水务站').check();
      await form.getByLabel('报到时限（小时）').fill('2');
      await form.getByLabel('吹哨事由').fill('积水严重，请两单位到场');
    });
    await expect.poll(() => dispatcher.getByTestId('summons').locator('li').count(), { timeout: WAIT_MS }).toBe(2);

    for (const username of ['cg-chen', 'sw-liu']) {
      const staff = await signIn(username);
      await openFromTab(staff, 'to_sign', id);
      await act(staff, 'report_in', (form) => form.getByLabel('报到说明').fill(`${username} 已到场`));
      await expect.poll(() => allowed(staff), { timeout: WAIT_MS }).not.toContain('report_in');
    }
    // The dispatcher's open detail shows both reported, on time, without a reload.
    await expect.poll(() => dispatcher.getByTestId('summons').locator('li[data-reported="true"]').count(), { timeout: WAIT_MS }).toBe(2);
    expect(await dispatcher.getByTestId('summons').textContent()).toContain('按时报到');
    const summons = await db.handle.rows<{ department_id: number; reported: boolean }>(
      sql`SELECT department_id, reported_at IS NOT NULL AS reported FROM incident_summons WHERE incident_id = ${id} ORDER BY department_id`,
    );
    expect(summons).toEqual([
      { department_id: deptA, reported: true },
      { department_id: deptB, reported: true },
    ]);
  });

  it('回访 by the resident: a one-time link, no sign-in, then the dispatcher may close', async () => {
    const dispatcher = await signIn('disp-wang');
    const staff = await signIn('cg-chen');
    const verifier = await signIn('gw-zhao');
    const id = await incidentBy(dispatcher, '楼道杂物堆放', deptA);
    const step = (page: Page, action: string, expectedStage: string, extra: object = {}) => apiAs(page, 'POST', `/api/incidents/${id}/actions`, { action, expectedStage, ...extra });
    await step(staff, 'sign', 'dispatch');
    await step(staff, 'handle', 'handle', { note: '已清理楼道' });
    await step(verifier, 'verify', 'feedback');
    await openFromTab(dispatcher, 'to_revisit', id);
    await dispatcher.getByRole('button', { name: '生成居民回访链接' }).click();
    const link = await dispatcher.getByTestId('revisit-link').inputValue();
    expect(link).toMatch(new RegExp(`^${server.url}/revisit/.+`));

    // The resident: a phone-sized browser of their own, not signed in.
    const resident = await openPage(browser, { viewport: { width: 390, height: 844 } });
    resident.on('pageerror', (e) => pageErrors.push(`resident: ${e.message}`));
    await resident.goto(link);
    await expect.poll(() => resident.getByTestId('revisit-case').textContent(), { timeout: WAIT_MS }).toContain('乱堆乱放');
    await resident.locator('input[name="satisfaction"][value="4"]').check();
    await resident.getByLabel('意见或建议（可选）').fill('处理及时，谢谢');
    await resident.getByRole('button', { name: '提交评价' }).click();
    await resident.getByTestId('revisit-done').waitFor();
    const [row] = await db.handle.rows<{ satisfaction: number }>(sql`SELECT satisfaction FROM incidents WHERE id = ${id}`);
    expect(row!.satisfaction).toBe(4);
    // The link is used up.
    await resident.reload();
    await expect.poll(() => resident.getByRole('status').textContent(), { timeout: WAIT_MS }).toContain('已回访');
    await resident.screenshot({ path: screenshotPath('revisit.png') });
    await resident.close();

    // The dispatcher's open detail learns it live: 结案 is now allowed.
    await expect.poll(() => allowed(dispatcher), { timeout: WAIT_MS }).toContain('close');
    await act(dispatcher, 'close');
    await expect.poll(() => stageOf(id), { timeout: WAIT_MS }).toBe('evaluate');
    expect(pageErrors).toEqual([]);
  });

  it('批量派遣 with checkboxes and a department picker; J/Enter/Esc and the shortcut help', async () => {
    const dispatcher = await signIn('disp-wang');
    const ids = [await incidentBy(dispatcher, '共享单车乱停放（一）'), await incidentBy(dispatcher, '共享单车乱停放（二）')];
    await dispatcher.getByTestId('tab-to_dispatch').click();
    for (const id of ids) await dispatcher.getByTestId(`check-${id}`).check();
    const bar = dispatcher.getByTestId('bulk-dispatch');
    await bar.getByLabel('派遣至责任单位').selectOption(String(deptA));
    await bar.getByRole('button', { name: '批量派遣' }).click();
    await expect.poll(() => dispatcher.getByRole('status').filter({ hasText: '已将 2 件派遣至名山城管中队' }).count(), { timeout: WAIT_MS }).toBe(1);
    const rows = await db.handle.rows<{ stage: string; department_id: number }>(sql`SELECT stage, department_id FROM incidents WHERE id IN ${ids} ORDER BY id`);
    expect(rows).toEqual(ids.map(() => ({ stage: 'dispatch', department_id: deptA })));

    // Keyboard: ? opens the help, J moves to the first row, Enter opens it, Esc closes it.
    await dispatcher.locator('body').click({ position: { x: 5, y: 760 } });
    await dispatcher.keyboard.press('?');
    await dispatcher.getByTestId('shortcut-help').waitFor();
    await dispatcher.keyboard.press('Escape');
    await dispatcher.getByTestId('shortcut-help').waitFor({ state: 'detached' });
    await dispatcher.keyboard.press('j');
    await dispatcher.keyboard.press('Enter');
    await dispatcher.getByTestId('incident-detail').waitFor();
    await dispatcher.keyboard.press('Escape');
    await dispatcher.getByTestId('incident-detail').waitFor({ state: 'detached' });
  });

  async function page0Ready(page: Page) {
    await page.waitForSelector('body[data-grids-rendered="true"]', { timeout: LOAD_MS });
  }
});
