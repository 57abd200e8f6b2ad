/**
 * The layering of this tree, stated once as data so `npm test` can hold every import to it
 * (see check.ts). kernel ← db ← data ← server; the web app reaches the server only through types;
 * tests may also use the test infrastructure in server/testing; browser tests and benchmarks
 * drive the whole product and may import any of it. A folder may always import itself.
 */

export interface Layer {
  /** Short name used in the rules and the report. */
  name: string;
  /** Folder, relative to the repository root, without a trailing slash. The longest match wins. */
  folder: string;
  /** Layers whose modules this one may import at run time (and so also as types). */
  imports: readonly string[];
  /** Layers this one may import only with `import type` / `export type`, which vanish at build time. */
  typeImports?: readonly string[];
  /** Why the rule is what it is; shown beside a violation. */
  why: string;
}

const PRODUCT = ['kernel', 'db', 'data', 'server', 'testing', 'web'] as const;

export const LAYERS: readonly Layer[] = [
  { name: 'kernel', folder: 'kernel', imports: [], why: 'kernel/ is pure shared code: it imports nothing of server/, web/, data/ or db/ — not even types' },
  { name: 'db', folder: 'db', imports: ['kernel'], why: 'db/ (schema, migrations, client) builds on kernel/ only' },
  { name: 'data', folder: 'data', imports: ['db', 'kernel'], why: 'data/ (sample generator and loader) builds on db/ and kernel/, never on server/ or web/' },
  { name: 'server', folder: 'server', imports: ['db', 'data', 'kernel'], why: 'server/ builds on db/, data/ and kernel/ and never imports the web app' },
  {
    name: 'testing',
    folder: 'server/testing',
    imports: ['server', 'db', 'data', 'kernel'],
    why: 'server/testing/ is test infrastructure: it may use the server, but only tests, browser tests and benchmarks may use it',
  },
  {
    name: 'web',
    folder: 'web/src',
    imports: ['kernel'],
    typeImports: ['server'],
    why: 'web/src imports kernel/ at run time and the server only as `import type` (AppType and domain types)',
  },
  { name: 'e2e', folder: 'web/e2e', imports: PRODUCT, why: 'browser tests start the real server and may import any product code' },
  { name: 'bench', folder: 'bench', imports: [...PRODUCT, 'e2e'], why: 'benchmarks may import anything' },
  { name: 'tools', folder: 'tools', imports: [], why: 'repository tools stand alone' },
];

/** Test files (`*.test.ts`, `*.test.tsx`) may, in addition to their layer's rule, import these layers. */
export const TEST_FILE_IMPORTS: readonly string[] = ['testing'];

export const isTestFile = (path: string) => /\.test\.[cm]?[jt]sx?$/.test(path);
