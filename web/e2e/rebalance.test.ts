/**
 * 户数均衡 in Chromium, one planner's flow: mingshan signs in, opens the 均衡 community's first grid in
 * the editor, sets the community's household band to ±10 % around its grids' mean (several fall
 * outside: the grid summary says so), asks for the 均衡 suggestion (the moving
 * buildings drawn on the map), unticks one move, accepts the rest with the dry run (the impact
 * list appears), saves, and the stored buildings' households per grid match the preview's new
 * totals; the unticked building stayed where it was. Then the saved 均衡 is undone as a whole from
 * its list: 撤销 shows the dry run's impact (nothing written), 确认撤销 restores the stored
 * households per grid and every building's grid of before.
 */
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSampleUsers, SAMPLE_PASSWORD } from '../../server/auth/users';
import { openEmbeddedCopy, type TestDatabase } from '../../server/testing/databases';
import { bandAroundMean, REBALANCE_COMMUNITY } from '../../server/testing/gridFixtures';
import { LOAD_MS, launchBrowser, mapIdle, openPage, screenshotPath, startServer, TEST_MS, WAIT_MS } from './browser';

const COMMUNITY = REBALANCE_COMMUNITY;
const GRID = `${COMMUNITY}001`;

describe('household band and 均衡 in the editor in Chromium', { timeout: TEST_MS }, () => {
  let db: TestDatabase;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  // The stored state before the 均衡, for the undo.
  let householdsBefore: Record<string, number> = {};
  let assignmentBefore: Record<string, string | null> = {};

  const storedHouseholds = async () =>
    Object.fromEntries(
      (
        await db.handle.rows<{ code: string; h: number }>(sql`
          SELECT g.code, coalesce(sum(b.households), 0)::int AS h FROM grids g LEFT JOIN buildings b ON b.grid_id = g.id
          WHERE g.community_code = ${COMMUNITY} GROUP BY g.code`)
      ).map((r) => [r.code, Number(r.h)]),
    );

  const assignment = async () =>
    Object.fromEntries(
      (await db.handle.rows<{ code: string; grid: string | null }>(sql`SELECT b.code, g.code AS grid FROM buildings b LEFT JOIN grids g ON g.id = b.grid_id WHERE b.community_code = ${COMMUNITY}`)).map((r) => [
        r.code,
        r.grid,
      ]),
    );

  beforeAll(async () => {
    db = await openEmbeddedCopy();
    await ensureSampleUsers(db.handle);
    // No stand-in user: the planner signs in, and the server checks their jurisdiction.
    server = await startServer(db.handle, { anonymousUser: null });
    browser = await launchBrowser();
    page = await openPage(browser, { viewport: { width: 1600, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.dispose();
  });

  it('a planner sets the band, previews 均衡, unticks a move, checks the impact and saves', async () => {
    const before = await storedHouseholds();
    expect(Object.keys(before).length).toBeGreaterThan(2);
    householdsBefore = before;
    assignmentBefore = await assignment();

    await page.goto(`${server.url}/login?next=/editor`);
    await page.getByLabel('用户名').fill('mingshan');
    await page.getByLabel('密码').fill(SAMPLE_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${server.url}/editor`);
    await page.goto(`${server.url}/editor?grid=${GRID}`);
    await page.waitForSelector('body[data-grids-rendered="true"]', { timeout: LOAD_MS });
    await expect.poll(() => page.textContent('[data-testid="editor-grid-code"]'), { timeout: WAIT_MS }).toBe(GRID);
    const status = (h: number, min: number, max: number) => (h > max ? 'above' : h < min ? 'below' : 'in');
    // The default band 300–500 first.
    await expect.poll(() => page.getAttribute('[data-testid="editor-grid-households"]', 'data-status'), { timeout: WAIT_MS }).toBe(status(before[GRID]!, 300, 500));

    // The band, from the editor.
    const { min, max } = await bandAroundMean(db.handle, COMMUNITY);
    await page.getByTestId('tab-rebalance').click();
    await page.getByLabel('户数下限').fill(String(min));
    await page.getByLabel('户数上限').fill(String(max));
    await page.getByTestId('band-save').click();
    await expect.poll(() => page.textContent('[data-testid="band-message"]'), { timeout: WAIT_MS }).toBe(`已保存：${min}–${max} 户`);
    const [band] = await db.handle.rows<{ min_households: number; max_households: number; updated_by: string }>(
      sql`SELECT min_households, max_households, updated_by FROM household_bands WHERE community_code = ${COMMUNITY}`,
    );
    expect(band).toEqual({ min_households: min, max_households: max, updated_by: '名山街道网格规划员（示例）' });
    await expect.poll(() => page.getAttribute('[data-testid="editor-grid-households"]', 'data-status'), { timeout: WAIT_MS }).toBe(status(before[GRID]!, min, max));

    // The suggestion: a list, highlighted grids, and the moving buildings on the map.
    await page.getByTestId('rebalance-suggest').click();
    await page.getByTestId('rebalance-moves').waitFor({ timeout: WAIT_MS });
    const moves = await page.locator('[data-testid="rebalance-move"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-building') as string));
    expect(moves.length).toBeGreaterThan(1);
    const outBefore = Object.values(before).filter((h) => h < min || h > max).length;
    expect(outBefore).toBeGreaterThan(1);
    expect(await page.textContent('[data-testid="rebalance-summary"]')).toContain(`现有 ${outBefore} 个网格在区间外`);
    await mapIdle(page);
    const onMap = () =>
      page.evaluate(() =>
        [
          ...new Set(
            window
              .__dangjian!.map.querySourceFeatures('editor-rebalance')
              .filter((f) => f.properties.kind === 'building')
              .map((f) => f.properties.code as string),
          ),
        ].sort(),
      );
    await expect.poll(onMap, { timeout: WAIT_MS }).toEqual([...moves].sort());

    // Untick the last move (the earlier ones are a state the suggestion passed through, so they stay valid).
    const dropped = moves[moves.length - 1]!;
    await page.getByLabel(`选用楼栋 ${dropped} 的移动`).uncheck();
    await expect.poll(() => page.locator('[data-testid="rebalance-move"].unchosen').count(), { timeout: WAIT_MS }).toBe(1);
    const preview = Object.fromEntries(
      await page.locator('[data-testid="rebalance-grid"]').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-code') as string, Number(r.getAttribute('data-after'))])),
    ) as Record<string, number>;
    expect(Object.values(preview).reduce((s, h) => s + h, 0)).toBe(Object.values(before).reduce((s, h) => s + h, 0));
    expect(preview).not.toEqual(before);
    const [droppedFrom] = await db.handle.rows<{ code: string }>(sql`SELECT g.code FROM buildings b JOIN grids g ON g.id = b.grid_id WHERE b.code = ${dropped}`);

    // Accept: the dry run's impact list, nothing written yet.
    await page.getByTestId('rebalance-check').click();
    await expect.poll(() => page.textContent('[data-testid="editor-outcome"]'), { timeout: WAIT_MS }).toContain('均衡校验通过（未保存）');
    await expect.poll(() => page.textContent('[data-testid="impact-moved"]'), { timeout: WAIT_MS }).toContain(`移动楼栋 ${moves.length - 1} 栋`);
    const impactGrids = await page.locator('[data-testid="impact-grid"]').count();
    expect(impactGrids).toBeGreaterThan(1);
    expect(await storedHouseholds()).toEqual(before);
    await page.screenshot({ path: screenshotPath('rebalance-preview.png') });

    // Save.
    await page.getByTestId('rebalance-save').click();
    await expect.poll(() => page.textContent('[data-testid="editor-outcome"]'), { timeout: WAIT_MS }).toContain('均衡已保存');
    expect(await storedHouseholds()).toEqual(preview);
    const [droppedNow] = await db.handle.rows<{ code: string }>(sql`SELECT g.code FROM buildings b JOIN grids g ON g.id = b.grid_id WHERE b.code = ${dropped}`);
    expect(droppedNow?.code).toBe(droppedFrom?.code);
    // The saved versions are the 均衡's, by the planner.
    const versions = await db.handle.rows<{ actor: string; note: string }>(sql`SELECT actor, note FROM grid_versions WHERE note = '均衡'`);
    expect(versions.length).toBeGreaterThan(1);
    expect(new Set(versions.map((v) => v.actor))).toEqual(new Set(['名山街道网格规划员（示例）']));
    await page.getByTestId('rebalance-saved').waitFor({ timeout: WAIT_MS });
    await mapIdle(page);
    await page.screenshot({ path: screenshotPath('rebalance-saved.png') });
    expect(pageErrors).toEqual([]);
  });

  it('the saved 均衡 is undone as a whole: 撤销 shows the impact, 确认撤销 restores households and buildings of before', async () => {
    const [batch] = await db.handle.rows<{ id: number; moves: { code: string }[] }>(sql`SELECT id, moves FROM rebalance_batches WHERE community_code = ${COMMUNITY} ORDER BY id DESC LIMIT 1`);
    expect(batch).toBeDefined();
    const moves = batch!.moves;
    const saved = await storedHouseholds();
    const savedAssignment = await assignment();
    const row = page.locator(`[data-testid="rebalance-batch"][data-batch="${batch!.id}"]`);
    await row.waitFor({ timeout: WAIT_MS });
    expect(await row.textContent()).toContain(`${moves.length} 栋`);
    expect(await row.textContent()).toContain('名山街道网格规划员（示例）');

    // 撤销: the dry run's impact — the batch's buildings move back — and nothing written.
    await row.getByTestId('rebalance-undo').click();
    await expect.poll(() => page.textContent('[data-testid="editor-outcome"]'), { timeout: WAIT_MS }).toContain(`撤销均衡 #${batch!.id} 校验通过（未保存）`);
    await expect.poll(() => page.textContent('[data-testid="impact-moved"]'), { timeout: WAIT_MS }).toContain(`移动楼栋 ${moves.length} 栋`);
    expect(await storedHouseholds()).toEqual(saved);
    expect(await assignment()).toEqual(savedAssignment);

    // 确认撤销: the stored households per grid and the buildings' grids are those of before the 均衡.
    await row.getByTestId('rebalance-undo-confirm').click();
    await expect.poll(() => page.textContent('[data-testid="editor-outcome"]'), { timeout: WAIT_MS }).toContain(`已撤销均衡 #${batch!.id}`);
    expect(await storedHouseholds()).toEqual(householdsBefore);
    expect(await assignment()).toEqual(assignmentBefore);
    await expect.poll(() => row.getAttribute('data-undone'), { timeout: WAIT_MS }).toBe('true');
    await page.getByTestId('rebalance-undone').waitFor({ timeout: WAIT_MS });
    await page.screenshot({ path: screenshotPath('rebalance-undone.png') });
    expect(pageErrors).toEqual([]);
  });

  it('a 均衡 whose grid was edited afterwards cannot be undone: the 409 says which grid, nothing written', async () => {
    // Another 均衡 saved and one of its grids renamed, both through the API as the signed-in planner.
    const edited = await page.evaluate(async (community) => {
      const json = { 'content-type': 'application/json' };
      const s = await (await fetch(`/api/buildings/rebalance/${community}`)).json();
      const body = {
        moves: s.moves.map((m: { building: string; to: string }) => ({ building: m.building, to: m.to })),
        versions: s.grids.map((g: { code: string; version: number }) => ({ code: g.code, version: g.version })),
      };
      const saved = await (await fetch(`/api/buildings/rebalance/${community}`, { method: 'POST', headers: json, body: JSON.stringify(body) })).json();
      const code = saved.changes[0].code as string;
      const grid = await (await fetch(`/api/grids/${code}`)).json();
      const put = await fetch(`/api/grids/${code}`, { method: 'PUT', headers: json, body: JSON.stringify({ version: grid.version, attributes: { name: `${grid.name}乙` } }) });
      return { batch: saved.batch as number, code, status: put.status };
    }, COMMUNITY);
    expect(edited.status).toBe(200);
    const state = await storedHouseholds();
    await page.reload();
    await page.waitForSelector('body[data-grids-rendered="true"]', { timeout: LOAD_MS });
    await page.getByTestId('tab-rebalance').click();
    const row = page.locator(`[data-testid="rebalance-batch"][data-batch="${edited.batch}"]`);
    await row.waitFor({ timeout: WAIT_MS });
    expect(await row.textContent()).toContain('其后网格已修改');
    await row.getByTestId('rebalance-undo').click();
    await expect.poll(() => page.textContent('[data-testid="editor-conflict"]'), { timeout: WAIT_MS }).toContain(`无法撤销均衡：均衡 #${edited.batch} 之后又有修改`);
    expect(await page.textContent('[data-testid="editor-conflict"]')).toContain(`网格 ${edited.code} 在均衡后又被修改`);
    expect(await storedHouseholds()).toEqual(state);
    expect(await row.getAttribute('data-undone')).toBe('false');
    expect(pageErrors).toEqual([]);
  });
});
