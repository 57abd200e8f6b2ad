import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { mobilePrecache, reachableAssets } from './mobilePrecache';

const dir = mkdtempSync(join(tmpdir(), 'm-precache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("keeps only what m.html reaches (static, lazy, css, the map's worker), not the desktop's files", () => {
  mkdirSync(join(dir, 'assets'));
  const files: Record<string, string> = {
    'm.html': '<script type="module" src="/assets/m-abc.js"></script><link rel="stylesheet" href="/assets/m-abc.css">',
    'index.html': '<script type="module" src="/assets/index-x.js"></script>',
    'assets/m-abc.js': 'import{a}from"./shared-1.js";const t=()=>import("./GridMap-2.js");',
    'assets/m-abc.css': 'body{}',
    'assets/shared-1.js': 'export const a=1;',
    'assets/GridMap-2.js': 'new URL("/assets/maplibre-gl-worker-3.mjs",import.meta.url)',
    'assets/maplibre-gl-worker-3.mjs': '',
    'assets/index-x.js': 'import"./shared-1.js";import("./EditorPage-4.js")',
    'assets/EditorPage-4.js': '',
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const reached = reachableAssets(dir, 'm.html');
  expect([...reached].sort()).toEqual(['assets/GridMap-2.js', 'assets/m-abc.css', 'assets/m-abc.js', 'assets/maplibre-gl-worker-3.mjs', 'assets/shared-1.js', 'm.html']);

  const { plugin, transform } = mobilePrecache();
  (plugin.configResolved as (c: unknown) => void)({ root: dir, build: { outDir: '.' } });
  const entries = ['m.html', 'index.html', 'assets/m-abc.js', 'assets/index-x.js', 'assets/EditorPage-4.js', 'm/icons/icon-192.png'].map((url) => ({ url, revision: null, size: 1 }));
  expect(transform(entries).manifest.map((e) => e.url)).toEqual(['m.html', 'assets/m-abc.js', 'm/icons/icon-192.png']);
});
