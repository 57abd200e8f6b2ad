/**
 * Import-boundary check run by `npm test`: every import between the layered folders must follow
 * layers.ts, so a new wrong-way import (web → server at run time, data → server, kernel → anything)
 * fails the build instead of growing a cycle.
 *
 * Why our own few lines and not dependency-cruiser: telling `import type` from a run-time import
 * needs a TypeScript-aware parser. TypeScript 7 ships no compiler API, dependency-cruiser 17 (the
 * last to run on Node 20) does not mark type-only imports with its swc parser, and 18 needs Node 22.
 * Rolldown — Vite 8's bundler, already installed — exposes oxc's parser, which reports each import's
 * specifier and whether it is type-only; the check is then a walk and a table look-up.
 *
 * Usage: tsx tools/boundaries/check.ts [root]   (exit 1 when any import breaks a rule)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSync } from 'rolldown/utils';
import { isTestFile, LAYERS, type Layer, TEST_FILE_IMPORTS } from './layers';

export interface ImportEdge {
  /** Importing file, relative to the root, with forward slashes. */
  file: string;
  line: number;
  specifier: string;
  /** Imported path, relative to the root (no extension resolution: only its folder matters). */
  target: string;
  typeOnly: boolean;
}

export interface Violation extends ImportEdge {
  from: string;
  to: string;
  reason: string;
}

const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const SKIP = new Set(['node_modules', 'dist', 'screenshots', '.git']);
/** Generated or data folders that hold no source worth checking. */
const SKIP_PATHS = new Set(['data/db', 'db/migrations']);

const toPosix = (path: string) => path.split(sep).join('/');

export function layerOf(path: string): Layer | undefined {
  let best: Layer | undefined;
  for (const layer of LAYERS) {
    if ((path === layer.folder || path.startsWith(`${layer.folder}/`)) && (!best || layer.folder.length > best.folder.length)) best = layer;
  }
  return best;
}

function sourceFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIP.has(entry.name) && !SKIP_PATHS.has(path)) walk(path);
      } else if (SOURCE.test(entry.name) && layerOf(path)) {
        found.push(path);
      }
    }
  };
  for (const top of new Set(LAYERS.map((layer) => layer.folder.split('/')[0] ?? layer.folder))) {
    try {
      walk(top);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return found.sort();
}

/** A dynamic import's argument as written; only plain string literals can be checked. */
function literal(text: string): string | undefined {
  const match = /^(['"`])([^'"`$]*)\1$/.exec(text.trim());
  return match?.[2];
}

/** Every relative import, re-export and dynamic import of one file. */
export function importsOf(root: string, file: string): ImportEdge[] {
  const source = readFileSync(join(root, file), 'utf8');
  const lang = file.endsWith('.tsx') ? 'tsx' : file.endsWith('.jsx') ? 'jsx' : /\.[cm]?js$/.test(file) ? 'js' : 'ts';
  const parsed = parseSync(file, source, { lang });
  if (parsed.errors.length > 0) throw new Error(`${file}: cannot parse: ${parsed.errors[0]?.message}`);
  const lineAt = (offset: number) => source.slice(0, offset).split('\n').length;
  const edges: ImportEdge[] = [];
  const add = (specifier: string, offset: number, typeOnly: boolean) => {
    if (!specifier.startsWith('.')) return; // packages and node: built-ins are not layers
    const bare = specifier.replace(/[?#].*$/, '');
    const target = toPosix(relative(root, resolve(root, dirname(file), bare)));
    edges.push({ file, line: lineAt(offset), specifier, target, typeOnly });
  };
  const { staticImports, staticExports, dynamicImports } = parsed.module;
  for (const statement of staticImports) {
    const typeOnly = statement.entries.length > 0 && statement.entries.every((entry) => entry.isType);
    add(statement.moduleRequest.value, statement.start, typeOnly);
  }
  for (const statement of staticExports) {
    const requests = statement.entries.filter((entry) => entry.moduleRequest);
    const first = requests[0]?.moduleRequest;
    const typeOnly = requests.every((entry) => entry.isType);
    if (first) add(first.value, statement.start, typeOnly);
  }
  for (const call of dynamicImports) {
    const specifier = literal(source.slice(call.moduleRequest.start, call.moduleRequest.end));
    if (specifier !== undefined) add(specifier, call.start, false);
  }
  return edges;
}

/** The rule broken by one import, if any. */
export function judge(edge: ImportEdge): Violation | undefined {
  const from = layerOf(edge.file);
  if (!from) return undefined;
  const to = layerOf(edge.target);
  if (to === from) return undefined;
  if (!to) {
    return { ...edge, from: from.name, to: '(outside the layered folders)', reason: `${edge.target} belongs to no layer; product code imports only kernel, db, data, server and web/src` };
  }
  const allowed = new Set([...from.imports, ...(isTestFile(edge.file) ? TEST_FILE_IMPORTS : [])]);
  if (allowed.has(to.name)) return undefined;
  if (edge.typeOnly && from.typeImports?.includes(to.name)) return undefined;
  const how = from.typeImports?.includes(to.name) ? ' at run time (use `import type`)' : '';
  return { ...edge, from: from.name, to: to.name, reason: `${from.name} must not import ${to.name}${how}: ${from.why}` };
}

export function checkTree(root: string): { files: number; crossing: number; violations: Violation[] } {
  const files = sourceFiles(root);
  let crossing = 0;
  const violations: Violation[] = [];
  for (const file of files) {
    for (const edge of importsOf(root, file)) {
      if (layerOf(edge.target) !== layerOf(edge.file)) crossing += 1;
      const violation = judge(edge);
      if (violation) violations.push(violation);
    }
  }
  return { files: files.length, crossing, violations };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '../..'));
  const { files, crossing, violations } = checkTree(root);
  for (const v of violations) {
    console.error(`${v.file}:${v.line}  ${v.from} → ${v.to}${v.typeOnly ? ' (type-only)' : ''}  '${v.specifier}'\n    ${v.reason}`);
  }
  const summary = `import boundaries: ${files} files, ${crossing} imports across folders, ${violations.length} breaking the layering (tools/boundaries/layers.ts)`;
  if (violations.length > 0) {
    console.error(summary);
    process.exit(1);
  }
  console.log(summary);
}
