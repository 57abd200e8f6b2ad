/**
 * Sample data CLI.
 *   npm run data:generate                       # 玉州区 sample into the default database
 *   npm run data:generate -- --grids 30000      # scale mode (more counties of 玉林市)
 *   DATABASE_URL=postgres://… npm run data:generate -- --grids 300000 --incidents 100000
 *   npm run data:generate -- --outlines blob     # synthetic district outlines (the scale benches' layout)
 *   npm run data:generate -- --now 2026-11-20T16:00:00+08:00   # the year of incidents ends then (default: now)
 */
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/client';
import { loadDataset } from './load';
import { DEFAULT_SAMPLE, generateSample } from './sample';

const { values } = parseArgs({
  options: {
    grids: { type: 'string', default: String(DEFAULT_SAMPLE.grids) },
    incidents: { type: 'string', default: String(DEFAULT_SAMPLE.incidents) },
    seed: { type: 'string', default: String(DEFAULT_SAMPLE.seed) },
    now: { type: 'string' },
    outlines: { type: 'string', default: 'real' },
    'database-url': { type: 'string', default: process.env.DATABASE_URL },
  },
});

const options = { grids: Number(values.grids), incidents: Number(values.incidents), seed: Number(values.seed) };
for (const [name, value] of Object.entries(options)) {
  if (!Number.isInteger(value) || value < 0) {
    console.error(`--${name} must be a non-negative integer`);
    process.exit(2);
  }
}
if (values.outlines !== 'real' && values.outlines !== 'blob') {
  console.error("--outlines must be real (玉林's district outlines) or blob (synthetic)");
  process.exit(2);
}
const now = values.now === undefined ? new Date() : new Date(values.now);
if (Number.isNaN(now.getTime())) {
  console.error('--now must be an ISO date-time, e.g. 2026-11-20T16:00:00+08:00');
  process.exit(2);
}
if (options.grids < 111) {
  console.error('--grids must be at least 111 (one per community of 玉州区)');
  process.exit(2);
}

const started = Date.now();
const dataset = generateSample({ ...options, realOutlines: values.outlines === 'real', now });
console.log(`generated ${dataset.grids.length} grids, ${dataset.incidents.length} incidents in ${Date.now() - started} ms`);
const handle = await openDatabase({ databaseUrl: values['database-url'] });
let lastStep = '';
await loadDataset(handle, dataset, (step, done, total) => {
  if (step !== lastStep || done === total) process.stdout.write(`\r${step}: ${done}/${total}${done === total ? '\n' : ''}`);
  lastStep = step;
});
console.log(`loaded into ${handle.kind} database in ${Date.now() - started} ms`);
await handle.close();
