/**
 * ESRI Shapefile as a zip (.shp .shx .dbf .prj .cpg). The three binary files
 * are appended to temp files batch by batch (their headers, which need the
 * totals, are patched at the end), then zipped to the response in 1 MiB chunks
 * with fflate — memory stays flat whatever the layer size.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Zip, ZipDeflate } from 'fflate';
import type { ExportGeometryType } from '../layers/layer';
import { DbfWriter } from './dbf';
import type { ExportFormat } from './types';

const SHAPE_TYPE: Record<ExportGeometryType, number> = { Point: 1, MultiLineString: 3, MultiPolygon: 5 };

type Box = [number, number, number, number];

/** Shoelace sum; > 0 means clockwise for x east / y north. */
function clockwise(ring: GeoJSON.Position[]): boolean {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const a = ring[i] as number[];
    const b = ring[i + 1] as number[];
    sum += ((b[0] as number) - (a[0] as number)) * ((b[1] as number) + (a[1] as number));
  }
  return sum > 0;
}

/** Shapefile rule: outer rings clockwise, holes counter-clockwise. */
function orientedParts(g: GeoJSON.Geometry): GeoJSON.Position[][] {
  switch (g.type) {
    case 'Polygon':
    case 'MultiPolygon': {
      const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
      return polygons.flatMap((rings) => rings.map((r, i) => (clockwise(r) === (i === 0) ? r : [...r].reverse())));
    }
    case 'LineString':
      return [g.coordinates];
    case 'MultiLineString':
      return g.coordinates;
    default:
      throw new Error(`Shapefile export does not handle ${g.type} as parts`);
  }
}

/** Encodes one shape record's content (without the 8-byte record header). */
export function shapeContent(g: GeoJSON.Geometry | null, box: Box): Buffer {
  if (!g) {
    const b = Buffer.alloc(4);
    b.writeInt32LE(0, 0);
    return b;
  }
  if (g.type === 'Point') {
    const [x, y] = g.coordinates as [number, number];
    const b = Buffer.alloc(20);
    b.writeInt32LE(1, 0);
    b.writeDoubleLE(x, 4);
    b.writeDoubleLE(y, 12);
    extend(box, x, y);
    return b;
  }
  const parts = orientedParts(g);
  const numPoints = parts.reduce((n, p) => n + p.length, 0);
  const b = Buffer.alloc(44 + 4 * parts.length + 16 * numPoints);
  b.writeInt32LE(g.type === 'Polygon' || g.type === 'MultiPolygon' ? 5 : 3, 0);
  const own: Box = [Infinity, Infinity, -Infinity, -Infinity];
  let at = 44 + 4 * parts.length;
  let index = 0;
  parts.forEach((part, i) => {
    b.writeInt32LE(index, 44 + 4 * i);
    for (const p of part) {
      const x = p[0] as number;
      const y = p[1] as number;
      b.writeDoubleLE(x, at);
      b.writeDoubleLE(y, at + 8);
      at += 16;
      extend(own, x, y);
    }
    index += part.length;
  });
  for (const [i, v] of own.entries()) b.writeDoubleLE(v, 4 + 8 * i);
  b.writeInt32LE(parts.length, 36);
  b.writeInt32LE(numPoints, 40);
  extend(box, own[0], own[1]);
  extend(box, own[2], own[3]);
  return b;
}

function extend(box: Box, x: number, y: number) {
  if (x < box[0]) box[0] = x;
  if (y < box[1]) box[1] = y;
  if (x > box[2]) box[2] = x;
  if (y > box[3]) box[3] = y;
}

/** The 100-byte header shared by .shp and .shx. */
export function shpHeader(fileLengthBytes: number, shapeType: number, box: Box): Buffer {
  const b = Buffer.alloc(100);
  b.writeInt32BE(9994, 0);
  b.writeInt32BE(fileLengthBytes / 2, 24);
  b.writeInt32LE(1000, 28);
  b.writeInt32LE(shapeType, 32);
  const finite = box.every(Number.isFinite) ? box : [0, 0, 0, 0];
  for (const [i, v] of finite.entries()) b.writeDoubleLE(v, 36 + 8 * i);
  return b;
}

export const shapefileFormat: ExportFormat = {
  id: 'shp',
  title: 'Shapefile（zip）',
  extension: 'zip',
  contentType: 'application/zip',
  streaming: true,
  rejectCrs: () => null,
  async *write({ layer, crs, batches }) {
    const dir = await mkdtemp(join(tmpdir(), 'dangjian-shp-'));
    const files: FileHandle[] = [];
    try {
      const paths = { shp: join(dir, 'shp'), shx: join(dir, 'shx'), dbf: join(dir, 'dbf') };
      const [shp, shx, dbf] = await Promise.all([open(paths.shp, 'w'), open(paths.shx, 'w'), open(paths.dbf, 'w')]);
      files.push(shp, shx, dbf);
      const dbfWriter = new DbfWriter(layer.fields);
      const shapeType = SHAPE_TYPE[layer.geometryType];
      const box: Box = [Infinity, Infinity, -Infinity, -Infinity];
      let shpLength = 100;
      let count = 0;
      // Placeholders written at the current position (which advances); the real headers are patched in at offset 0 at the end.
      await shp.write(Buffer.alloc(100));
      await shx.write(Buffer.alloc(100));
      await dbf.write(dbfWriter.header(0));

      for await (const batch of batches) {
        if (batch.length === 0) continue;
        const shpChunks: Buffer[] = [];
        const shxChunk = Buffer.alloc(8 * batch.length);
        const dbfChunk = Buffer.alloc(dbfWriter.recordLength * batch.length);
        batch.forEach((f, i) => {
          const content = shapeContent(f.geometry, box);
          const recordHeader = Buffer.alloc(8);
          recordHeader.writeInt32BE(count + i + 1, 0);
          recordHeader.writeInt32BE(content.length / 2, 4);
          shxChunk.writeInt32BE(shpLength / 2, 8 * i);
          shxChunk.writeInt32BE(content.length / 2, 8 * i + 4);
          shpChunks.push(recordHeader, content);
          shpLength += 8 + content.length;
          dbfWriter.record(f.properties, dbfChunk, dbfWriter.recordLength * i);
        });
        count += batch.length;
        await shp.write(Buffer.concat(shpChunks));
        await shx.write(shxChunk);
        await dbf.write(dbfChunk);
      }
      await shp.write(shpHeader(shpLength, shapeType, box), 0, 100, 0);
      await shx.write(shpHeader(100 + 8 * count, shapeType, box), 0, 100, 0);
      await dbf.write(dbfWriter.header(count), 0, dbfWriter.headerLength, 0);
      await dbf.write(Buffer.from([0x1a]), 0, 1, dbfWriter.headerLength + dbfWriter.recordLength * count);
      await Promise.all(files.splice(0).map((f) => f.close()));

      // Zip: fflate calls back synchronously while we push, so chunks queue here and leave between reads.
      const out: Uint8Array[] = [];
      let failure: Error | null = null;
      const zip = new Zip((err, chunk) => {
        if (err) failure = err;
        else out.push(chunk);
      });
      const drain = function* () {
        if (failure) throw failure;
        while (out.length) yield out.shift() as Uint8Array;
      };
      const base = layer.name;
      for (const [ext, path] of [
        ['shp', paths.shp],
        ['shx', paths.shx],
        ['dbf', paths.dbf],
      ] as const) {
        // Level 1: geometry doubles compress little better at 6, and deflate dominates the export's CPU time.
        const entry = new ZipDeflate(`${base}.${ext}`, { level: 1 });
        zip.add(entry);
        for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
          entry.push(chunk as Buffer, false);
          yield* drain();
        }
        entry.push(new Uint8Array(0), true);
        yield* drain();
      }
      for (const [ext, text] of [
        ['prj', crs.esriWkt],
        ['cpg', 'UTF-8'],
      ] as const) {
        const entry = new ZipDeflate(`${base}.${ext}`, { level: 6 });
        zip.add(entry);
        entry.push(new TextEncoder().encode(text), true);
      }
      zip.end();
      yield* drain();
    } finally {
      await Promise.all(files.map((f) => f.close().catch(() => {})));
      await rm(dir, { recursive: true, force: true });
    }
  },
};
