/**
 * The boundary check must fail on a wrong-way import and pass the allowed ones: each case writes a
 * small tree into a temporary folder and runs the checker on it, once through the command line
 * (exit code) and otherwise through checkTree.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { checkTree } from './check';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '../..');
const roots: string[] = [];

/** Writes `files` (path → source) into a fresh temporary tree and returns its root. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'boundaries-'));
  roots.push(root);
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), source);
  }
  return root;
}

/** The target modules every fixture can point at. */
const TARGETS = {
  'kernel/roles.ts': "export type Role = 'admin';\nexport const ROLES = ['admin'];\n",
  'db/client.ts': "import { ROLES } from '../kernel/roles';\nexport const db = ROLES;\n",
  'data/load.ts': "import { db } from '../db/client';\nexport const load = db;\n",
  'server/app.ts': "import { load } from '../data/load';\nexport type AppType = typeof load;\nexport const app = load;\n",
  'server/testing/databases.ts': "import { app } from '../app';\nexport const testDb = app;\n",
  'web/src/api/client.ts': "import type { AppType } from '../../../server/app';\nimport { ROLES } from '../../../kernel/roles';\nexport const api = ROLES as unknown as AppType;\n",
};

const broken = (files: Record<string, string>) => checkTree(tree({ ...TARGETS, ...files })).violations.map((v) => `${v.file}:${v.line} ${v.from}→${v.to}${v.typeOnly ? ' type' : ''}`);

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('import boundary check', () => {
  it('exits non-zero on a wrong-way import and names the file, line and rule', () => {
    const root = tree({ ...TARGETS, 'kernel/bbox.ts': "/** 为什么：纯函数 */\nimport { app } from '../server/app';\nexport const bbox = app;\n" });
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'check.ts'), root], { cwd: repo, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('kernel/bbox.ts:2  kernel → server');
    expect(run.stderr).toContain('1 breaking the layering');
  });

  it('exits zero on a tree that keeps the layering', () => {
    const root = tree(TARGETS);
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'check.ts'), root], { cwd: repo, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/0 breaking the layering/);
  });

  it('keeps kernel free of every other layer, types included', () => {
    expect(broken({ 'kernel/a.ts': "import type { AppType } from '../server/app';\nimport { db } from '../db/client';\nexport type A = AppType | typeof db;\n" })).toEqual([
      'kernel/a.ts:1 kernel→server type',
      'kernel/a.ts:2 kernel→db',
    ]);
  });

  it('lets db import only kernel, and data only db and kernel', () => {
    expect(broken({ 'db/x.ts': "import { load } from '../data/load';\nexport const x = load;\n" })).toEqual(['db/x.ts:1 db→data']);
    expect(broken({ 'data/x.ts': "import { app } from '../server/app';\nexport const x = app;\n" })).toEqual(['data/x.ts:1 data→server']);
    expect(broken({ 'data/x.ts': "export { ROLES } from '../kernel/roles';\nexport * from '../db/client';\n" })).toEqual([]);
  });

  it('lets test files use server/testing but nothing else of the server', () => {
    expect(broken({ 'data/load.test.ts': "import { testDb } from '../server/testing/databases';\nexport const t = testDb;\n" })).toEqual([]);
    expect(broken({ 'data/load.test.ts': "import { app } from '../server/app';\nexport const t = app;\n" })).toEqual(['data/load.test.ts:1 data→server']);
    expect(broken({ 'server/routes/x.ts': "import { testDb } from '../testing/databases';\nexport const x = testDb;\n" })).toEqual(['server/routes/x.ts:1 server→testing']);
  });

  it('never lets the server import the web app', () => {
    expect(broken({ 'server/x.ts': "import type { api } from '../web/src/api/client';\nexport type X = typeof api;\n" })).toEqual(['server/x.ts:1 server→web type']);
  });

  it('lets web/src import the server only as types', () => {
    const typeOnly = [
      "import type { AppType } from '../../server/app';",
      "import { type AppType as B } from '../../server/app';",
      "export type { AppType } from '../../server/app';",
      "export type * from '../../server/app';",
      'export type W = AppType | B;',
    ].join('\n');
    expect(broken({ 'web/src/w.ts': typeOnly })).toEqual([]);
    expect(broken({ 'web/src/w.ts': "import { app } from '../../server/app';\nexport const w = app;\n" })).toEqual(['web/src/w.ts:1 web→server']);
    expect(broken({ 'web/src/w.ts': "import { type AppType, app } from '../../server/app';\nexport const w: AppType = app;\n" })).toEqual(['web/src/w.ts:1 web→server']);
    expect(broken({ 'web/src/w.ts': "export { app } from '../../server/app';\n" })).toEqual(['web/src/w.ts:1 web→server']);
    expect(broken({ 'web/src/w.tsx': "export async function W() {\n  return (await import('../../server/app')).app;\n}\n" })).toEqual(['web/src/w.tsx:2 web→server']);
    expect(broken({ 'web/src/w.ts': "import '../../server/app';\n" })).toEqual(['web/src/w.ts:1 web→server']);
    expect(broken({ 'web/src/w.ts': "import { load } from '../../data/load';\nexport const w = load;\n" })).toEqual(['web/src/w.ts:1 web→data']);
  });

  it('lets browser tests and benchmarks import the product, and nothing import them', () => {
    expect(broken({ 'web/e2e/x.test.ts': "import { app } from '../../server/app';\nimport { testDb } from '../../server/testing/databases';\nexport const x = [app, testDb];\n" })).toEqual([]);
    expect(broken({ 'bench/x.ts': "import { app } from '../server/app';\nimport { api } from '../web/src/api/client';\nexport const x = [app, api];\n" })).toEqual([]);
    expect(broken({ 'bench/b.ts': 'export const b = 1;\n', 'server/x.ts': "import { b } from '../bench/b';\nexport const x = b;\n" })).toEqual(['server/x.ts:1 server→bench']);
  });
});
