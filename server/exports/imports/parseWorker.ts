/**
 * The import worker thread. Each upload's body arrives here chunk by chunk as
 * the request streams in (so the main thread never holds or copies it whole);
 * on `end` the worker assembles it and runs parseUpload — one upload at a time
 * — so none of the reading, parsing and checking runs on the server's event
 * loop. Started by parseOffThread.ts through parseWorker.mjs, which registers
 * tsx so this TypeScript loads under tsx and vitest alike. An ImportError
 * travels back as its fields and is rebuilt on the main thread; anything else
 * comes back as a message (a 500 there).
 */
import { parentPort } from 'node:worker_threads';
import type { FieldError } from '../../http/problem';
import { ImportError } from './importError';
import { parseUpload, type ParsedUpload, type ParseOptions } from './parseUpload';

export type ToWorker = { id: number; chunk: Uint8Array } | { id: number; end: { contentType: string; options: ParseOptions } } | { id: number; abort: true };

export type WorkerReply = { ok: true; result: ParsedUpload } | { ok: false; importError: { status: ImportError['status']; title: string; detail: string; errors: FieldError[] } } | { ok: false; failure: string };

/** `parsing`: this upload is the one being parsed now (so a crash is blamed on it alone). */
export type FromWorker = { id: number; parsing: true } | { id: number; reply: WorkerReply };

const port = parentPort;
if (!port) throw new Error('parseWorker.ts runs only as a worker thread');

const bodies = new Map<number, Uint8Array[]>();
let turn: Promise<void> = Promise.resolve();

function assemble(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) out.set(c, at), (at += c.length);
  return out;
}

async function parse(id: number, chunks: Uint8Array[], { contentType, options }: { contentType: string; options: ParseOptions }): Promise<void> {
  port!.postMessage({ id, parsing: true } satisfies FromWorker);
  let reply: WorkerReply;
  try {
    reply = { ok: true, result: await parseUpload(assemble(chunks), contentType, options) };
  } catch (err) {
    reply =
      err instanceof ImportError
        ? { ok: false, importError: { status: err.status, title: err.title, detail: err.message, errors: err.errors } }
        : { ok: false, failure: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
  port!.postMessage({ id, reply } satisfies FromWorker);
}

port.on('message', (message: ToWorker) => {
  if ('chunk' in message) {
    const chunks = bodies.get(message.id);
    if (chunks) chunks.push(message.chunk);
    else bodies.set(message.id, [message.chunk]);
    return;
  }
  const chunks = bodies.get(message.id) ?? [];
  bodies.delete(message.id);
  if ('end' in message) {
    const { end } = message;
    turn = turn.then(() => parse(message.id, chunks, end));
  }
});
