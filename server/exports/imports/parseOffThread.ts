/**
 * Runs parseUpload in a worker thread, so taking in and checking a large upload
 * (a 29 MB GeoJSON took 19–40 s and stalled every other request for seconds)
 * happens off the event loop; the database work stays on the main thread.
 * The request body is streamed to the worker chunk by chunk as it arrives —
 * buffering it here (arrayBuffer(), formData()) is itself a stall of a second
 * on a loaded machine — and counted against IMPORT_MAX_BYTES on the way.
 * One worker, started on the first import and stopped after five idle minutes,
 * parses one upload at a time; its heap is capped, and a file that needs more
 * is a 413.
 */
import { Worker } from 'node:worker_threads';
import { DomainError } from '../../http/domainError';
import { ImportError } from './importError';
import type { ParsedUpload, ParseOptions } from './parseUpload';
import type { FromWorker, ToWorker } from './parseWorker';
import { IMPORT_MAX_BYTES, uploadTooLarge, type UploadStream } from './upload';

/** Heap of the import worker; a file that needs more is refused (413). */
export const WORKER_MAX_HEAP_MB = 1024;
const IDLE_MS = 5 * 60_000;

interface Job {
  resolve(result: ParsedUpload): void;
  reject(err: Error): void;
  parsing: boolean;
}

let worker: Worker | null = null;
let idleTimer: NodeJS.Timeout | null = null;
let nextId = 1;
const jobs = new Map<number, Job>();

const tooComplex = () => new ImportError(413, '图形过于复杂', `读取文件所需的内存超过上限（${WORKER_MAX_HEAP_MB} MB），请简化图形或分批导入，未写入任何数据`, [{ field: 'file', reason: '文件过于复杂' }]);
const workerLost = () => new DomainError(503, '导入暂不可用', '读取文件的后台线程意外停止，请重新上传');

function replyError(reply: Extract<FromWorker, { reply: unknown }>['reply']): Error {
  if (reply.ok) return new Error('not an error');
  if ('importError' in reply) {
    const { status, title, detail, errors } = reply.importError;
    return new ImportError(status as ConstructorParameters<typeof ImportError>[0], title, detail, errors);
  }
  return new Error(`import worker: ${reply.failure}`);
}

function startWorker(): Worker {
  // execArgv []: the entry registers tsx itself (inheriting the parent's tsx flags would register it twice).
  const w = new Worker(new URL('./parseWorker.mjs', import.meta.url), { execArgv: [], resourceLimits: { maxOldGenerationSizeMb: WORKER_MAX_HEAP_MB } });
  w.on('message', (message: FromWorker) => {
    const job = jobs.get(message.id);
    if (!job) return;
    if ('parsing' in message) {
      job.parsing = true;
      return;
    }
    jobs.delete(message.id);
    if (message.reply.ok) job.resolve(message.reply.result);
    else job.reject(replyError(message.reply));
  });
  const lost = (err: (Error & { code?: string }) | null) => {
    if (worker !== w) return;
    worker = null;
    for (const [id, job] of jobs) {
      jobs.delete(id);
      job.reject(job.parsing && err?.code === 'ERR_WORKER_OUT_OF_MEMORY' ? tooComplex() : workerLost());
    }
  };
  w.on('error', (err) => lost(err));
  w.on('exit', () => lost(null));
  return w;
}

function busy(): Worker {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  const w = (worker ??= startWorker());
  w.ref(); // a job in progress keeps the process alive; an idle worker does not
  return w;
}

function maybeIdle(w: Worker): void {
  if (jobs.size > 0 || worker !== w) return;
  w.unref();
  idleTimer = setTimeout(() => {
    if (jobs.size > 0 || worker !== w) return;
    worker = null;
    void w.terminate();
  }, IDLE_MS);
  idleTimer.unref();
}

/** parseUpload of the streamed body, computed in the import worker. 413 past IMPORT_MAX_BYTES. */
export async function parseOffThread(upload: UploadStream, options: ParseOptions): Promise<ParsedUpload> {
  if (upload.declaredLength !== null && upload.declaredLength > IMPORT_MAX_BYTES) throw uploadTooLarge();
  const w = busy();
  const id = nextId++;
  const result = new Promise<ParsedUpload>((resolve, reject) => jobs.set(id, { resolve, reject, parsing: false }));
  result.catch(() => undefined); // rejected while the body is still streaming: reported below, not unhandled
  const send = (message: ToWorker, transfer: ArrayBuffer[] = []) => w.postMessage(message, transfer);
  try {
    if (upload.body) {
      const reader = upload.body.getReader();
      let size = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.length;
        if (size > IMPORT_MAX_BYTES) {
          void reader.cancel();
          throw uploadTooLarge();
        }
        // An exact copy of the chunk, moved (not cloned again) to the worker.
        const chunk = value.slice();
        send({ id, chunk }, [chunk.buffer as ArrayBuffer]);
      }
    }
  } catch (err) {
    jobs.delete(id);
    send({ id, abort: true });
    maybeIdle(w);
    throw err;
  }
  send({ id, end: { contentType: upload.contentType, options } });
  try {
    return await result;
  } finally {
    maybeIdle(w);
  }
}
