import type { OutputCrs } from '../crs/projections';
import type { ExportLayer } from '../layers';
import type { ExportFeature } from '../source';

export interface ExportJob {
  layer: ExportLayer;
  crs: OutputCrs;
  /** Features in pages, already in the output CRS. */
  batches: AsyncIterable<ExportFeature[]>;
  /** Known feature count (from a count query), if any. */
  featureCount?: number;
}

export interface ExportFormat {
  id: string;
  title: string;
  /** File extension of the download. */
  extension: string;
  contentType: string;
  /** True when output leaves as features are read (memory independent of layer size). */
  streaming: boolean;
  /** A reason the CRS cannot be written in this format, or null. */
  rejectCrs(crs: OutputCrs): string | null;
  write(job: ExportJob): AsyncIterable<Uint8Array>;
}

export const encoder = new TextEncoder();
