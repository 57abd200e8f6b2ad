/**
 * Grid import in Chromium, as a planner would do it from the editor: a file with an
 * overlap is checked, its errors listed and the commit refused; an unreadable file
 * gets a clear reason; a clean file (a community's grids renamed) passes the check,
 * is imported, and the grids carry the new names as new versions; households, population, party
 * organisation and grid workers mapped from the file's own fields: a bad row is listed with its
 * field and reason, the corrected file is stored.
 */
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedCopy, type TestDatabase } from '../../server/testing/databases';
import { launchBrowser, openPage, screenshotPath, startServer, TEST_MS, WAIT_MS } from './browser';

const COMMUNITY = '450902005001'; // 五里桥社区居委会

describe('grid import dialog in Chromium', { timeout: TEST_MS }, () => {
  let db: TestDatabase;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let page: Page;
  let grids: { code: string; name: string; version: number; geometry: GeoJSON.Geometry }[];

  beforeAll(async () => {
    db = await openEmbeddedCopy();
    server = await startServer(db.handle);
    browser = await launchBrowser();
    page = await openPage(browser, { viewport: { width: 1600, height: 900 } });
    const rows = await db.handle.rows<{ code: string; name: string; version: number; geometry: string }>(
      sql`SELECT code, name, version, ST_AsGeoJSON(geom, 9) AS geometry FROM grids WHERE community_code = ${COMMUNITY} ORDER BY code`,
    );
    grids = rows.map((r) => ({ ...r, version: Number(r.version), geometry: JSON.parse(r.geometry) as GeoJSON.Geometry }));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.dispose();
  });

  const featureCollection = (features: { WGBM: string; WGMC: string; geometry: GeoJSON.Geometry }[]) =>
    Buffer.from(JSON.stringify({ type: 'FeatureCollection', features: features.map(({ geometry, ...properties }) => ({ type: 'Feature', properties, geometry })) }));

  async function openDialog() {
    await page.goto(`${server.url}/editor`);
    await page.getByTestId('editor-import').click();
    return page.getByTestId('import-dialog');
  }

  it('lists the errors of a file with an overlap and refuses to import it', async () => {
    expect(grids.length).toBeGreaterThan(2);
    const dialog = await openDialog();
    // Grid 2 takes grid 1's shape: overlaps it and leaves grid 2's own area as a gap.
    const file = featureCollection([
      { WGBM: grids[0]!.code, WGMC: grids[0]!.name, geometry: grids[0]!.geometry },
      { WGBM: grids[1]!.code, WGMC: grids[1]!.name, geometry: grids[0]!.geometry },
    ]);
    await dialog.locator('input[type=file]').setInputFiles({ name: 'wuliqiao.geojson', mimeType: 'application/geo+json', buffer: file });
    await dialog.getByLabel('编码字段').fill('WGBM');
    await dialog.getByLabel('名称字段').fill('WGMC');
    await dialog.getByTestId('import-check').click();
    const summary = dialog.getByTestId('import-summary');
    await expect.poll(() => summary.textContent(), { timeout: WAIT_MS }).toMatch(/^有 \d+ 个错误/);
    const issues = await dialog.getByTestId('import-issues').textContent();
    expect(issues).toContain('与文件内网格重叠');
    expect(issues).toContain(grids[1]!.code);
    expect(await dialog.getByTestId('import-commit').isDisabled()).toBe(true);
    // 定位 flies the map to the problem.
    const before = await page.evaluate(() => window.__dangjian!.map.getZoom());
    await dialog.getByRole('button', { name: '定位' }).first().click();
    await expect.poll(() => page.evaluate(() => window.__dangjian!.map.getZoom()), { timeout: WAIT_MS }).toBeGreaterThan(Math.max(before, 15.9));
    await page.screenshot({ path: screenshotPath('import-errors.png') });
    const [unchanged] = await db.handle.rows<{ v: number }>(sql`SELECT version AS v FROM grids WHERE code = ${grids[1]!.code}`);
    expect(Number(unchanged!.v)).toBe(grids[1]!.version);
  });

  it('explains an unreadable file', async () => {
    const dialog = await openDialog();
    await dialog.locator('input[type=file]').setInputFiles({ name: 'broken.zip', mimeType: 'application/zip', buffer: Buffer.from('PK\u0003\u0004 not really a zip') });
    await dialog.getByTestId('import-check').click();
    await expect.poll(() => dialog.getByTestId('import-failed').textContent(), { timeout: WAIT_MS }).toMatch(/zip|文件/);
  });

  it('checks, then imports a clean file: new names become new versions', async () => {
    const dialog = await openDialog();
    const renamed = grids.map((g) => ({ WGBM: g.code, WGMC: `${g.name}（导入）`, geometry: g.geometry }));
    await dialog.locator('input[type=file]').setInputFiles({ name: 'wuliqiao.geojson', mimeType: 'application/geo+json', buffer: featureCollection(renamed) });
    await dialog.getByLabel('编码字段').fill('WGBM');
    await dialog.getByLabel('名称字段').fill('WGMC');
    const commit = dialog.getByTestId('import-commit');
    expect(await commit.isDisabled()).toBe(true); // not before a clean check
    await dialog.getByTestId('import-check').click();
    const summary = dialog.getByTestId('import-summary');
    await expect.poll(() => summary.textContent(), { timeout: WAIT_MS }).toMatch(/^检查通过/);
    expect(await summary.textContent()).toContain(`${grids.length} 个要素`);
    await commit.click();
    await expect.poll(() => summary.textContent(), { timeout: WAIT_MS }).toMatch(/^已导入/);
    await page.screenshot({ path: screenshotPath('import-done.png') });
    const after = await db.handle.rows<{ code: string; name: string; version: number }>(sql`SELECT code, name, version FROM grids WHERE community_code = ${COMMUNITY} ORDER BY code`);
    expect(after.map((r) => [r.code, r.name, Number(r.version)])).toEqual(grids.map((g) => [g.code, `${g.name}（导入）`, g.version + 1]));
    // The tiles were refreshed for the new state.
    expect(Number(await page.evaluate(() => document.body.dataset.gridTilesVersion ?? '0'))).toBeGreaterThan(0);
  });

  it('maps households, population, party organisation and grid workers: bad rows listed, then stored', async () => {
    const dialog = await openDialog();
    const [a, b] = [grids[0]!, grids[1]!];
    const file = (hs: unknown, rk: unknown) =>
      Buffer.from(
        JSON.stringify({
          type: 'FeatureCollection',
          features: [
            { type: 'Feature', properties: { WGBM: a.code, HS: hs, RK: 800, DZZ: '五里桥第一网格党支部', WGY: '张三、李四' }, geometry: a.geometry },
            { type: 'Feature', properties: { WGBM: b.code, HS: 120, RK: rk, DZZ: '五里桥第二网格党支部', WGY: '王五' }, geometry: b.geometry },
          ],
        }),
      );
    await dialog.locator('input[type=file]').setInputFiles({ name: 'attrs.geojson', mimeType: 'application/geo+json', buffer: file(-5, '很多') });
    await dialog.getByLabel('编码字段').fill('WGBM');
    await dialog.getByLabel('户数字段').fill('HS');
    await dialog.getByLabel('人口字段').fill('RK');
    await dialog.getByLabel('党组织字段').fill('DZZ');
    await dialog.getByLabel('网格员字段').fill('WGY');
    await dialog.getByTestId('import-check').click();
    const summary = dialog.getByTestId('import-summary');
    await expect.poll(() => summary.textContent(), { timeout: WAIT_MS }).toMatch(/^有 2 个错误/);
    const issues = await dialog.getByTestId('import-issues').textContent();
    expect(issues).toContain(`第 1 个要素 ${a.code}：户数（字段 HS）：不能为负数，实际为“-5”`);
    expect(issues).toContain(`第 2 个要素 ${b.code}：人口（字段 RK）：应为数字，实际为“很多”`);
    expect(await dialog.getByTestId('import-commit').isDisabled()).toBe(true);

    await dialog.locator('input[type=file]').setInputFiles({ name: 'attrs.geojson', mimeType: 'application/geo+json', buffer: file(340, '560') });
    await dialog.getByTestId('import-check').click();
    await expect.poll(() => summary.textContent(), { timeout: WAIT_MS }).toMatch(/^检查通过/);
    await dialog.getByTestId('import-commit').click();
    await expect.poll(() => summary.textContent(), { timeout: WAIT_MS }).toMatch(/^已导入/);
    const stored = await db.handle.rows<{ code: string; households: number; population: number; party_org_name: string; grid_workers: string[] | string }>(
      sql`SELECT code, households, population, party_org_name, grid_workers FROM grids WHERE code IN (${a.code}, ${b.code}) ORDER BY code`,
    );
    expect(stored.map((r) => [r.code, r.households, r.population, r.party_org_name, typeof r.grid_workers === 'string' ? JSON.parse(r.grid_workers) : r.grid_workers])).toEqual([
      [a.code, 340, 800, '五里桥第一网格党支部', ['张三', '李四']],
      [b.code, 120, 560, '五里桥第二网格党支部', ['王五']],
    ]);
  });
});
