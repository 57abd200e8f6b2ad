/**
 * Real Chromium for browser tests (Debian's /usr/bin/chromium via playwright-core)
 * and a real HTTP server for the app on a free port.
 */
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { chromium, type Browser } from 'playwright-core';
import type { DbHandle } from '../../db/client';
import { createApp } from '../../server/app';
import type { SessionUser } from '../../kernel/roles';
import { TEST_ADMIN } from '../../server/testing/principals';
import { serveWeb, WEB_DIST } from '../../server/serveWeb';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = resolve(import.meta.dirname, 'screenshots');

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
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
