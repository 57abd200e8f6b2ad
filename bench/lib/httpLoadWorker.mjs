/**
 * Why: the load generator of bench/lib/httpLoad.ts, in its own thread so that parsing the
 * answers does not share the event loop of the server it measures (a server's real clients
 * are browsers elsewhere). It is also as light as a client can be — `concurrency` keep-alive
 * sockets, each writing a bare HTTP/1.1 GET and reading the answer's status line, headers and
 * Content-Length or chunked body, like wrk does — because on the bench's 2 cores every
 * millisecond the client spends is taken from the server it measures (node:http's client cost
 * about 0.3 ms per request, as much as the whole server-side overhead being measured).
 * Posts back the latency of every request and any failure. Plain JavaScript: a worker's entry
 * file is loaded by Node itself, without the TypeScript loader the bench runs under.
 */
import { connect } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';

/** @type {{ base: string, paths: string[], warmup: string[], concurrency: number, headers: Record<string, string>, status: number }} */
const job = workerData;
const url = new URL(job.base);
const extraHeaders = Object.entries(job.headers)
  .map(([k, v]) => `${k}: ${v}\r\n`)
  .join('');
const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * One keep-alive connection answering one request at a time. `get` resolves with the status
 * once the whole body has arrived (Content-Length, or chunked up to the last chunk).
 */
function connection() {
  const socket = connect({ host: url.hostname, port: Number(url.port) });
  socket.setNoDelay(true);
  /** @type {Buffer} */
  let buffered = Buffer.alloc(0);
  /** @type {{ done: (status: number) => void, fail: (err: Error) => void } | null} */
  let waiting = null;
  /** @type {{ status: number, remaining: number, chunked: boolean } | null} */
  let answer = null;
  const fail = (/** @type {Error} */ err) => {
    const w = waiting;
    waiting = null;
    w?.fail(err);
  };
  socket.on('error', fail);
  socket.on('close', () => fail(new Error('connection closed')));
  socket.on('data', (data) => {
    buffered = buffered.length === 0 ? data : Buffer.concat([buffered, data]);
    for (;;) {
      if (!answer) {
        const end = buffered.indexOf(HEADER_END);
        if (end < 0) return;
        const head = buffered.subarray(0, end).toString('latin1');
        buffered = buffered.subarray(end + 4);
        const status = Number(head.slice(9, 12));
        const length = /\r\ncontent-length: *(\d+)/i.exec(head);
        const chunked = /\r\ntransfer-encoding: *chunked/i.test(head);
        // 204 and 304 answers never have a body, whatever their headers say.
        const bodyless = status === 204 || status === 304;
        answer = { status, remaining: length && !bodyless ? Number(length[1]) : 0, chunked: chunked && !length && !bodyless };
      }
      if (answer.chunked) {
        // Chunks: "<hex size>\r\n<data>\r\n", the last one of size 0 followed by "\r\n".
        const line = buffered.indexOf('\r\n');
        if (line < 0) return;
        const size = Number.parseInt(buffered.subarray(0, line).toString('latin1'), 16);
        if (buffered.length < line + 2 + size + 2) return;
        buffered = buffered.subarray(line + 2 + size + 2);
        if (size > 0) continue;
      } else {
        const take = Math.min(answer.remaining, buffered.length);
        answer.remaining -= take;
        buffered = buffered.subarray(take);
        if (answer.remaining > 0) return;
      }
      const { status } = answer;
      answer = null;
      const w = waiting;
      waiting = null;
      w?.done(status);
      if (buffered.length === 0) return;
    }
  });
  const ready = new Promise((done, failed) => {
    socket.once('connect', done);
    socket.once('error', failed);
  });
  return {
    ready,
    /** @param {string} path @returns {Promise<number>} */
    get: (path) =>
      new Promise((done, failed) => {
        waiting = { done, fail: failed };
        socket.write(`GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\n${extraHeaders}\r\n`);
      }),
    close: () => socket.destroy(),
  };
}

/** @param {ReturnType<typeof connection>[]} connections @param {string[]} paths @returns {Promise<{ latencies: number[], ms: number }>} */
async function pass(connections, paths) {
  /** @type {number[]} */
  const latencies = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    connections.map(async (conn) => {
      while (next < paths.length) {
        const path = paths[next++];
        const t0 = performance.now();
        const status = await conn.get(path);
        if (status !== job.status) throw new Error(`${path}: ${status}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies, ms: performance.now() - started };
}

async function run() {
  const connections = Array.from({ length: job.concurrency }, connection);
  await Promise.all(connections.map((c) => c.ready));
  // The warm-up pass, unmeasured, in this same thread: its code is compiled and its sockets open when measuring starts.
  await pass(connections, job.warmup);
  parentPort?.postMessage(await pass(connections, job.paths));
  for (const c of connections) c.close();
}

run().catch((err) => parentPort?.postMessage({ error: String(err) }));
