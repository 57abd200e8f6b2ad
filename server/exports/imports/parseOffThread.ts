/**
 * Runs parseUpload in a worker thread, so reading and checking a large upload
 * (a 29 MB GeoJSON took 19–40 s and stalled every other request) happens off
 * the event loop; the database work stays on the main thread. One worker,
 * started on the first import and stopped after a minute idle, takes one
 * upload at a time (others wait their turn, which also bounds the memory
 * parsing can take); its heap is capped, and running out of it is a 413.
 * The upload's bytes are transferred, not copied.
 */
import { Worker } from 'node:worker_threads';
import { ImportError } from './importError';
import type { ParsedUpload, ParseRequest } from './parseUpload';
import type { WorkerReply } from './parseWorker';

/** Heap of the import worker; a file that needs more is refused (413). */
export const WORKER_MAX_HEAP_MB = 1024;
const IDLE_MS = 60_000;

let worker: Worker | null = null;
let idleTimer: NodeJS.Timeout | null = null;
let queue: Promise<unknown> = Promise.resolve();

function startWorker(): Worker {
  // execArgv []: the entry registers tsx itself (inheriting the parent's tsx flags would register it twice).
  const w = new Worker(new URL('./parseWorker.mjs', import.meta.url), { execArgv: [], resourceLimits: { maxOldGenerationSizeMb: WORKER_MAX_HEAP_MB } });
  w.on('exit', () => {
    if (worker === w) worker = null;
  });
  w.on('error', () => {}); // each job listens for its own failure; this keeps a failure between jobs from being unhandled
  return w;
}

const tooComplex = () =>
  new ImportError(413, '图形过于复杂', `读取文件所需的内存超过上限（${WORKER_MAX_HEAP_MB} MB），请简化图形或分批导入，未写入任何数据`, [{ field: 'file', reason: '文件过于复杂' }]);

function run(request: ParseRequest): Promise<ParsedUpload> {
  if (idleTimer) clearTimeout(idleTimer);
  const w = (worker ??= startWorker());
  w.ref(); // a job in progress keeps the process alive; an idle worker does not
  return new Promise<ParsedUpload>((resolve, reject) => {
    const done = () => {
      w.off('message', onMessage);
      w.off('error', onError);
      w.off('exit', onExit);
    };
    const onMessage = (reply: WorkerReply) => {
      done();
      if (reply.ok) resolve(reply.result);
      else if ('importError' in reply) {
        const { status, title, detail, errors } = reply.importError;
        reject(new ImportError(status as ConstructorParameters<typeof ImportError>[0], title, detail, errors));
      } else reject(new Error(`import worker: ${reply.failure}`));
    };
    const onError = (err: Error & { code?: string }) => {
      done();
      if (worker === w) worker = null;
      reject(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? tooComplex() : err);
    };
    const onExit = (code: number) => {
      done();
      reject(new Error(`import worker exited (${code})`));
    };
    w.on('message', onMessage);
    w.on('error', onError);
    w.on('exit', onExit);
    const { bytes } = request;
    // Transfer the upload's buffer when the bytes own all of it; otherwise structured clone copies the view.
    const transfer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer ? [bytes.buffer] : [];
    w.postMessage(request, transfer);
  }).finally(() => {
    if (worker !== w) return;
    w.unref();
    idleTimer = setTimeout(() => {
      if (worker === w) worker = null;
      void w.terminate();
    }, IDLE_MS);
    idleTimer.unref();
  });
}

/** parseUpload(request), computed in the import worker; uploads are taken one at a time. */
export function parseOffThread(request: ParseRequest): Promise<ParsedUpload> {
  const job = queue.then(() => run(request));
  queue = job.catch(() => undefined);
  return job;
}
