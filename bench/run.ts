/**
 * npm run bench [-- --grids 30000 --only tiles,isochrones] — performance figures on
 * real PostGIS (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 * Every suite prints its figures against a baseline measured in the same run.
 * Suites are the files bench/*.bench.ts exporting `suite`.
 */
import { readdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { DbHandle } from '../db/client';
import { benchDatabase } from './lib/benchDatabase';
import type { BenchSuite } from './lib/suite';

const { values } = parseArgs({
  options: {
    grids: { type: 'string', default: '30000' },
    concurrency: { type: 'string', default: '8' },
    only: { type: 'string' },
  },
});
const grids = Number(values.grids);
const only = values.only?.split(',').map((s) => s.trim());

const files = readdirSync(import.meta.dirname)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();
const suites: BenchSuite[] = [];
for (const file of files) {
  const mod = (await import(`./${file}`)) as { suite?: BenchSuite };
  if (mod.suite && (!only || only.includes(mod.suite.name))) suites.push(mod.suite);
}
if (suites.length === 0) {
  console.error(`no benchmark suite matches ${values.only}; have: ${files.join(', ')}`);
  process.exit(2);
}

console.log(`== 党建版图 benchmarks (${grids} grids, PostGIS)`);
const opened = new Map<string, DbHandle>();
const openScale = async (n: number, incidents = 10_000) => {
  const key = `${n}/${incidents}`;
  const existing = opened.get(key);
  if (existing) return existing;
  const handle = await benchDatabase(n, incidents);
  opened.set(key, handle);
  return handle;
};
const db = await openScale(grids);
for (const suite of suites) {
  console.log(`\n[${suite.name}] ${suite.title}`);
  await suite.run({ db, grids, openScale, concurrency: Number(values.concurrency) });
}
for (const handle of opened.values()) await handle.close();
