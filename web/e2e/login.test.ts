import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSampleUsers, SAMPLE_PASSWORD } from '../../server/auth/users';
import { openEmbeddedCopy, type TestDatabase } from '../../server/testing/databases';
import { LOAD_MS, launchBrowser, openPage, screenshotPath, startServer, TEST_MS, WAIT_MS } from './browser';

describe('sign-in in Chromium', { timeout: TEST_MS }, () => {
  let db: TestDatabase;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;

  beforeAll(async () => {
    db = await openEmbeddedCopy();
    await ensureSampleUsers(db.handle);
    // No stand-in user: this server behaves like production.
    server = await startServer(db.handle, { anonymousUser: null });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.dispose();
  });

  async function signIn(username: string, password: string, from = '/editor') {
    const page = await openPage(browser, { viewport: { width: 1600, height: 900 } });
    await page.goto(`${server.url}${from}`);
    await page.waitForURL(new RegExp(`/login\\?next=${encodeURIComponent(from)}`));
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill(password);
    await page.getByRole('button', { name: '登录' }).click();
    return page;
  }

  it('sends a visitor to the sign-in page and refuses a wrong password', async () => {
    const page = await signIn('mingshan', 'not-the-password');
    await expect.poll(() => page.getByTestId('login-error').textContent(), { timeout: WAIT_MS }).toBe('用户名或密码错误');
    expect(await page.getByTestId('sample-accounts').isVisible()).toBe(true);
    await page.screenshot({ path: screenshotPath('login.png') });
    await page.close();
  });

  it('a planner lands back on the editor and sees editing but no export', async () => {
    const page = await signIn('mingshan', SAMPLE_PASSWORD);
    await page.waitForURL(`${server.url}/editor`);
    await page.goto(server.url);
    await page.waitForSelector('body[data-grids-rendered="true"]', { timeout: LOAD_MS });
    expect(await page.getByTestId('current-user').textContent()).toContain('名山街道网格规划员');
    expect(await page.getByRole('link', { name: '网格编辑' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: '导出数据' }).count()).toBe(0);
    await page.close();
  });

  it('a leader sees the map without editing, and signing out ends the session', async () => {
    const page = await signIn('leader', SAMPLE_PASSWORD, '/');
    await page.waitForURL(`${server.url}/`);
    await page.waitForSelector('body[data-grids-rendered="true"]', { timeout: LOAD_MS });
    expect(await page.getByRole('link', { name: '网格编辑' }).count()).toBe(0);
    await page.getByRole('button', { name: '退出' }).click();
    await page.waitForURL(/\/login/);
    const status = await page.evaluate(async () => (await fetch('/api/grids/450902005001001')).status);
    expect(status).toBe(401);
    await page.close();
  });
});
