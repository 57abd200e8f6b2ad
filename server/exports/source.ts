/**
 * Reads a layer's features in keyset pages (WHERE key > last ORDER BY key LIMIT n):
 * the same on PostGIS and PGlite, each page one short statement, so memory holds
 * one page at a time however large the layer, and the embedded engine's single
 * connection is never held between pages.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { transformGeometry, type OutputCrs } from './crs/projections';
import type { ExportFilter, ExportLayer, FieldValue } from './layers';

export interface ExportFeature {
  id: number;
  geometry: GeoJSON.Geometry | null;
  properties: Record<string, FieldValue>;
}

export const DEFAULT_BATCH = 2000;

export async function countFeatures(db: DbHandle, layer: ExportLayer, filter: ExportFilter): Promise<number> {
  const [row] = await db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM (${layer.select(filter, null)}) counted`);
  return Number(row?.n ?? 0);
}

/** Rounds to the CRS's useful precision so files do not carry float noise. */
function rounder(decimals: number) {
  const f = 10 ** decimals;
  return (v: number) => Math.round(v * f) / f;
}

export async function* readFeatureBatches(db: DbHandle, layer: ExportLayer, filter: ExportFilter, crs: OutputCrs, batchSize = DEFAULT_BATCH): AsyncGenerator<ExportFeature[]> {
  const round = rounder(crs.decimals);
  const transform = (x: number, y: number): [number, number] => {
    const [tx, ty] = crs.forward(x, y);
    return [round(tx), round(ty)];
  };
  const isIdentity = crs.id === '4326' || crs.id === '4490';
  let after: number | null = null;
  for (;;) {
    const rows: Record<string, unknown>[] = await db.rows<Record<string, unknown>>(layer.select(filter, { after, limit: batchSize }));
    if (rows.length === 0) return;
    const batch: ExportFeature[] = rows.map((row) => {
      const properties: Record<string, FieldValue> = {};
      for (const field of layer.fields) properties[field.name] = normalise(row[field.name], field.type);
      const parsed = row.geometry == null ? null : (JSON.parse(String(row.geometry)) as GeoJSON.Geometry);
      return { id: Number(row.fid), geometry: parsed && !isIdentity ? transformGeometry(parsed, transform) : parsed, properties };
    });
    yield batch;
    if (rows.length < batchSize) return;
    after = Number(rows[rows.length - 1]!.fid);
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
