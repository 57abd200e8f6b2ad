import type { OutputCrs } from '../crs/projections';
import type { ExportLayer } from '../layers/layer';
import type { ExportFeature, GeometryEncoding } from '../source';

export interface ExportJob<E extends GeometryEncoding = 'geojson'> {
  layer: ExportLayer;
  crs: OutputCrs;
  /** Features in pages, already in the output CRS. */
  batches: AsyncIterable<ExportFeature<E>[]>;
  /** Known feature count (from a count query), if any. */
  featureCount?: number;
}

interface FormatInfo {
  id: string;
  title: string;
  /** File extension of the download. */
  extension: string;
  contentType: string;
  /** True when memory stays independent of the layer size (features are written as they are read). */
  streaming: boolean;
  /** A reason the CRS cannot be written in this format, or null. */
  rejectCrs(crs: OutputCrs): string | null;
}

/** Formats that take parsed GeoJSON geometries. */
export interface GeoJsonExportFormat extends FormatInfo {
  geometryEncoding?: 'geojson';
  write(job: ExportJob<'geojson'>): AsyncIterable<Uint8Array>;
}

/** Formats that take ISO WKB straight from the database (no GeoJSON round trip). */
export interface WkbExportFormat extends FormatInfo {
  geometryEncoding: 'wkb';
  write(job: ExportJob<'wkb'>): AsyncIterable<Uint8Array>;
}

export type ExportFormat = GeoJsonExportFormat | WkbExportFormat;

export const encoder = new TextEncoder();
