/**
 * Reads a layer's features in keyset pages (WHERE key > last ORDER BY key LIMIT n):
 * the same on PostGIS and PGlite, each page one short statement, so memory holds
 * one page at a time however large the layer, and the embedded engine's single
 * connection is never held between pages.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { transformGeometry, type OutputCrs } from './crs/projections';
import { asGeoJson, noGeometry, projectedGeoJson, type ExportFilter, type ExportLayer, type FieldValue, type GeometryOutput } from './layers';

export interface ExportFeature {
  id: number;
  geometry: GeoJSON.Geometry | null;
  properties: Record<string, FieldValue>;
}

export const DEFAULT_BATCH = 2000;

export async function countFeatures(db: DbHandle, layer: ExportLayer, filter: ExportFilter): Promise<number> {
  const [row] = await db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM (${layer.select(filter, null, noGeometry)}) counted`);
  return Number(row?.n ?? 0);
}

/**
 * Where coordinates are transformed: EPSG CRSs other than 4326/4490 (the Gauss-Krüger
 * zones) in SQL with ST_Transform — same PROJ maths on both engines, several times
 * faster than proj4js — and GCJ-02 (no EPSG code) in Node.
 */
function geometryPlan(crs: OutputCrs): { output: GeometryOutput; transform: ((g: GeoJSON.Geometry) => GeoJSON.Geometry) | null } {
  if (crs.id === '4326' || crs.id === '4490') return { output: asGeoJson, transform: null };
  if (crs.epsg !== null) return { output: projectedGeoJson(crs.epsg, crs.decimals), transform: null };
  const f = 10 ** crs.decimals;
  const point = (x: number, y: number): [number, number] => {
    const [tx, ty] = crs.forward(x, y);
    return [Math.round(tx * f) / f, Math.round(ty * f) / f];
  };
  return { output: asGeoJson, transform: (g) => transformGeometry(g, point) };
}

export async function* readFeatureBatches(db: DbHandle, layer: ExportLayer, filter: ExportFilter, crs: OutputCrs, batchSize = DEFAULT_BATCH): AsyncGenerator<ExportFeature[]> {
  const { output, transform } = geometryPlan(crs);
  const page = (after: number | null) => db.rows<Record<string, unknown>>(layer.select(filter, { after, limit: batchSize }, output));
  // One page is always in flight while the previous one is being written (at most two in memory).
  let pending: Promise<Record<string, unknown>[]> | null = page(null);
  try {
    while (pending) {
      const rows: Record<string, unknown>[] = await pending;
      pending = rows.length === batchSize ? page(Number(rows[rows.length - 1]!.fid)) : null;
      if (rows.length === 0) return;
      yield rows.map((row) => {
        const properties: Record<string, FieldValue> = {};
        for (const field of layer.fields) properties[field.name] = normalise(row[field.name], field.type);
        const parsed = row.geometry == null ? null : (JSON.parse(String(row.geometry)) as GeoJSON.Geometry);
        return { id: Number(row.fid), geometry: parsed && transform ? transform(parsed) : parsed, properties };
      });
    }
  } finally {
    // A cancelled download must not leave a rejected prefetch unhandled.
    pending?.catch(() => {});
  }
}

function normalise(value: unknown, type: string): FieldValue {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'integer':
    case 'real':
      return Number(value);
    case 'boolean':
      return Boolean(value);
    default:
      return value instanceof Date ? value.toISOString() : String(value);
  }
}
