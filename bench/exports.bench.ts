/**
 * Exporting all grids to GeoPackage and Shapefile: our streaming exporter vs
 * GDAL's ogr2ogr reading the same PostGIS database (the tool analysts would
 * otherwise use). Prints the time ratio (target ≤ 1.5×) and peak memory. Both
 * GeoPackages carry an R-tree spatial index (ogr2ogr builds one by default,
 * SPATIAL_INDEX=YES; ours always does), so the comparison is like for like.
 *
 * Set EXPORTS_BENCH_LARGE=300000 to also export a 300,000-grid sample and show
 * that memory stays flat for every format, GeoPackage included.
 */
import { execFile } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import type { DbHandle } from '../db/client';
import { resolveCrs } from '../server/exports/crs/projections';
import { prepareExport } from '../server/exports/exportLayer';
import { findFormat } from '../server/exports/formats';
import { gridsLayer } from '../server/exports/layers';
import { DEFAULT_SERVER_URL, withDatabase } from './lib/benchDatabase';
import { fmt } from './lib/stats';
import type { BenchSuite } from './lib/suite';

const run = promisify(execFile);

/** ogr2ogr reads the same columns our grids layer writes (its field names are the column names). */
const GRID_COLUMNS = ['id', ...gridsLayer.fields.map((f) => f.name), 'geom'].join(', ');

/** Peak RSS of this process while `task` runs, sampled every 10 ms. */
async function withPeakRss<T>(task: () => Promise<T>): Promise<{ result: T; peakMiB: number; startMiB: number }> {
  global.gc?.();
  const startMiB = process.memoryUsage().rss / 2 ** 20;
  let peak = startMiB;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss / 2 ** 20);
  }, 10);
  try {
    const result = await task();
    peak = Math.max(peak, process.memoryUsage().rss / 2 ** 20);
    return { result, peakMiB: peak, startMiB };
  } finally {
    clearInterval(timer);
  }
}

async function ours(db: DbHandle, formatId: string, crsId: string, out: string): Promise<{ seconds: number; peakMiB: number; startMiB: number; features: number }> {
  const t0 = performance.now();
  const {
    result: features,
    peakMiB,
    startMiB,
  } = await withPeakRss(async () => {
    const prepared = await prepareExport(db, { layer: gridsLayer, format: findFormat(formatId)!, crs: resolveCrs(crsId)!, filter: {} });
    await pipeline(Readable.from(prepared.chunks), createWriteStream(out));
    return prepared.featureCount;
  });
  return { seconds: (performance.now() - t0) / 1000, peakMiB, startMiB, features };
}

/** ogr2ogr under /usr/bin/time (when present) for its peak RSS. */
async function gdal(pgConnection: string, driver: string, crsId: string, out: string): Promise<{ seconds: number; peakMiB: number | null }> {
  const args = ['-f', driver, out, pgConnection, '-sql', `SELECT ${GRID_COLUMNS} FROM grids ORDER BY id`, '-nln', 'grids'];
  if (crsId !== '4326') args.push('-t_srs', `EPSG:${crsId}`);
  if (driver === 'ESRI Shapefile') args.push('-lco', 'ENCODING=UTF-8');
  const timed = existsSync('/usr/bin/time');
  const t0 = performance.now();
  const { stderr } = timed ? await run('/usr/bin/time', ['-f', 'maxrss_kib=%M', 'ogr2ogr', ...args]) : await run('ogr2ogr', args);
  const seconds = (performance.now() - t0) / 1000;
  const kib = /maxrss_kib=(\d+)/.exec(stderr);
  return { seconds, peakMiB: kib ? Number(kib[1]) / 1024 : null };
}

function pgConnectionFor(grids: number): string {
  const url = new URL(withDatabase(process.env.DATABASE_URL ?? DEFAULT_SERVER_URL, `dangjian_bench_${grids}`));
  return `PG:dbname=${url.pathname.slice(1)} host=${url.hostname} port=${url.port || 5432} user=${decodeURIComponent(url.username || 'postgres')}`;
}

const size = (path: string) => `${fmt(statSync(path).size / 2 ** 20)} MiB`;

export const suite: BenchSuite = {
  name: 'exports',
  title: 'grid export to GeoPackage / Shapefile vs ogr2ogr (PostGIS)',
  run: async ({ db, grids, openScale }) => {
    const dir = mkdtempSync(join(tmpdir(), 'dangjian-export-bench-'));
    try {
      const pg = pgConnectionFor(grids);
      // Each side runs RUNS times, alternating, and the median time counts: one run on a shared 2-core machine is noise.
      const runs = Number(process.env.EXPORTS_BENCH_RUNS ?? 3);
      const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
      for (const crsId of ['4326', '4546']) {
        for (const [formatId, driver, ext] of [
          ['gpkg', 'GPKG', 'gpkg'],
          ['shp', 'ESRI Shapefile', 'shp.zip'],
        ] as const) {
          // Warm-up (database caches, JIT) so neither side pays for a cold start.
          if (crsId === '4326') await ours(db, formatId, crsId, join(dir, `warm.${ext}`));
          const a: Awaited<ReturnType<typeof ours>>[] = [];
          const b: Awaited<ReturnType<typeof gdal>>[] = [];
          for (let i = 0; i < runs; i++) {
            rmSync(join(dir, `gdal-${crsId}.${ext}`), { force: true });
            a.push(await ours(db, formatId, crsId, join(dir, `ours-${crsId}.${ext}`)));
            b.push(await gdal(pg, driver, crsId, join(dir, `gdal-${crsId}.${ext}`)));
          }
          const oursSeconds = median(a.map((r) => r.seconds));
          const gdalSeconds = median(b.map((r) => r.seconds));
          const peak = Math.max(...a.map((r) => r.peakMiB));
          const growth = Math.max(...a.map((r) => r.peakMiB - r.startMiB));
          const gdalPeak = b.every((r) => r.peakMiB !== null) ? Math.max(...b.map((r) => r.peakMiB!)) : null;
          console.log(
            `  ${formatId.padEnd(4)} EPSG:${crsId}  ${a[0]!.features} grids, median of ${runs}: ours ${fmt(oursSeconds, 2)} s (${size(join(dir, `ours-${crsId}.${ext}`))}, peak RSS ${fmt(peak)} MiB, +${fmt(growth)})` +
              `  ogr2ogr ${fmt(gdalSeconds, 2)} s (${size(join(dir, `gdal-${crsId}.${ext}`))}, peak RSS ${gdalPeak === null ? 'n/a' : `${fmt(gdalPeak)} MiB`})` +
              `  ratio ours/ogr2ogr ${fmt(oursSeconds / gdalSeconds, 2)}× (target ≤ 1.5×)`,
          );
        }
      }
      console.log(`  process maxRSS so far: ${fmt(process.resourceUsage().maxRSS / 1024)} MiB`);

      const large = Number(process.env.EXPORTS_BENCH_LARGE ?? 0);
      if (large > 0) {
        const big = await openScale(large);
        for (const formatId of ['geojson', 'fgb', 'shp', 'csv', 'gpkg']) {
          const r = await ours(big, formatId, '4546', join(dir, `large.${formatId}`));
          console.log(`  ${large} grids → ${formatId.padEnd(7)} ${fmt(r.seconds, 1)} s, ${size(join(dir, `large.${formatId}`))}, peak RSS ${fmt(r.peakMiB)} MiB (+${fmt(r.peakMiB - r.startMiB)} during export)`);
          rmSync(join(dir, `large.${formatId}`), { force: true });
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
