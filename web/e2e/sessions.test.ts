/**
 * An admin ends a planner's sessions from the admin page — with 强制下线 and with a
 * password reset — and the planner's open browser is signed out at its next request.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSampleUsers, SAMPLE_PASSWORD } from '../../server/auth/users';
import { openEmbeddedCopy, type TestDatabase } from '../../server/testing/databases';
import { launchBrowser, screenshotPath, startServer } from './browser';

describe('ending sessions from the admin page in Chromium', () => {
  let db: TestDatabase;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;

  beforeAll(async () => {
    db = await openEmbeddedCopy();
    await ensureSampleUsers(db.handle);
    // A browser without a session is the test admin; the planner signs in for real.
    server = await startServer(db.handle);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.dispose();
  });

  async function plannerSignedIn(password: string): Promise<BrowserContext> {
    const planner = await browser.newContext();
    const res = await planner.request.post(`${server.url}/api/auth/login`, { data: { username: 'mingshan', password } });
    expect(res.status()).toBe(200);
    expect((await planner.request.get(`${server.url}/api/auth/me`)).status()).toBe(200);
    return planner;
  }

  async function adminPage() {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('dialog', (dialog) => void (dialog.type() === 'prompt' ? dialog.accept('a-new-password-2026') : dialog.accept()));
    await page.goto(`${server.url}/admin`);
    return page;
  }

  it('强制下线 signs the planner out everywhere at once', async () => {
    const planner = await plannerSignedIn(SAMPLE_PASSWORD);
    const page = await adminPage();
    const sessions = page.getByTestId('sessions-mingshan');
    await expect.poll(() => sessions.textContent()).toBe('1');
    await page
      .getByRole('row', { name: /mingshan/ })
      .getByRole('button', { name: '强制下线' })
      .click();
    await expect.poll(() => page.getByTestId('admin-feedback').textContent()).toBe('已使 mingshan 的 1 个会话失效，须重新登录');
    await expect.poll(() => sessions.textContent()).toBe('0');
    await page.screenshot({ path: screenshotPath('admin-sessions.png') });
    expect((await planner.request.get(`${server.url}/api/grids/450902005001001`)).status()).toBe(401);
    // The planner's open editor goes back to the sign-in page.
    const plannerPage = await planner.newPage();
    await plannerPage.goto(`${server.url}/editor`);
    await plannerPage.waitForURL(/\/login\?next=/);
    await planner.close();
    await page.close();
  });

  it('a password reset from the admin page ends the planner’s session too', async () => {
    const planner = await plannerSignedIn(SAMPLE_PASSWORD);
    const page = await adminPage();
    await expect.poll(() => page.getByTestId('sessions-mingshan').textContent()).toBe('1');
    await page
      .getByRole('row', { name: /mingshan/ })
      .getByRole('button', { name: '重置密码' })
      .click();
    await expect.poll(() => page.getByTestId('admin-feedback').textContent()).toBe('已保存，该账号的 1 个会话已失效');
    expect((await planner.request.get(`${server.url}/api/auth/me`)).status()).toBe(401);
    await planner.close();
    await (await plannerSignedIn('a-new-password-2026')).close();
    await page.close();
  });
});
