/**
 * npm run bench [-- --grids 30000] — performance figures on real PostGIS
 * (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres), each
 * printed against a baseline measured in the same run.
 */
import { parseArgs } from 'node:util';
import { benchDatabase } from './lib/benchDatabase';
import { runTileBench } from './tiles.bench';

const { values } = parseArgs({ options: { grids: { type: 'string', default: '30000' }, concurrency: { type: 'string', default: '8' } } });
const grids = Number(values.grids);

console.log(`== 党建版图 benchmarks (${grids} grids, PostGIS)`);
const db = await benchDatabase(grids, 10_000);
console.log('\n[tiles] /tiles/grids vs direct ST_AsMVT');
await runTileBench(db, Number(values.concurrency));
await db.close();
