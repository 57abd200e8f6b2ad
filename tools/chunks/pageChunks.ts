/**
 * Vite plugin: after `vite build`, the JavaScript each page loads before it can
 * render — the entry chunk, the page's own lazy chunk, and every chunk either
 * imports statically — printed as a table and written to dist/page-chunks.json once the files are written
 * (read by tools/chunks/pageChunks.test.ts, which keeps `/` and `/screen` ≤ 1 MB).
 *
 * Pages are found the way web/src/pages.ts finds them: each `features/<f>/page.tsx`
 * names its path and imports its component lazily; `/` is web/src/App.tsx, which
 * main.tsx imports lazily. Chunks a page imports lazily itself (dialogs, panels
 * opened later) are not initial.
 *
 * The build has a second entry, 网格通 (web/m.html → web/src/mobile, path `/m`): its row is the
 * entry's static closure, with `gzipBytes` too (its budget is 300 KB gzip, tools/chunks test;
 * MapLibre is a lazy chunk of its map tab, so it is outside).
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

export interface PageChunks {
  path: string;
  /** Bytes of JavaScript loaded before the page renders (raw, not gzipped). */
  initialBytes: number;
  chunks: { file: string; bytes: number }[];
  /** Gzipped bytes of the same JavaScript (the /m entry only). */
  gzipBytes?: number;
}

export const PAGE_CHUNKS_FILE = 'page-chunks.json';

interface ChunkLike {
  type: 'chunk';
  fileName: string;
  isEntry: boolean;
  facadeModuleId: string | null;
  imports: string[];
  dynamicImports: string[];
  moduleIds: string[];
}

const norm = (id: string) => id.replaceAll('\\', '/');

/** The chunks reachable from `start` by static imports, start included. */
function closure(start: ChunkLike, byFile: Map<string, ChunkLike>): Set<ChunkLike> {
  const seen = new Set<ChunkLike>();
  const stack = [start];
  while (stack.length > 0) {
    const chunk = stack.pop()!;
    if (seen.has(chunk)) continue;
    seen.add(chunk);
    for (const file of chunk.imports) {
      const next = byFile.get(file);
      if (next) stack.push(next);
    }
  }
  return seen;
}

/** `sizeOf(file)`: the bytes of a written chunk (the bundle's code may still be rewritten by later plugins). */
export function pageChunksOf(chunks: ChunkLike[], sizeOf: (file: string) => number): PageChunks[] {
  const byFile = new Map(chunks.map((c) => [c.fileName, c]));
  const isMobile = (c: ChunkLike) => c.facadeModuleId !== null && /\/web\/(m\.html|src\/mobile\/main\.tsx)$/.test(norm(c.facadeModuleId));
  const entry = chunks.find((c) => c.isEntry && !isMobile(c));
  if (!entry) return [];
  const byModule = (suffix: string) => chunks.find((c) => c.facadeModuleId && norm(c.facadeModuleId).endsWith(suffix));
  // page.tsx modules live in the entry's graph (the navigation needs them): their path and lazy component module.
  const routes: { path: string; component: ChunkLike | undefined }[] = [{ path: '/', component: byModule('/web/src/App.tsx') }];
  for (const chunk of closure(entry, byFile)) {
    for (const id of chunk.moduleIds.map(norm).filter((m) => /\/web\/src\/features\/[^/]+\/page\.tsx$/.test(m))) {
      const source = readFileSync(id, 'utf8');
      const path = /path:\s*'([^']+)'/.exec(source)?.[1];
      const target = /import\('\.\/([^']+)'\)/.exec(source)?.[1];
      if (!path) continue;
      const folder = id.slice(0, id.lastIndexOf('/') + 1);
      routes.push({ path, component: target ? byModule(`${folder}${target}.tsx`) : undefined });
    }
  }
  return routes
    .map(({ path, component }) => {
      const loaded = new Set([...closure(entry, byFile), ...(component ? closure(component, byFile) : [])]);
      const list = [...loaded].map((c) => ({ file: c.fileName, bytes: sizeOf(c.fileName) })).sort((a, b) => b.bytes - a.bytes);
      return { path, initialBytes: list.reduce((a, c) => a + c.bytes, 0), chunks: list };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** The /m entry's initial JavaScript (its static closure), or null when the build has no such entry. */
export function mobileChunksOf(chunks: ChunkLike[], sizeOf: (file: string) => number, gzipOf: (file: string) => number): PageChunks | null {
  const byFile = new Map(chunks.map((c) => [c.fileName, c]));
  const entry = chunks.find((c) => c.isEntry && c.facadeModuleId !== null && /\/web\/(m\.html|src\/mobile\/main\.tsx)$/.test(norm(c.facadeModuleId)));
  if (!entry) return null;
  const list = [...closure(entry, byFile)].map((c) => ({ file: c.fileName, bytes: sizeOf(c.fileName) })).sort((a, b) => b.bytes - a.bytes);
  return { path: '/m', initialBytes: list.reduce((a, c) => a + c.bytes, 0), gzipBytes: list.reduce((a, c) => a + gzipOf(c.file), 0), chunks: list };
}

export function pageChunksReport(): Plugin {
  return {
    name: 'page-chunks-report',
    apply: 'build',
    writeBundle(options, bundle) {
      const dir = options.dir ?? 'dist';
      const chunks = Object.values(bundle).filter((o) => o.type === 'chunk') as unknown as ChunkLike[];
      const sizeOf = (file: string) => statSync(join(dir, file)).size;
      const mobile = mobileChunksOf(chunks, sizeOf, (file) => gzipSync(readFileSync(join(dir, file))).length);
      const pages = [...pageChunksOf(chunks, sizeOf), ...(mobile ? [mobile] : [])];
      writeFileSync(join(dir, PAGE_CHUNKS_FILE), `${JSON.stringify(pages, null, 2)}\n`);
      const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`.padStart(10);
      const lines = pages.map(
        (p) =>
          `  ${p.path.padEnd(10)} ${kb(p.initialBytes)}  ${p.gzipBytes ? `gzip ${kb(p.gzipBytes).trim()} ` : ''}(${p.chunks.length} chunks, largest ${p.chunks[0]?.file ?? '—'} ${kb(p.chunks[0]?.bytes ?? 0).trim()})`,
      );
      this.info(`initial JavaScript per page (raw):\n${lines.join('\n')}`);
    },
  };
}
