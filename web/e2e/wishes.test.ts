/** The 为民红绳/微心愿 board in Chromium: a department's staff member claims a wish for a unit and sees it move to 已认领. */
import { sql } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../kernel/roles';
import { postWish } from '../../server/partyService/wishes';
import { openEmbeddedCopy, type TestDatabase } from '../../server/testing/databases';
import { TEST_ADMIN } from '../../server/testing/principals';
import { launchBrowser, openPage, screenshotPath, startServer, TEST_MS, WAIT_MS } from './browser';

const COMMUNITY = '450902005001';
const CLAIMER: SessionUser = { id: 4242, username: 'e2e-claimer', displayName: '认领人', role: 'dept_staff', jurisdictionCode: null, gridCodes: [], departmentId: null };

describe('红绳/微心愿 board in Chromium', { timeout: TEST_MS }, () => {
  let db: TestDatabase;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;

  beforeAll(async () => {
    db = await openEmbeddedCopy();
    server = await startServer(db.handle, { anonymousUser: CLAIMER });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.dispose();
  });

  it('claims a wish and sees it move from 待认领 to 已认领', async () => {
    const { id } = await postWish(db.handle, TEST_ADMIN, COMMUNITY, { kind: 'wish', title: '浏览器测试心愿', category: '关爱儿童' });
    const [unit] = await db.handle.rows<{ id: number; name: string }>(sql`SELECT id, name FROM party_units WHERE community_code = ${COMMUNITY} ORDER BY id LIMIT 1`);
    const page = await openPage(browser, { viewport: { width: 1400, height: 900 } });
    await page.goto(`${server.url}/wishes?community=${COMMUNITY}`);
    const card = page.getByTestId(`wish-${id}`);
    await card.waitFor({ timeout: WAIT_MS });
    expect(await page.getByTestId('column-open').getByTestId(`wish-${id}`).count()).toBe(1);
    // Nobody posts here but the community: the form is not offered to this account.
    expect(await page.getByLabel('标题').count()).toBe(0);
    await card.getByRole('button', { name: '匹配建议' }).click();
    await expect.poll(() => card.getByLabel('匹配建议').textContent(), { timeout: WAIT_MS }).toMatch(/m）|km）|暂无同类资源/);
    await card.getByLabel('认领单位').selectOption(String(unit!.id));
    await card.getByRole('button', { name: '认领', exact: true }).click();
    await expect.poll(() => page.getByTestId('column-claimed').getByTestId(`wish-${id}`).count(), { timeout: WAIT_MS }).toBe(1);
    expect(await page.getByTestId('column-open').getByTestId(`wish-${id}`).count()).toBe(0);
    const moved = page.getByTestId('column-claimed').getByTestId(`wish-${id}`);
    expect(await moved.textContent()).toContain(`认领：${unit!.name}`);
    // The claimant may now complete it; confirming is the community's.
    expect(await moved.getByRole('button', { name: '完成' }).count()).toBe(1);
    expect(await moved.getByRole('button', { name: '确认' }).count()).toBe(0);
    const [row] = await db.handle.rows<{ status: string; claimed_by: string; claimant_unit_id: number }>(sql`SELECT status, claimed_by, claimant_unit_id FROM service_wishes WHERE id = ${id}`);
    expect(row).toEqual({ status: 'claimed', claimed_by: 'e2e-claimer', claimant_unit_id: unit!.id });
    await page.screenshot({ path: screenshotPath('wishes.png') });
    await page.close();
  });
});
