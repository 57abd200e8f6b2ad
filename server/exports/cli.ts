/**
 * npm run export -- --layer grids --format gpkg --crs 4546 --out grids.gpkg [--region 450902005] [--from 2025-01-01 --to 2025-07-01]
 * Uses DATABASE_URL when set (PostGIS), else the embedded database in data/db.
 */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { openDatabase } from '../../db/client';
import { resolveCrs } from './crs/projections';
import { prepareExport } from './exportLayer';
import { findFormat } from './formats';
import { findLayer, LAYERS } from './layers';
import { exportQuery } from './params';

const { values } = parseArgs({
  options: {
    layer: { type: 'string' },
    format: { type: 'string', default: 'geojson' },
    crs: { type: 'string', default: '4326' },
    region: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

if (values.help || !values.layer || !values.out) {
  fail(`用法: npm run export -- --layer <${LAYERS.map((l) => l.name).join('|')}> --format <geojson|shp|gpkg|kml|csv|fgb> --crs <4326|4490|gcj02|4534..4554> --out <文件> [--region 编码前缀] [--from 日期 --to 日期]`);
}
const layer = findLayer(values.layer) ?? fail(`没有 ${values.layer} 这个图层`);
const parsed = exportQuery.safeParse({ format: values.format, crs: values.crs, region: values.region, from: values.from, to: values.to });
if (!parsed.success) fail(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
const format = findFormat(parsed.data.format)!;
const crs = resolveCrs(parsed.data.crs)!;
const rejected = format.rejectCrs(crs);
if (rejected) fail(rejected);

const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL });
try {
  const started = performance.now();
  const prepared = await prepareExport(db, { layer, format, crs, filter: { region: parsed.data.region, from: parsed.data.from, to: parsed.data.to } });
  console.log(`${layer.title}：${prepared.featureCount} 个要素 → ${values.out}（${format.title}，${crs.epsg ? `EPSG:${crs.epsg}` : crs.name}）`);
  let bytes = 0;
  const counted = (async function* () {
    for await (const chunk of prepared.chunks) {
      bytes += chunk.length;
      yield chunk;
    }
  })();
  await pipeline(Readable.from(counted), createWriteStream(values.out));
  console.log(`完成：${(bytes / 1024 / 1024).toFixed(1)} MB，${((performance.now() - started) / 1000).toFixed(1)} 秒`);
} finally {
  await db.close();
}
