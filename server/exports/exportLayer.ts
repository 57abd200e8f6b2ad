/** One export, shared by the HTTP route and the CLI: count, file name, byte stream. */
import type { DbHandle } from '../../db/client';
import type { OutputCrs } from './crs/projections';
import type { ExportFormat } from './formats/types';
import type { ExportFilter, ExportLayer } from './layers/layer';
import { countFeatures, readFeatureBatches } from './source';

export interface ExportRequest {
  layer: ExportLayer;
  format: ExportFormat;
  crs: OutputCrs;
  filter: ExportFilter;
  batchSize?: number;
  /** Aborted when the download is abandoned: formats that build a file first (GeoPackage, Shapefile) stop at the next page. */
  signal?: AbortSignal;
}

export interface PreparedExport {
  featureCount: number;
  /** ASCII-only, built from validated parts: safe in Content-Disposition and as a path component. */
  fileName: string;
  /** Chinese display name for filename*. */
  displayName: string;
  chunks: AsyncIterable<Uint8Array>;
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '');

export function exportFileName({ layer, format, crs, filter }: Pick<ExportRequest, 'layer' | 'format' | 'crs' | 'filter'>): { fileName: string; displayName: string } {
  const parts = [layer.name, filter.region ?? 'all', crs.epsg ? `epsg${crs.epsg}` : crs.id];
  if (filter.from) parts.push(`from${filter.from.toISOString().slice(0, 10).replace(/-/g, '')}`);
  if (filter.to) parts.push(`to${filter.to.toISOString().slice(0, 10).replace(/-/g, '')}`);
  const base = parts.map(safe).join('_');
  return { fileName: `${base}.${format.extension}`, displayName: `${layer.title}_${base}.${format.extension}` };
}

export async function prepareExport(db: DbHandle, request: ExportRequest): Promise<PreparedExport> {
  const { layer, format, crs, filter, batchSize, signal } = request;
  const featureCount = await countFeatures(db, layer, filter);
  // Each format gets geometries in the encoding it writes (GeoJSON, or WKB straight from the database).
  const chunks =
    format.geometryEncoding === 'wkb'
      ? format.write({ layer, crs, featureCount, batches: readFeatureBatches(db, layer, filter, crs, { batchSize, encoding: 'wkb', signal }) })
      : format.write({ layer, crs, featureCount, batches: readFeatureBatches(db, layer, filter, crs, { batchSize, signal }) });
  return { featureCount, ...exportFileName(request), chunks };
}

/** A pull-based web stream: the next page is read only when the client has taken the last one (backpressure). */
export function toReadableStream(chunks: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await iterator.next();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (err) {
        if ((err as Error)?.name !== 'AbortError') console.error('export stream failed:', err);
        controller.error(err);
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
