/**
 * Each page loads only its own code: builds the web app (into a temporary folder)
 * and reads the plugin's report of initial JavaScript per page. `/` and `/screen`
 * stay within 1 MB raw; the report is checked against the files on disk.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PAGE_CHUNKS_FILE, type PageChunks } from './pageChunks';

const LIMIT_BYTES = 1_000_000;
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
  const shared = new Set(pages[0]!.chunks.map((c) => c.file).filter((f) => pages.every((p) => p.chunks.some((c) => c.file === f))));
  expect(shared.size).toBeGreaterThan(0);
  for (const page of pages)
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
