/** Serves the built single-page apps (web/dist) next to the API: the desktop pages, and 网格通 at /m and /m/*. */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';
import { compress } from 'hono/compress';
import type { AppEnv } from './appEnv';

export const WEB_DIST = resolve(import.meta.dirname, '../web/dist');

export function serveWeb(app: Hono<AppEnv>, webDist = WEB_DIST): boolean {
  if (!existsSync(resolve(webDist, 'index.html'))) return false;
  // Bundles go gzipped to browsers that accept it: a phone on 1.6 Mbit/s loads 网格通's ~120 KB, not ~370 KB.
  app.use('/assets/*', compress());
  app.use('/*', serveStatic({ root: webDist }));
  // Client-side routes (/, /screen, …) all load the single page; unknown API paths stay 404 problems.
  const indexHtml = readFileSync(resolve(webDist, 'index.html'), 'utf8');
  // The grid worker's phone app is its own entry (web/m.html); its tabs are client-side paths below /m.
  const mobilePath = resolve(webDist, 'm.html');
  const mobileHtml = existsSync(mobilePath) ? readFileSync(mobilePath, 'utf8') : null;
  if (mobileHtml) app.get('/m', (c) => c.html(mobileHtml)).get('/m/*', (c) => c.html(mobileHtml));
  app.get('*', (c) => (c.req.path.startsWith('/api/') || c.req.path.startsWith('/tiles/') ? c.notFound() : c.html(indexHtml)));
  return true;
}
