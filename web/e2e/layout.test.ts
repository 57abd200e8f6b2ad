/**
 * Every page in the navigation fits a 1280 px desktop window: nothing pushes the page sideways.
 * A page whose grid column grows with its content (the header's navigation and legend) is wider
 * than the window; its overflow is hidden, so nothing shows until focus or a click scrolls it and
 * the whole page, map included, slides left under the mouse.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedCopy, type TestDatabase } from '../../server/testing/databases';
import { LOAD_MS, launchBrowser, openPage, startServer, TEST_MS } from './browser';

/** Elements that clip content sideways (overflow hidden or clip) yet hold more than they show, outside maps and ellipsised text. */
function sidewaysOverflow(): string[] {
  const out: string[] = [];
  for (const el of Array.from(document.querySelectorAll<HTMLElement>('body *'))) {
    if (el.closest('.maplibregl-map, canvas, svg')) continue;
    const style = getComputedStyle(el);
    if (style.overflowX !== 'hidden' && style.overflowX !== 'clip') continue;
    if (style.textOverflow === 'ellipsis') continue;
    if (el.scrollWidth > el.clientWidth + 1) out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ${el.scrollWidth}>${el.clientWidth}`);
  }
  if (document.documentElement.scrollWidth > window.innerWidth + 1) out.push(`document ${document.documentElement.scrollWidth}>${window.innerWidth}`);
  return out;
}

describe('page layout in Chromium', { timeout: TEST_MS }, () => {
  let db: TestDatabase;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;

  beforeAll(async () => {
    db = await openEmbeddedCopy();
    server = await startServer(db.handle);
    browser = await launchBrowser();
  }, LOAD_MS);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.dispose();
  });

  it('no page in the navigation is wider than a 1280 px window', async () => {
    const page = await openPage(browser, { viewport: { width: 1280, height: 800 } });
    await page.goto(`${server.url}/`);
    const nav = page.locator('.page-nav a');
    await nav.first().waitFor({ timeout: LOAD_MS });
    const paths = [...new Set((await nav.evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname))).filter((p) => p !== '/m'))];
    expect(paths.length).toBeGreaterThan(10);
    const wide: Record<string, string[]> = {};
    for (const path of paths) {
      await page.goto(`${server.url}${path}`);
      await page.waitForLoadState('networkidle', { timeout: LOAD_MS });
      await page.waitForFunction(() => (document.getElementById('root')?.childElementCount ?? 0) > 0, null, { timeout: LOAD_MS });
      const found = await page.evaluate(sidewaysOverflow);
      if (found.length > 0) wide[path] = found;
    }
    expect(wide).toEqual({});
  });
});
