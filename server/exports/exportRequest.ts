/**
 * From validated query parameters to an export request: the layer by name (404
 * when there is none), the format and CRS, and the checks that need both — a
 * format that cannot carry the CRS, a time filter on a layer without time.
 * Refusals are DomainErrors, answered as problem details by app.onError.
 */
import type { z } from 'zod';
import type { DbHandle } from '../../db/client';
import type { SessionUser } from '../../kernel/roles';
import { DomainError, NotFoundError } from '../http/domainError';
import { resolveCrs } from './crs/projections';
import { prepareExport, type ExportRequest } from './exportLayer';
import { findFormat } from './formats';
import { findLayer } from './layers';
import type { ExportFilter, ExportLayer } from './layers/layer';
import type { exportQuery } from './params';
import { countFeatures } from './source';

export type ExportQuery = z.output<typeof exportQuery>;

/** 400: the parameters are each valid but cannot be combined. */
export class ExportRequestInvalid extends DomainError {
  constructor(field: string, reason: string) {
    super(400, '请求参数无效', reason, { errors: [{ field, reason }] });
  }
}

export function layerNamed(name: string): ExportLayer {
  const layer = findLayer(name);
  if (!layer) throw new NotFoundError(`没有 ${name} 这个图层`);
  return layer;
}

/** How many features the layer has for a filter (progress bars). */
export async function countLayer(db: DbHandle, name: string, filter: ExportFilter) {
  const layer = layerNamed(name);
  return { layer: layer.name, count: await countFeatures(db, layer, filter) };
}

/** `reader`: who downloads (personal data in the file follows their read). */
export function exportRequest(name: string, query: ExportQuery, reader: SessionUser | null, signal?: AbortSignal): ExportRequest {
  const layer = layerNamed(name);
  const format = findFormat(query.format)!;
  const crs = resolveCrs(query.crs)!;
  const rejected = format.rejectCrs(crs);
  if (rejected) throw new ExportRequestInvalid('crs', rejected);
  if (!layer.timeFilter && (query.from || query.to)) {
    throw new ExportRequestInvalid(query.from ? 'from' : 'to', `图层 ${layer.title} 没有时间属性，不能按 from/to 筛选`);
  }
  return { layer, format, crs, filter: { region: query.region, from: query.from, to: query.to, reader }, signal };
}

/** The download: the byte stream and its headers (file name, feature count, CRS), nothing cached. */
export async function exportDownload(db: DbHandle, request: ExportRequest) {
  const { chunks, featureCount, fileName, displayName } = await prepareExport(db, request);
  const { format, crs } = request;
  return {
    chunks,
    headers: {
      'Content-Type': format.contentType,
      'Content-Disposition': `attachment; filename="${fileName}"; filename*=UTF-8''${encodeURIComponent(displayName)}`,
      'X-Feature-Count': String(featureCount),
      'X-CRS': crs.epsg ? `EPSG:${crs.epsg}` : crs.name,
      'Access-Control-Expose-Headers': 'Content-Disposition, X-Feature-Count, X-CRS',
      'Cache-Control': 'no-store',
    },
  };
}
