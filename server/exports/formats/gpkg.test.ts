import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveCrs } from '../crs/projections';
import { centresLayer, gridsLayer, type ExportLayer } from '../layers';
import type { ExportFeature } from '../source';
import { ogrReadWarnings, ogrSqlRow, ogrSummary, ogrToCsv, validateGeoPackage } from '../testing/gdal';
import { writeGeoPackage } from './gpkg';

const dir = mkdtempSync(join(tmpdir(), 'dangjian-gpkg-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** ISO WKB (little-endian) of a square polygon, or of a point when size is 0. */
function wkb(x: number, y: number, size: number): Uint8Array {
  if (size === 0) {
    const b = Buffer.alloc(21);
    b.writeUInt8(1, 0);
    b.writeUInt32LE(1, 1);
    b.writeDoubleLE(x, 5);
    b.writeDoubleLE(y, 13);
    return b;
  }
  const ring = [
    [x, y],
    [x + size, y],
    [x + size, y + size],
    [x, y + size],
    [x, y],
  ];
  const b = Buffer.alloc(9 + 9 + 4 + 16 * ring.length);
  b.writeUInt8(1, 0);
  b.writeUInt32LE(6, 1); // MultiPolygon
  b.writeUInt32LE(1, 5);
  b.writeUInt8(1, 9);
  b.writeUInt32LE(3, 10); // Polygon
  b.writeUInt32LE(1, 14);
  b.writeUInt32LE(ring.length, 18);
  ring.forEach(([px, py], i) => {
    b.writeDoubleLE(px!, 22 + 16 * i);
    b.writeDoubleLE(py!, 30 + 16 * i);
  });
  return b;
}

/** `count` features in pages of 1000 on a 100 m lattice near 玉林 in EPSG:4546; every 7th has no geometry. */
async function* features(layer: ExportLayer, count: number, failAfter = Infinity): AsyncGenerator<ExportFeature<'wkb'>[]> {
  for (let start = 0; start < count; start += 1000) {
    if (start >= failAfter) throw new Error('database went away');
    const page: ExportFeature<'wkb'>[] = [];
    for (let i = start; i < Math.min(count, start + 1000); i++) {
      const x = 400_000 + (i % 100) * 100;
      const y = 2_500_000 + Math.floor(i / 100) * 100;
      page.push({
        id: i + 1,
        geometry: i % 7 === 6 ? null : wkb(x, y, layer.geometryType === 'Point' ? 0 : 80),
        properties: { code: `450902005001${String(i).padStart(3, '0')}`, name: `五里桥社区第${i + 1}网格`, households: i, star_rating: 3, updated_at: '2025-03-01T08:00:00Z' },
      });
    }
    yield page;
  }
}

async function writeFile(layer: ExportLayer, count: number, name: string, tempDir: string): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of writeGeoPackage({ layer, crs: resolveCrs('4546')!, batches: features(layer, count) }, tempDir)) chunks.push(chunk);
  const file = join(dir, name);
  writeFileSync(file, Buffer.concat(chunks));
  return file;
}

describe('GeoPackage writer', () => {
  it.each([
    ['grids', gridsLayer],
    ['centres', centresLayer],
  ] as const)('writes a conformant GeoPackage with a complete R-tree spatial index (%s)', async (name, layer) => {
    const count = 2500;
    const withGeometry = count - Math.floor(count / 7);
    const file = await writeFile(layer, count, `${name}.gpkg`, dir);
    expect(validateGeoPackage(file)).toBe('');
    expect(ogrReadWarnings(file)).toBe('');
    const summary = ogrSummary(file);
    expect(summary.featureCount).toBe(count);
    expect(summary.epsg).toBe(4546);
    expect(ogrSqlRow(file, 'PRAGMA integrity_check')).toEqual({ integrity_check: 'ok' });
    expect(ogrSqlRow(file, `SELECT HasSpatialIndex('${layer.name}', 'geom') AS indexed, (SELECT count(*) FROM rtree_${layer.name}_geom) AS n`)).toEqual({
      indexed: '1',
      n: String(withGeometry),
    });
    expect(
      ogrSqlRow(
        file,
        `SELECT (SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = '${layer.name}') AS triggers,
                (SELECT scope FROM gpkg_extensions WHERE extension_name = 'gpkg_rtree_index') AS scope,
                (SELECT min_x || ' ' || max_y FROM gpkg_contents) AS extent`,
      ),
    ).toEqual({ triggers: '6', scope: 'write-only', extent: layer.geometryType === 'Point' ? '400000.0 2502400.0' : '400000.0 2502480.0' });
    // A spatial filter (answered through the R-tree): the first seven of row 0, of which the seventh has no geometry.
    expect(ogrSummary(file, { spatialFilter: [399_990, 2_499_990, 400_650, 2_500_050] }).featureCount).toBe(6);
    if (layer === gridsLayer) expect(ogrToCsv(file, "code = '450902005001010'")).toContain('五里桥社区第11网格');
  });

  it('removes its temporary file after a finished, a cancelled and a failed export', async () => {
    const temp = mkdtempSync(join(dir, 'temp-'));
    const crs = resolveCrs('4546')!;
    // Finished.
    await writeFile(gridsLayer, 100, 'finished.gpkg', temp);
    expect(readdirSync(temp)).toEqual([]);
    // Cancelled after the first 1 MiB chunk (20,000 features make ~4 MiB).
    const chunks = writeGeoPackage({ layer: gridsLayer, crs, batches: features(gridsLayer, 20_000) }, temp)[Symbol.asyncIterator]();
    const first = await chunks.next();
    expect(first.value?.length).toBe(1 << 20);
    expect(readdirSync(temp)).toHaveLength(1);
    await chunks.return?.(undefined);
    expect(readdirSync(temp)).toEqual([]);
    // Failed while reading from the database.
    const failing = writeGeoPackage({ layer: gridsLayer, crs, batches: features(gridsLayer, 5000, 2000) }, temp);
    await expect(async () => {
      for await (const chunk of failing) void chunk;
    }).rejects.toThrow('database went away');
    expect(readdirSync(temp)).toEqual([]);
  });
});
