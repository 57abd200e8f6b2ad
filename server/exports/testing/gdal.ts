/**
 * GDAL command-line tools as an independent judge of our files. They must be
 * installed (CI installs gdal-bin); a missing tool fails loudly, never skips.
 */
import { execFileSync } from 'node:child_process';

function run(tool: string, args: string[]): string {
  try {
    return execFileSync(tool, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new Error(`${tool} not found: the export tests need GDAL's command-line tools (apt-get install gdal-bin)`);
    throw new Error(`${tool} ${args.join(' ')} failed: ${e.stderr ?? e.message}`);
  }
}

export interface OgrSummary {
  featureCount: number;
  /** The layer CRS's EPSG code, if GDAL identified one. */
  epsg: number | null;
  /** The CRS name in GDAL's WKT2. */
  crsName: string | null;
  geometry: string | null;
  output: string;
}

/** `ogrinfo -ro -al -so`: feature count, CRS, geometry type. */
export function ogrSummary(path: string): OgrSummary {
  const output = run('ogrinfo', ['-ro', '-al', '-so', path]);
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

/** Metres between two lon/lat points (haversine, mean Earth radius). */
export function metresBetween(a: GeoJSON.Position, b: GeoJSON.Position): number {
  const R = 6371008.8;
  const rad = Math.PI / 180;
  const dLat = ((b[1] as number) - (a[1] as number)) * rad;
  const dLon = ((b[0] as number) - (a[0] as number)) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos((a[1] as number) * rad) * Math.cos((b[1] as number) * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(h));
}
