/**
 * Why: the load generator of bench/lib/httpLoad.ts, in its own thread so that parsing the
 * answers does not share the event loop of the server it measures (a server's real clients
 * are browsers elsewhere). Keep-alive node:http, `concurrency` requests in flight; posts back
 * the latency of every request and any failure. Plain JavaScript: a worker's entry file is
 * loaded by Node itself, without the TypeScript loader the bench runs under.
 */
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

/** @type {{ base: string, paths: string[], warmup: string[], concurrency: number, headers: Record<string, string>, status: number }} */
const job = workerData;
const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });

/** @param {string} path @returns {Promise<number>} */
const get = (path) =>
  new Promise((done, fail) => {
    const req = request(`${job.base}${path}`, { agent, headers: job.headers }, (res) => {
      res.on('data', () => {});
      res.on('end', () => done(res.statusCode ?? 0));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end();
  });

/** @param {string[]} paths @returns {Promise<{ latencies: number[], ms: number }>} */
async function pass(paths) {
  /** @type {number[]} */
  const latencies = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      while (next < paths.length) {
        const path = paths[next++];
        const t0 = performance.now();
        const status = await get(path);
        if (status !== job.status) throw new Error(`${path}: ${status}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies, ms: performance.now() - started };
}

async function run() {
  // The warm-up pass, unmeasured, in this same thread: its code is compiled and its sockets open when measuring starts.
  await pass(job.warmup);
  parentPort?.postMessage(await pass(job.paths));
  agent.destroy();
}

run().catch((err) => parentPort?.postMessage({ error: String(err) }));
