/**
 * A CSV or GeoJSON batch of incidents over HTTP (POST /api/incidents/batch): which
 * format and encoding the body is in, who may bring which times, and the two ways
 * of answering — one JSON summary, or an NDJSON stream of progress lines ending in
 * the summary:
 *   {"type":"progress","phase":"validate","done":5000,"total":12000}
 *   …
 *   {"type":"result","total":12000,"accepted":11990,"rejected":10,"ids":[…],"errors":[…],"encoding":"utf-8"}
 * An admin's batch is an import of historical cases: each row carries its 上报时间 and
 * the history is marked imported. A planner's batch records current cases at the
 * server's clock, and every row must lie in their jurisdiction or nothing is written
 * (403 — checked before the stream starts, so a streamed refusal is a 403 too).
 * If the write transaction fails nothing is written: the summary becomes a 500
 * problem (导入失败), the stream ends in a {"type":"error",…} line instead.
 */
import type { DbHandle } from '../../db/client';
import { DomainError } from '../http/domainError';
import type { BatchEncoding, DecodedBatch } from './batchEncoding';
import { checkRows, IngestFormatError, parseCsv, parseGeoJson, writeChecked, type CheckedBatch, type IngestOptions, type IngestProgress, type IngestResult, type RawIncident } from './ingest';
import type { IncidentWriter } from './incidentWriter';

const FAILED = { title: '导入失败', detail: '写入数据库失败，本批次未导入任何记录' } as const;

/** The write transaction failed; the batch is not imported at all. */
export class IngestFailed extends DomainError {
  constructor() {
    super(500, FAILED.title, FAILED.detail);
  }
}

/** The summary of a batch: the ingest result and the encoding the file was read in. */
export interface BatchResult extends IngestResult {
  encoding: BatchEncoding;
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

const batchOptions = (writer: IncidentWriter, batch: DecodedBatch): IngestOptions => ({
  writer,
  times: writer.role === 'admin' ? 'file' : 'server',
  encoding: batch.encoding,
});

/** The whole batch, answered once it is written (or refused). */
export async function importBatch(db: DbHandle, batch: DecodedBatch, format: string | undefined, contentType: string | undefined, writer: IncidentWriter): Promise<BatchResult> {
  const rows = parseBatch(batch.text, format, contentType);
  const options = batchOptions(writer, batch);
  return failedAsIngestFailed(async () => ({ ...(await writeChecked(db, await checkRows(db, rows, options), options)), encoding: batch.encoding }));
}

/** Refusals (DomainError) and connection failures (503) keep their answer; anything else is 导入失败. */
async function failedAsIngestFailed<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError || isUnavailable(error)) throw error;
    console.error('incident batch ingest failed:', briefly(error));
    throw new IngestFailed();
  }
}

export type BatchEvent = ({ type: 'progress' } & IngestProgress) | ({ type: 'result' } & BatchResult) | ({ type: 'error' } & typeof FAILED);

/**
 * The batch as an NDJSON stream: progress after each chunk of each phase, then the
 * result (or the error). A planner's rows are checked before the stream opens (their
 * validation progress is sent first thing), so a refusal is an ordinary problem answer.
 */
export async function importBatchStream(db: DbHandle, batch: DecodedBatch, format: string | undefined, contentType: string | undefined, writer: IncidentWriter): Promise<ReadableStream<Uint8Array>> {
  const rows = parseBatch(batch.text, format, contentType);
  const options = batchOptions(writer, batch);
  const early: BatchEvent[] = [];
  const prechecked: CheckedBatch | null = writer.role === 'admin' ? null : await failedAsIngestFailed(() => checkRows(db, rows, { ...options, onProgress: (p) => early.push({ type: 'progress', ...p }) }));
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const line = (event: BatchEvent) => controller.enqueue(encoder.encode(`${JSON.stringify(event)}\n`));
      try {
        early.forEach(line);
        const streamed = { ...options, onProgress: (p: IngestProgress) => line({ type: 'progress', ...p }) };
        const checked = prechecked ?? (await checkRows(db, rows, streamed));
        const result = await writeChecked(db, checked, streamed);
        line({ type: 'result', ...result, encoding: batch.encoding });
      } catch (error) {
        console.error('incident batch ingest failed:', briefly(error));
        line({ type: 'error', ...FAILED });
      }
      controller.close();
    },
  });
}
