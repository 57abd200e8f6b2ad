/**
 * Each page loads only its own code: builds the web app (into a temporary folder)
 * and reads the plugin's report of initial JavaScript per page. `/` and `/screen`
 * stay within 1 MB raw; 网格通 (/m) within 300 KB gzip without MapLibre (a lazy chunk of its
 * map tab); the report is checked against the files on disk.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PAGE_CHUNKS_FILE, type PageChunks } from './pageChunks';

const LIMIT_BYTES = 1_000_000;
const MOBILE_GZIP_LIMIT = 300 * 1024;
const root = resolve(import.meta.dirname, '../..');
let outDir = '';
let pages: PageChunks[] = [];

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'dangjian-chunks-'));
  await build({ configFile: resolve(root, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  pages = JSON.parse(readFileSync(join(outDir, PAGE_CHUNKS_FILE), 'utf8')) as PageChunks[];
}, 300_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

it('reports every page with the sizes of the chunks it loads first', () => {
  expect(pages.map((p) => p.path)).toEqual(expect.arrayContaining(['/', '/admin', '/editor', '/login', '/screen']));
  for (const page of pages) {
    expect(page.chunks.length).toBeGreaterThan(0);
    for (const chunk of page.chunks) expect(chunk.bytes).toBe(statSync(join(outDir, chunk.file)).size);
    expect(page.initialBytes).toBe(page.chunks.reduce((a, c) => a + c.bytes, 0));
  }
  // The entry is shared; each page adds its own chunk on top of it.
  const desktop = pages.filter((p) => p.path !== '/m');
  const shared = new Set(desktop[0]!.chunks.map((c) => c.file).filter((f) => desktop.every((p) => p.chunks.some((c) => c.file === f))));
  expect(shared.size).toBeGreaterThan(0);
  for (const page of desktop)
    expect(
      page.chunks.some((c) => !shared.has(c.file)),
      page.path,
    ).toBe(true);
});

it('keeps the initial JavaScript of / and /screen within 1 MB each', () => {
  for (const path of ['/', '/screen']) {
    const page = pages.find((p) => p.path === path)!;
    expect(page.initialBytes, `${path}: ${page.chunks.map((c) => `${c.file} ${c.bytes}`).join(', ')}`).toBeLessThanOrEqual(LIMIT_BYTES);
  }
});

it('keeps 网格通 (/m) its own entry within 300 KB gzip, MapLibre and the desktop pages outside', () => {
  const mobile = pages.find((p) => p.path === '/m')!;
  expect(mobile, 'the /m entry is reported').toBeDefined();
  const gzip = mobile.chunks.reduce((a, c) => a + gzipSync(readFileSync(join(outDir, c.file))).length, 0);
  expect(mobile.gzipBytes).toBe(gzip);
  expect(gzip, mobile.chunks.map((c) => `${c.file} ${c.bytes}`).join(', ')).toBeLessThanOrEqual(MOBILE_GZIP_LIMIT);
  // Nothing of the map library nor of the desktop's entry is loaded first.
  const source = mobile.chunks.map((c) => readFileSync(join(outDir, c.file), 'utf8')).join('\n');
  expect(source).not.toContain('maplibregl');
  const desktopEntry = pages.find((p) => p.path === '/')!.chunks;
  const desktopOnly = desktopEntry.filter((c) => !mobile.chunks.some((m) => m.file === c.file));
  expect(desktopOnly.length).toBeGreaterThan(0);
});
