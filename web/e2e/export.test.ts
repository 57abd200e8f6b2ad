import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedCopy, type TestDatabase } from '../../server/testing/databases';
import { LOAD_MS, launchBrowser, openPage, screenshotPath, startServer, TEST_MS, WAIT_MS } from './browser';

describe('export dialog in Chromium', { timeout: TEST_MS }, () => {
  let db: TestDatabase;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let page: Page;
  const downloads = mkdtempSync(join(tmpdir(), 'dangjian-downloads-'));

  beforeAll(async () => {
    db = await openEmbeddedCopy();
    server = await startServer(db.handle);
    browser = await launchBrowser();
    page = await openPage(browser, { viewport: { width: 1600, height: 900 }, acceptDownloads: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.dispose();
    rmSync(downloads, { recursive: true, force: true });
  });

  /** Clicks 导出 and saves the download; the server builds the file first, which under load can take minutes. */
  async function exportAndSave(dialog: Locator) {
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: LOAD_MS }), dialog.getByRole('button', { name: '导出', exact: true }).click({ timeout: LOAD_MS })]);
    const file = join(downloads, download.suggestedFilename());
    await download.saveAs(file);
    return file;
  }

  it('exports the grids of one street as a GeoPackage in CGCS2000 that GDAL opens', async () => {
    await page.goto(server.url);
    await page.getByRole('button', { name: '导出数据' }).click();
    const dialog = page.getByRole('dialog', { name: '数据导出' });
    await dialog.waitFor();
    await dialog.getByLabel('图层').selectOption('grids');
    await dialog.getByLabel('格式').selectOption('gpkg');
    await dialog.getByLabel('坐标系').selectOption('4490');
    await dialog.getByLabel('区划编码前缀').fill('450902005');
    const file = await exportAndSave(dialog);
    expect(file).toMatch(/\.gpkg$/);
    await expect.poll(() => dialog.textContent(), { timeout: WAIT_MS }).toContain('已导出');
    await page.screenshot({ path: screenshotPath('export-dialog.png') });

    const info = execFileSync('ogrinfo', ['-ro', '-al', '-so', file], { encoding: 'utf8' });
    const [street] = await db.handle.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM grids WHERE street_code = '450902005'`);
    expect(street!.n).toBeGreaterThan(50);
    expect(info).toContain(`Feature Count: ${street!.n}`);
    expect(info).toMatch(/EPSG.*4490|China Geodetic Coordinate System 2000/);
  });

  it('lists the coverage gaps layer and exports the blind spots of one street as GeoJSON', async () => {
    await page.goto(server.url);
    await page.getByRole('button', { name: '导出数据' }).click();
    const dialog = page.getByRole('dialog', { name: '数据导出' });
    await dialog.waitFor();
    await expect.poll(() => dialog.getByLabel('图层').locator('option').allTextContents(), { timeout: WAIT_MS }).toContain('15分钟服务圈覆盖盲区');
    await dialog.getByLabel('图层').selectOption('coverage_gaps');
    await dialog.getByLabel('格式').selectOption('geojson');
    await dialog.getByLabel('坐标系').selectOption('4326');
    await dialog.getByLabel('区划编码前缀').fill('450902005');
    const file = await exportAndSave(dialog);
    expect(file).toMatch(/15分钟服务圈覆盖盲区_coverage_gaps_450902005_epsg4326\.geojson$/);
    await expect.poll(() => dialog.textContent(), { timeout: WAIT_MS }).toContain('已导出');

    const count = Number(/Feature Count: (\d+)/.exec(execFileSync('ogrinfo', ['-ro', '-al', '-so', file], { encoding: 'utf8' }))?.[1]);
    expect(count).toBeGreaterThan(0);
    const csv = execFileSync('ogr2ogr', ['-f', 'CSV', '/vsistdout/', file], { encoding: 'utf8' });
    expect(csv.split('\n')[0]).toContain('uncovered_area_m2');
    expect(csv).toContain('450902005');
  });
});
