/**
 * Reads a layer's features in keyset pages (WHERE key > last ORDER BY key LIMIT n):
 * the same on PostGIS and PGlite, each page one short statement, so memory holds
 * one page at a time however large the layer, and the embedded engine's single
 * connection is never held between pages.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { transformGeometry, type OutputCrs } from './crs/projections';
import { transformWkb } from './formats/wkb';
import { asGeoJson, asWkb, noGeometry, projectedGeoJson, projectedWkb, type GeometryOutput } from './layers/geometryOutput';
import type { ExportFilter, ExportLayer, FieldValue } from './layers/layer';

/** How a format wants geometries: parsed GeoJSON, or ISO WKB bytes as the database wrote them. */
export type GeometryEncoding = 'geojson' | 'wkb';
interface Geometries {
  geojson: GeoJSON.Geometry;
  wkb: Uint8Array;
}

export interface ExportFeature<E extends GeometryEncoding = 'geojson'> {
  id: number;
  /** In the output CRS; null when the row has none. */
  geometry: Geometries[E] | null;
  properties: Record<string, FieldValue>;
}

export const DEFAULT_BATCH = 2000;

export async function countFeatures(db: DbHandle, layer: ExportLayer, filter: ExportFilter): Promise<number> {
  await layer.prepare?.(db);
  const [row] = await db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM (${layer.select(filter, null, noGeometry)}) counted`);
  return Number(row?.n ?? 0);
}

/**
 * Where coordinates are transformed: EPSG CRSs other than 4326/4490 (the Gauss-Krüger
 * zones) in SQL with ST_Transform — same PROJ maths on both engines, several times
 * faster than proj4js — and GCJ-02 (no EPSG code) in Node, on the GeoJSON or, for
 * WKB, on the bytes in place.
 */
interface GeometryPlan<E extends GeometryEncoding> {
  output: GeometryOutput;
  decode(value: unknown): Geometries[E];
}

function geometryPlan<E extends GeometryEncoding>(crs: OutputCrs, encoding: E): GeometryPlan<E>;
function geometryPlan(crs: OutputCrs, encoding: GeometryEncoding): GeometryPlan<GeometryEncoding> {
  const inSql = crs.id === '4326' || crs.id === '4490' ? null : crs.epsg;
  const f = 10 ** crs.decimals;
  const point = (x: number, y: number): [number, number] => {
    const [tx, ty] = crs.forward(x, y);
    return [Math.round(tx * f) / f, Math.round(ty * f) / f];
  };
  const inNode = crs.epsg === null;
  if (encoding === 'wkb') {
    return {
      output: inSql === null ? asWkb : projectedWkb(inSql),
      decode: (value) => (inNode ? transformWkb(value as Uint8Array, point) : (value as Uint8Array)),
    };
  }
  return {
    output: inSql === null ? asGeoJson : projectedGeoJson(inSql, crs.decimals),
    decode: (value) => {
      const parsed = JSON.parse(String(value)) as GeoJSON.Geometry;
      return inNode ? transformGeometry(parsed, point) : parsed;
    },
  };
}

export interface ReadOptions<E extends GeometryEncoding> {
  batchSize?: number;
  /** 'geojson' (default) or 'wkb'. */
  encoding?: E;
  /** Stops reading at the next page once aborted (the generator throws an AbortError), e.g. when the client went away. */
  signal?: AbortSignal;
}

export async function* readFeatureBatches<E extends GeometryEncoding = 'geojson'>(
  db: DbHandle,
  layer: ExportLayer,
  filter: ExportFilter,
  crs: OutputCrs,
  { batchSize = DEFAULT_BATCH, encoding = 'geojson' as E, signal }: ReadOptions<E> = {},
): AsyncGenerator<ExportFeature<E>[]> {
  await layer.prepare?.(db);
  const { output, decode } = geometryPlan(crs, encoding);
  const page = (after: number | null) => db.rows<Record<string, unknown>>(layer.select(filter, { after, limit: batchSize }, output));
  // One page is always in flight while the previous one is being written (at most two in memory).
  let pending: Promise<Record<string, unknown>[]> | null = page(null);
  try {
    while (pending) {
      const rows: Record<string, unknown>[] = await pending;
      if (signal?.aborted) throw new DOMException('export abandoned', 'AbortError');
      pending = rows.length === batchSize ? page(Number(rows[rows.length - 1]!.fid)) : null;
      if (rows.length === 0) return;
      yield rows.map((row) => {
        const properties: Record<string, FieldValue> = {};
        for (const field of layer.fields) properties[field.name] = normalise(row[field.name], field.type);
        return { id: Number(row.fid), geometry: row.geometry == null ? null : decode(row.geometry), properties };
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
