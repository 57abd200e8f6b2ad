/**
 * Why: HTTP benches measured their own client too — the keep-alive client ran in the server's
 * process and event loop, and at cached-tile speed it cost as much CPU as the server. This runs
 * the requests from a worker thread (bench/lib/httpLoadWorker.ts) and returns the same
 * statistics as measure(): throughput over the whole run, latency percentiles per request.
 * `warmup` paths are fetched first by the same thread and not counted.
 */
import { Worker } from 'node:worker_threads';
import { statsOf, type RunStats } from './stats';

export async function httpLoad(base: string, paths: string[], concurrency: number, options: { headers?: Record<string, string>; status?: number; warmup?: string[] } = {}): Promise<RunStats> {
  const worker = new Worker(new URL('./httpLoadWorker.mjs', import.meta.url), {
    workerData: { base, paths, warmup: options.warmup ?? [], concurrency, headers: options.headers ?? {}, status: options.status ?? 200 },
  });
  const result = await new Promise<{ latencies?: number[]; ms?: number; error?: string }>((done, fail) => {
    worker.once('message', done);
    worker.once('error', fail);
  });
  await worker.terminate();
  if (result.error || !result.latencies || result.ms === undefined) throw new Error(`HTTP load failed: ${result.error ?? 'no result'}`);
  return statsOf(result.latencies, result.ms / 1000);
}
