/**
 * A CSV or GeoJSON batch of incidents over HTTP (POST /api/incidents/batch): which
 * format the body is in, and the two ways of answering — one JSON summary, or an
 * NDJSON stream of progress lines ending in the summary:
 *   {"type":"progress","phase":"validate","done":5000,"total":12000}
 *   …
 *   {"type":"result","total":12000,"accepted":11990,"rejected":10,"ids":[…],"errors":[…]}
 * If the write transaction fails nothing is written: the summary becomes a 500
 * problem (导入失败), the stream ends in a {"type":"error",…} line instead.
 */
import type { DbHandle } from '../../db/client';
import { DomainError } from '../http/domainError';
import { ingest, IngestFormatError, parseCsv, parseGeoJson, type IngestProgress, type IngestResult, type RawIncident } from './ingest';

const BATCH_ACTOR = '批量导入';
const FAILED = { title: '导入失败', detail: '写入数据库失败，本批次未导入任何记录' } as const;

/** The write transaction failed; the batch is not imported at all. */
export class IngestFailed extends DomainError {
  constructor() {
    super(500, FAILED.title, FAILED.detail);
  }
}

/** The rows of a batch body; the format comes from `?format=` or else the content type. */
export function parseBatch(body: string, format: string | undefined, contentType: string | undefined): RawIncident[] {
  const type = (contentType ?? '').toLowerCase();
  const chosen = format ?? (type.includes('csv') || type.startsWith('text/plain') ? 'csv' : type.includes('json') ? 'geojson' : '');
  if (chosen === 'csv') return parseCsv(body);
  if (chosen === 'geojson') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new IngestFormatError('GeoJSON 不是有效的 JSON');
    }
    return parseGeoJson(parsed);
  }
  throw new IngestFormatError('无法识别的格式：请以 text/csv 或 application/geo+json 提交，或加参数 format=csv|geojson');
}

/** Connection-level failures keep their 503 from app.onError. */
const isUnavailable = (error: unknown) => /^(08|57P)/.test(String((error as { code?: unknown }).code ?? (error as { cause?: { code?: unknown } }).cause?.code ?? ''));

/** Drizzle's message repeats the whole query and its parameters; the cause is what matters. */
const briefly = (error: unknown) => String((error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message).slice(0, 300);

/** The whole batch, answered once it is written (or refused). */
export async function importBatch(db: DbHandle, rows: RawIncident[]): Promise<IngestResult> {
  try {
    return await ingest(db, rows, { actor: BATCH_ACTOR });
  } catch (error) {
    if (isUnavailable(error)) throw error;
    console.error('incident batch ingest failed:', briefly(error));
    throw new IngestFailed();
  }
}

export type BatchEvent = ({ type: 'progress' } & IngestProgress) | ({ type: 'result' } & IngestResult) | ({ type: 'error' } & typeof FAILED);

/** The batch as an NDJSON stream: progress after each chunk of each phase, then the result (or the error). */
export function importBatchStream(db: DbHandle, rows: RawIncident[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const line = (event: BatchEvent) => controller.enqueue(encoder.encode(`${JSON.stringify(event)}\n`));
      try {
        const result = await ingest(db, rows, { actor: BATCH_ACTOR, onProgress: (p) => line({ type: 'progress', ...p }) });
        line({ type: 'result', ...result });
      } catch (error) {
        console.error('incident batch ingest failed:', briefly(error));
        line({ type: 'error', ...FAILED });
      }
      controller.close();
    },
  });
}
