/**
 * The import worker thread: runs parseUpload (reading, parsing, vertex counting
 * and the database-free checks) for one upload at a time, so none of it runs
 * on the server's event loop. Started by parseOffThread.ts through
 * parseWorker.mjs, which registers tsx so this TypeScript loads under tsx and
 * vitest alike. An ImportError travels back as its fields and is rebuilt on
 * the main thread; anything else comes back as a message (a 500 there).
 */
import { parentPort } from 'node:worker_threads';
import type { FieldError } from '../../http/problem';
import { ImportError } from './importError';
import { parseUpload, type ParsedUpload, type ParseRequest } from './parseUpload';

export type WorkerReply =
  | { ok: true; result: ParsedUpload }
  | { ok: false; importError: { status: ImportError['status']; title: string; detail: string; errors: FieldError[] } }
  | { ok: false; failure: string };

const port = parentPort;
if (!port) throw new Error('parseWorker.ts runs only as a worker thread');

port.on('message', (request: ParseRequest) => {
  let reply: WorkerReply;
  try {
    reply = { ok: true, result: parseUpload(request) };
  } catch (err) {
    reply =
      err instanceof ImportError
        ? { ok: false, importError: { status: err.status, title: err.title, detail: err.message, errors: err.errors } }
        : { ok: false, failure: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
  port.postMessage(reply);
});
