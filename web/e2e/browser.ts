/**
 * Real Chromium for browser tests (Debian's /usr/bin/chromium via playwright-core)
 * and a real HTTP server for the app on a free port, plus the waiting rules every
 * browser test follows: wait on a condition, never on the clock, with limits
 * generous enough for a CI machine whose two cores are busy with other work.
 */
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import type { DbHandle } from '../../db/client';
import { createApp } from '../../server/app';
import type { SessionUser } from '../../kernel/roles';
import { TEST_ADMIN } from '../../server/testing/principals';
import { serveWeb, WEB_DIST } from '../../server/serveWeb';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = resolve(import.meta.dirname, 'screenshots');

/**
 * The longest any one wait or action may take (Playwright's own default is 30 s, expect.poll's 1 s).
 * Under load a page can stay busy for minutes (WebGL is software-rendered here, and a blocked main
 * thread does not even acknowledge a click); a condition-based wait returns as soon as its condition
 * holds, so a high limit costs nothing when the machine is fast.
 */
export const WAIT_MS = 180_000;
/**
 * A first page load that builds the map (style, tiles, first render) or the big screen's panels,
 * the first action on a page still finishing that load, and a heavy computation on the server
 * (walking circles, a coverage-gap export).
 */
export const LOAD_MS = 300_000;
/** A browser test, which chains several waits. */
export const TEST_MS = 900_000;

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/**
 * A new page whose actions, navigations and Playwright waits default to LOAD_MS instead of 30 s:
 * an action such as a click waits for the page itself, which under load may still be finishing a
 * load (even the click's input event is only acknowledged once the main thread is free).
 */
export async function openPage(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  const page = await browser.newPage(options);
  page.setDefaultTimeout(LOAD_MS);
  page.setDefaultNavigationTimeout(LOAD_MS);
  return page;
}

/**
 * Waits until the page's map has drawn a frame with no camera animation left and every tile loaded
 * (MapLibre's `idle`), e.g. after a jump or a fly-to and before clicking or reading what is drawn.
 * A repaint is requested so that an already idle map reports it again.
 */
export async function mapIdle(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __e2eMapIdle?: boolean };
    const map = window.__dangjian!.map;
    w.__e2eMapIdle = false;
    map.once('idle', () => {
      // One more frame so an overlay (deck.gl) drawing on its own loop has caught up too.
      requestAnimationFrame(() =>
        requestAnimationFrame(() => {
          w.__e2eMapIdle = true;
        }),
      );
    });
    map.triggerRepaint();
  });
  await page.waitForFunction(() => (window as unknown as { __e2eMapIdle?: boolean }).__e2eMapIdle === true, null, { timeout: WAIT_MS });
}

/** `anonymousUser`: who a browser without a session counts as (default: the test admin; null = must sign in). */
export async function startServer(db: DbHandle, options: { anonymousUser?: SessionUser | null } = {}): Promise<{ url: string; close(): Promise<void> }> {
  const app = createApp(db, { anonymousUser: options.anonymousUser === undefined ? TEST_ADMIN : options.anonymousUser });
  if (!serveWeb(app)) throw new Error(`${WEB_DIST} missing: run "npm run build" first (npm test does)`);
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((done) => server.once('listening', () => done()));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(() => done())) };
}

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return resolve(SCREENSHOT_DIR, name);
}
