/**
 * GDAL command-line tools as an independent judge of our files. They must be
 * installed (CI installs gdal-bin); a missing tool fails loudly, never skips.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { haversineM } from '../../../kernel/partyService';

/** Runs a tool; stdout and stderr (GDAL's warnings) as text. Fails on a non-zero exit. */
function runWithStderr(tool: string, args: string[], missing = `${tool} not found: the export tests need GDAL's command-line tools (apt-get install gdal-bin)`) {
  const result = spawnSync(tool, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') throw new Error(missing);
  if (result.error || result.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed: ${result.stderr || result.error?.message}`);
  return { stdout: result.stdout, stderr: result.stderr };
}

const run = (tool: string, args: string[]): string => runWithStderr(tool, args).stdout;

export interface OgrSummary {
  featureCount: number;
  /** The layer CRS's EPSG code, if GDAL identified one. */
  epsg: number | null;
  /** The CRS name in GDAL's WKT2. */
  crsName: string | null;
  geometry: string | null;
  output: string;
}

/** `ogrinfo -ro -al -so`: feature count (within `spatialFilter` [minX, minY, maxX, maxY] if given), CRS, geometry type. */
export function ogrSummary(path: string, options: { spatialFilter?: [number, number, number, number] } = {}): OgrSummary {
  const spat = options.spatialFilter ? ['-spat', ...options.spatialFilter.map(String)] : [];
  const output = run('ogrinfo', ['-ro', '-al', '-so', ...spat, path]);
  const count = /Feature Count: (\d+)/.exec(output);
  const wkt = output.split(/Layer SRS WKT:\n/)[1]?.split(/\nData axis to CRS axis mapping|\n\w+: \w+ \(/)[0] ?? '';
  const codes = [...wkt.matchAll(/ID\["EPSG",(\d+)\]/g)].map((m) => Number(m[1]));
  const lastLine = wkt.trimEnd().split('\n').at(-1) ?? '';
  return {
    featureCount: count ? Number(count[1]) : NaN,
    epsg: /^\s*ID\["EPSG",\d+\]\]$/.test(lastLine) ? (codes.at(-1) ?? null) : null,
    crsName: /^(?:GEOGCRS|PROJCRS|GEODCRS)\["([^"]+)"/m.exec(wkt)?.[1] ?? null,
    geometry: /Geometry: (.+)/.exec(output)?.[1] ?? null,
    output,
  };
}

/** Features as GeoJSON via ogr2ogr, optionally reprojected by GDAL and filtered. */
export function ogrToGeoJson(path: string, options: { where?: string; toSrs?: string } = {}): GeoJSON.FeatureCollection {
  const args = ['-f', 'GeoJSON', '/vsistdout/', path];
  if (options.where) args.push('-where', options.where);
  if (options.toSrs) args.push('-t_srs', options.toSrs);
  return JSON.parse(run('ogr2ogr', args)) as GeoJSON.FeatureCollection;
}

/** Attribute table as CSV text via ogr2ogr (what a GIS user would see). */
export function ogrToCsv(path: string, where?: string): string {
  return run('ogr2ogr', ['-f', 'CSV', '/vsistdout/', path, ...(where ? ['-where', where] : [])]);
}

/** Metres between two lon/lat points (the kernel's haversine). */
export const metresBetween = (a: GeoJSON.Position, b: GeoJSON.Position): number => haversineM([a[0] as number, a[1] as number], [b[0] as number, b[1] as number]);

/** Everything GDAL says on stderr while reading every feature of every layer (warnings such as non-conformant values). */
export function ogrReadWarnings(path: string): string {
  return runWithStderr('ogrinfo', ['-ro', '-al', '-q', path]).stderr.trim();
}

/** The first row of `ogrinfo -sql` (GDAL's SQLite dialect on a GeoPackage, with HasSpatialIndex etc.), values as text. */
export function ogrSqlRow(path: string, statement: string): Record<string, string> {
  const output = run('ogrinfo', ['-ro', path, '-sql', statement]);
  const row: Record<string, string> = {};
  const feature = output.split(/OGRFeature\(SELECT\):\d+\n/)[1] ?? '';
  for (const m of feature.matchAll(/^ {2}(\w+) \([^)]*\) = (.*)$/gm)) row[m[1]!] = m[2]!;
  return row;
}

/** GDAL's GeoPackage conformance checker (python3-gdal); its complaints as text, empty when the file conforms. */
const VALIDATE_GPKG = '/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py';
export function validateGeoPackage(path: string): string {
  if (!existsSync(VALIDATE_GPKG)) throw new Error(`${VALIDATE_GPKG} not found: the GeoPackage tests need GDAL's validator (apt-get install python3-gdal)`);
  const result = spawnSync('python3', [VALIDATE_GPKG, path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error) throw result.error;
  return `${result.stdout}${result.stderr}`.trim() + (result.status === 0 ? '' : `\n(exit ${result.status})`);
}
