/**
 * 党建 pages in Chromium (issue 16): the import page's dry run lists the bad rows of a
 * CSV with row, column and reason and offers no commit; the 网格队伍 page renders the
 * 民情联系卡 with the grid's published people and a QR code of its public page, alone
 * when printed.
 */
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedCopy, type TestDatabase } from '../../server/testing/databases';
import { TEST_ADMIN } from '../../server/testing/principals';
import { launchBrowser, screenshotPath, startServer, WAIT_MS } from './browser';

const GRID = '450902005001001';

describe('党建 pages in Chromium', () => {
  let db: TestDatabase;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    db = await openEmbeddedCopy();
    server = await startServer(db.handle, { anonymousUser: TEST_ADMIN });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.dispose();
  });

  it('the import page shows the dry run’s bad rows and keeps 全部导入 disabled', async () => {
    await page.goto(`${server.url}/imports`);
    await page.locator('[data-testid="import-entity"] option[value="organisations"]').waitFor({ state: 'attached', timeout: WAIT_MS });
    await page.selectOption('[data-testid="import-entity"]', 'organisations');
    const csv = [
      '组织编码,组织名称,组织类别,上级组织编码,挂靠类型,所属区域编码',
      'E2E-1,浏览器测试党小组,党小组,450902005001-DZZ,区域,450902005001',
      'E2E-2,浏览器测试党支部,党支部,450902005001-DZZ,区域,450902005001',
      'E2E-3,坏类别,支部,,区域,450902005001',
    ].join('\n');
    await page.setInputFiles('[data-testid="import-file"]', { name: 'orgs.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await page.click('[data-testid="import-dry-run"]');
    await page.locator('[data-testid="import-errors"] tbody tr').first().waitFor({ timeout: WAIT_MS });
    const rows = await page.locator('[data-testid="import-errors"] tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows).toEqual([
      ['2', '上级组织编码', '党小组不能隶属于党总支，上级只能是党支部'],
      ['4', '组织类别', '组织类别只能取 党委、党工委、党总支、党支部、党小组，实际为“支部”'],
    ]);
    expect(await page.locator('[data-testid="import-commit"]').isDisabled()).toBe(true);
    expect(await page.textContent('[data-testid="import-report"]')).toContain('共 3 行，其中 1 行无误');
    await page.screenshot({ path: screenshotPath('party-import-dry-run.png') });
  });

  it('the 网格队伍 page renders the 民情联系卡 with a QR code, printed alone', async () => {
    const [leader] = await db.handle.rows<{ name: string; phone: string }>(sql`SELECT r.name, r.phone FROM grid_roster r JOIN grids g ON g.id = r.grid_id WHERE g.code = ${GRID} AND r.role = 'grid_leader'`);
    await page.goto(`${server.url}/rosters?grid=${GRID}`);
    const qr = page.locator('[data-testid="card-qr"]');
    await qr.waitFor({ timeout: WAIT_MS });
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await qr.getAttribute('alt')).toContain(`/g/${GRID}`);
    expect(await qr.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    const card = (await page.textContent('[data-testid="contact-card"]')) ?? '';
    expect(card).toContain(leader!.name);
    expect(card).toContain(leader!.phone);
    await page.locator('[data-testid="roster"] tbody tr').first().waitFor({ timeout: WAIT_MS });
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('[data-testid="roster"]').isVisible()).toBe(false);
    expect(await page.locator('[data-testid="contact-card"]').isVisible()).toBe(true);
    await page.screenshot({ path: screenshotPath('party-contact-card-print.png') });
    await page.emulateMedia({ media: 'screen' });
    expect(pageErrors).toEqual([]);
  });
});
