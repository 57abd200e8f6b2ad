/**
 * An import must not be able to exhaust the server: a zip inflates only the
 * entries the import reads, within a size cap that holds even when the zip
 * lies about its sizes; vertices are capped; and reading a large upload runs
 * off the event loop, so other requests keep being answered meanwhile.
 * Bombs are built here: deflate blocks of zeros are repeated (each 1 MB block
 * is compressed once), so a 1 GiB entry costs ~1 MB and no large buffer.
 */
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { constants, deflateRawSync } from 'node:zlib';
import { serve } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import { unzipSync } from 'fflate';
import { expect, it } from 'vitest';
import type { DbHandle } from '../../../db/client';
import { createApp } from '../../app';
import { describeEachEngine } from '../../testing/databases';
import { TEST_ADMIN } from '../../testing/principals';
import { request } from '../../testing/request';

const COMMUNITY = '450902005001';
const MB = 1024 * 1024;
/** The bomb: a 1 GiB entry (~1 MB zipped). */
const BOMB_MB = 1024;
/** How much the process may grow while handling a 1 GiB bomb (the worker's own few MB included). */
const RSS_GROWTH_BOUND_MB = 96;

async function post(db: DbHandle, query: string, body: Uint8Array | string) {
  const res = await request(db, `/api/exports/imports?${query}`, { method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body) });
  return { status: res.status, contentType: res.headers.get('content-type'), body: (await res.json()) as any };
}

async function exported(db: DbHandle, query: string): Promise<Uint8Array> {
  const res = await request(db, `/api/exports/grids?${query}`);
  expect(res.status).toBe(200);
  return new Uint8Array(await res.arrayBuffer());
}

/** Everything an import could write; equal before and after means nothing was stored. */
async function fingerprint(db: DbHandle) {
  const [row] = await db.rows<Record<string, unknown>>(sql`
    SELECT (SELECT count(*)::int FROM grids) AS grids, (SELECT sum(version)::int FROM grids) AS versions,
           (SELECT count(*)::int FROM grid_versions) AS grid_versions, (SELECT count(*)::int FROM audit_log WHERE action = 'import') AS audit`);
  return row;
}

/**
 * The highest resident set size while `work` runs, minus the one before. The kernel's
 * peak (maxRSS) is reset first where Linux allows it (/proc/self/clear_refs, 5 = reset
 * the peak only), so a peak reached while the event loop was blocked, and freed before
 * the next 5 ms sample, still counts; elsewhere the samples alone are used. The heap is
 * collected first, so the baseline holds no garbage that could be freed meanwhile.
 */
async function rssGrowthDuring<T>(work: () => Promise<T>): Promise<{ result: T; growthMb: number }> {
  // Garbage of earlier work (an earlier test's buffers) must not sit in the baseline and be freed during this one.
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  let peakReset = false;
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    peakReset = true;
  } catch {
    // not Linux, or not allowed: samples only
  }
  const before = process.memoryUsage.rss();
  let peak = before;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage.rss(), peakReset ? process.resourceUsage().maxRSS * 1024 : 0);
    return { result, growthMb: (peak - before) / MB };
  } finally {
    clearInterval(sample);
  }
}

/** Posts workerData.body as the multipart field `file` when told to go; answers status, text and time. */
const UPLOADER = `
const { parentPort, workerData } = require('node:worker_threads');
parentPort.once('message', async () => {
  try {
    const form = new FormData();
    form.append('file', new Blob([workerData.body]), 'big.geojson');
    const t = performance.now();
    const res = await fetch(workerData.url, { method: 'POST', body: form });
    const text = await res.text();
    parentPort.postMessage({ status: res.status, text, ms: performance.now() - t });
  } catch (err) {
    parentPort.postMessage({ status: 0, text: '', ms: 0, error: String(err) });
  }
});`;

/* ---------- zips built by hand, so sizes can be declared as we like ---------- */

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (data: Uint8Array) => {
  let c = 0xffffffff;
  for (const b of data) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

interface RawEntry {
  name: string;
  /** 0 stored, 8 deflate. */
  method: 0 | 8;
  /** The bytes as stored in the zip (compressed for method 8). */
  data: Uint8Array;
  /** Uncompressed size written to both headers: the truth, or a lie. */
  size: number;
  /** Neither reader checks CRCs; a bomb carries 0, as a hostile zip may. */
  crc: number;
}

const stored = (name: string, data: Uint8Array): RawEntry => ({ name, method: 0, data, size: data.length, crc: crc32(data) });

/** A raw deflate stream of `mb` MiB of zeros: one sync-flushed 1 MiB block repeated, then an empty final block. */
function deflatedZeros(mb: number): Uint8Array {
  const block = deflateRawSync(new Uint8Array(MB), { finishFlush: constants.Z_SYNC_FLUSH });
  const end = deflateRawSync(new Uint8Array(0));
  const out = new Uint8Array(block.length * mb + end.length);
  for (let i = 0; i < mb; i++) out.set(block, i * block.length);
  out.set(end, block.length * mb);
  return out;
}

const zeros = (name: string, mb: number, declaredSize = mb * MB): RawEntry => ({ name, method: 8, data: deflatedZeros(mb), size: declaredSize, crc: 0 });

function buildZip(entries: RawEntry[]): Uint8Array {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = enc.encode(e.name);
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(6, 0x800, true); // UTF-8 names
    lv.setUint16(8, e.method, true);
    lv.setUint32(14, e.crc, true);
    lv.setUint32(18, e.data.length, true);
    lv.setUint32(22, e.size, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const cd = new Uint8Array(46 + name.length);
    const cv = new DataView(cd.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(8, 0x800, true);
    cv.setUint16(10, e.method, true);
    cv.setUint32(16, e.crc, true);
    cv.setUint32(20, e.data.length, true);
    cv.setUint32(24, e.size, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    cd.set(name, 46);
    parts.push(local, e.data);
    central.push(cd);
    offset += local.length + e.data.length;
  }
  const cdSize = central.reduce((n, c) => n + c.length, 0);
  const eocd = new Uint8Array(22);
  const ev = new DataView(eocd.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  const all = [...parts, ...central, eocd];
  const out = new Uint8Array(all.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of all) out.set(p, at), (at += p.length);
  return out;
}

/** The community's grids as an exported Shapefile, entry by extension. */
async function shapefileParts(db: DbHandle): Promise<Record<'shp' | 'shx' | 'dbf' | 'prj', RawEntry>> {
  const files = unzipSync(await exported(db, `format=shp&crs=4546&region=${COMMUNITY}`));
  const byExt = (ext: string) => {
    const name = Object.keys(files).find((n) => n.toLowerCase().endsWith(`.${ext}`));
    if (!name) throw new Error(`export has no .${ext}`);
    return stored(`grids.${ext}`, files[name]!);
  };
  return { shp: byExt('shp'), shx: byExt('shx'), dbf: byExt('dbf'), prj: byExt('prj') };
}

/** An env variable set for one block of work only. */
async function withEnv<T>(name: string, value: string, work: () => Promise<T>): Promise<T> {
  const previous = process.env[name];
  process.env[name] = value;
  try {
    return await work();
  } finally {
    if (previous === undefined) delete process.env[name];
    else process.env[name] = previous;
  }
}

describeEachEngine('import limits', (db) => {
  // First in the file: on code that inflates everything, a later test's baseline could hold an earlier bomb's memory.
  it('never inflates entries the import does not read: a 1 GiB extra entry beside a good Shapefile', async () => {
    const parts = await shapefileParts(db());
    // Warm-up: the import worker is started and the engine has run these checks once.
    const zip = buildZip([parts.shp, parts.shx, parts.dbf, parts.prj, zeros('docs/scan.tif', BOMB_MB)]);
    expect((await post(db(), 'dryRun=true', buildZip([parts.shp, parts.dbf, parts.prj]))).status).toBe(200);
    const { result, growthMb } = await rssGrowthDuring(() => post(db(), 'dryRun=true', zip));
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    expect(result.body).toMatchObject({ format: 'shp', errors: 0 });
    expect(result.body.features).toBeGreaterThan(0);
    expect(growthMb, `RSS grew by ${growthMb.toFixed(0)} MB`).toBeLessThan(RSS_GROWTH_BOUND_MB);
  });

  it('refuses a Shapefile entry that inflates past the cap with a 413 naming it, storing nothing and without the memory growing', async () => {
    const parts = await shapefileParts(db());
    // Warm-up: the import worker is started and the engine has run these checks once.
    expect((await post(db(), 'dryRun=true', buildZip([parts.shp, parts.shx, parts.dbf, parts.prj]))).status).toBe(200);
    const before = await fingerprint(db());
    const bomb = buildZip([zeros('grids.shp', BOMB_MB), parts.shx, parts.dbf, parts.prj]);
    expect(bomb.length).toBeLessThan(1.1 * MB);
    const { result, growthMb } = await rssGrowthDuring(() => post(db(), 'dryRun=false', bomb));
    expect(result.status, JSON.stringify(result.body)).toBe(413);
    expect(result.contentType).toContain('application/problem+json');
    expect(result.body.title).toBe('解压后文件过大');
    expect(result.body.detail).toMatch(/grids\.shp.*解压后不少于 1024 MB.*不能超过 200 MB/);
    expect(result.body.errors).toEqual([{ field: 'file', reason: 'grids.shp 解压后过大' }]);
    expect(growthMb, `RSS grew by ${growthMb.toFixed(0)} MB`).toBeLessThan(RSS_GROWTH_BOUND_MB);
    expect(await fingerprint(db())).toEqual(before);
  });

  it('stops inflating an entry that outgrows the size it declares (declared sizes can lie)', async () => {
    const parts = await shapefileParts(db());
    expect((await post(db(), 'dryRun=true', buildZip([parts.shp, parts.dbf, parts.prj]))).status).toBe(200);
    const before = await fingerprint(db());
    // The directory says 1 KB; the stream holds 1 GiB.
    const liar = buildZip([zeros('grids.shp', BOMB_MB, 1024), parts.dbf, parts.prj]);
    const { result, growthMb } = await rssGrowthDuring(() => post(db(), 'dryRun=false', liar));
    expect(result.status, JSON.stringify(result.body)).toBe(422);
    expect(result.body.title).toBe('zip 文件与目录不符');
    expect(result.body.detail).toMatch(/grids\.shp 解压后超过目录声明的大小（1024 字节）/);
    expect(growthMb, `RSS grew by ${growthMb.toFixed(0)} MB`).toBeLessThan(RSS_GROWTH_BOUND_MB);
    expect(await fingerprint(db())).toEqual(before);
  });

  it('takes the inflated-size cap from IMPORT_MAX_UNZIPPED_MB, counting the entries read together', async () => {
    const parts = await shapefileParts(db());
    const zip = buildZip([parts.prj, parts.shp, parts.dbf]);
    // A cap just under .prj + .shp + .dbf: the .dbf, read last, crosses it.
    const capMb = (parts.prj.size + parts.shp.size + parts.dbf.size - 1) / MB;
    const before = await fingerprint(db());
    const res = await withEnv('IMPORT_MAX_UNZIPPED_MB', String(capMb), () => post(db(), 'dryRun=false', zip));
    expect(res.status, JSON.stringify(res.body)).toBe(413);
    expect(res.body.detail).toMatch(/^zip 中的 grids\.dbf 解压后不少于/);
    expect(await fingerprint(db())).toEqual(before);
    expect((await post(db(), 'dryRun=true', zip)).status).toBe(200);
  });

  it('refuses more vertices than IMPORT_MAX_VERTICES in every format with a Chinese 413', async () => {
    const [n] = await db().rows<{ n: number }>(sql`SELECT sum(ST_NPoints(geom))::int AS n FROM grids WHERE community_code = ${COMMUNITY}`);
    const vertices = Number(n!.n);
    const cap = Math.floor(vertices / 2);
    const files = {
      shp: await exported(db(), `format=shp&crs=4546&region=${COMMUNITY}`),
      gpkg: await exported(db(), `format=gpkg&crs=4490&region=${COMMUNITY}`),
      geojson: await exported(db(), `format=geojson&crs=4326&region=${COMMUNITY}`),
    };
    const before = await fingerprint(db());
    for (const [format, bytes] of Object.entries(files)) {
      const res = await withEnv('IMPORT_MAX_VERTICES', String(cap), () => post(db(), 'dryRun=false', bytes));
      expect(res.status, `${format}: ${JSON.stringify(res.body)}`).toBe(413);
      expect(res.body.title).toBe('图形过于复杂');
      expect(res.body.detail, format).toMatch(new RegExp(`超过每次导入的上限 ${cap} 个`));
      expect(res.body.errors).toEqual([{ field: 'file', reason: `顶点数超过上限 ${cap}` }]);
      // Under the default cap the same file is fine.
      expect((await post(db(), 'dryRun=true', bytes)).status, format).toBe(200);
    }
    expect(await fingerprint(db())).toEqual(before);
  });

  it('keeps answering GET /api/health while a 1,000,000-vertex GeoJSON upload is taken in and refused', async () => {
    const app = createApp(db(), { anonymousUser: TEST_ADMIN });
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((done) => server.once('listening', () => done()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const health = async () => {
      const t = performance.now();
      const res = await fetch(`${base}/api/health`);
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      return performance.now() - t;
    };
    let uploader: Worker | undefined;
    try {
      // 100 circles of 10,000 vertices (closing vertex included) around the community: ~25 MB.
      const [c] = await db().rows<{ x: number; y: number }>(sql`SELECT ST_X(ST_Centroid(geom)) AS x, ST_Y(ST_Centroid(geom)) AS y FROM regions WHERE code = ${COMMUNITY}`);
      const features: string[] = [];
      for (let f = 0; f < 100; f++) {
        const ring: string[] = [];
        for (let k = 0; k < 9_999; k++) {
          const a = (2 * Math.PI * k) / 9_999;
          ring.push(`[${(Number(c!.x) + 0.001 * Math.cos(a) + f * 1e-5).toFixed(7)},${(Number(c!.y) + 0.001 * Math.sin(a)).toFixed(7)}]`);
        }
        ring.push(ring[0]!);
        features.push(`{"type":"Feature","properties":{"code":"${COMMUNITY}${String(100 + f)}"},"geometry":{"type":"Polygon","coordinates":[[${ring.join(',')}]]}}`);
      }
      const body = new TextEncoder().encode(`{"type":"FeatureCollection","features":[${features.join(',')}]}`);
      features.length = 0;
      expect(body.length).toBeGreaterThan(20 * MB);
      // The uploader is another thread, as a browser is another machine: its own work of
      // sending 25 MB is not the server's. It posts the file as the web app does (multipart).
      uploader = new Worker(UPLOADER, { eval: true, workerData: { url: `${base}/api/exports/imports?dryRun=true`, body }, transferList: [body.buffer as ArrayBuffer] });
      const uploaded = new Promise<{ status: number; text: string; ms: number; error?: string }>((done) => uploader!.once('message', done));

      // Warm-up (connections, the import worker), then the baseline.
      for (let i = 0; i < 5; i++) await health();
      const warm = await fetch(`${base}/api/exports/imports?dryRun=true`, { method: 'POST', body: new Uint8Array(await exported(db(), `format=geojson&region=${COMMUNITY}`)) });
      expect(warm.status).toBe(200);
      await warm.arrayBuffer();
      const baseline: number[] = [];
      for (let i = 0; i < 20; i++) baseline.push(await health());
      const median = baseline.sort((a, b) => a - b)[10]!;

      let uploading = true;
      const during: number[] = [];
      const probe = (async () => {
        while (uploading) during.push(await health());
      })();
      uploader.postMessage('go');
      const res = await uploaded;
      uploading = false;
      await probe;

      expect(res.error).toBeUndefined();
      const problem = JSON.parse(res.text) as { title: string; detail: string };
      expect(res.status, res.text).toBe(413);
      expect(problem.title).toBe('图形过于复杂');
      expect(problem.detail).toMatch(/1000000 个顶点，超过每次导入的上限 500000 个/);
      const worst = Math.max(...during);
      const bound = Math.max(500, 10 * median);
      const summary = `upload ${res.ms.toFixed(0)} ms; health ×${during.length} worst ${worst.toFixed(0)} ms, baseline median ${median.toFixed(1)} ms, bound ${bound.toFixed(0)} ms`;
      expect(during.length, summary).toBeGreaterThanOrEqual(3);
      expect(worst, summary).toBeLessThan(bound);
    } finally {
      await uploader?.terminate();
      await new Promise((done) => server.close(done));
    }
  });
});
