import { sql } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedCopy, type TestDatabase } from '../../server/testing/databases';
import { launchBrowser, openPage, screenshotPath, startServer, TEST_MS, WAIT_MS } from './browser';

describe('administration page in Chromium', { timeout: TEST_MS }, () => {
  let db: TestDatabase;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;

  beforeAll(async () => {
    db = await openEmbeddedCopy();
    server = await startServer(db.handle);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.dispose();
  });

  it('creates a planner for 名山街道 and shows the write in the audit log', async () => {
    const page = await openPage(browser, { viewport: { width: 1400, height: 900 } });
    await page.goto(`${server.url}/admin`);
    await page.getByPlaceholder('用户名').fill('wang-planner');
    await page.getByPlaceholder('姓名').fill('王规划');
    await page.getByLabel('角色', { exact: true }).selectOption('planner');
    await page.getByPlaceholder('辖区代码（9 位街道或 12 位社区）').fill('450902005');
    await page.getByPlaceholder('初始密码（至少 10 个字符）').fill('a-long-password-2026');
    await page.getByRole('button', { name: '创建账号' }).click();
    await expect.poll(() => page.getByTestId('admin-feedback').textContent(), { timeout: WAIT_MS }).toBe('已创建账号 wang-planner');
    const [row] = await db.handle.rows<{ role: string; jurisdiction_code: string }>(sql`SELECT role, jurisdiction_code FROM users WHERE username = 'wang-planner'`);
    expect(row).toEqual({ role: 'planner', jurisdiction_code: '450902005' });
    await page.reload();
    await expect.poll(() => page.getByTestId('audit-table').textContent(), { timeout: WAIT_MS }).toContain('test-admin');
    expect(await page.getByTestId('audit-table').textContent()).toContain('users');
    await page.screenshot({ path: screenshotPath('admin.png') });
    await page.close();
  });
});
