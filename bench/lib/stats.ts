/** Latency statistics for benchmarks. */
export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  const rank = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[rank] as number;
}

export interface RunStats {
  count: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
}

/** Runs `task` for every item with `concurrency` in flight; returns throughput and latency percentiles. */
export async function measure<T>(items: T[], concurrency: number, task: (item: T) => Promise<unknown>): Promise<RunStats> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        const t0 = performance.now();
        await task(item);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return statsOf(latencies, (performance.now() - started) / 1000);
}

/** Throughput and percentiles of one run: each request's latency (ms) and the run's wall time. */
export function statsOf(latencies: number[], seconds: number): RunStats {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { count: sorted.length, seconds, perSecond: sorted.length / seconds, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}

export const fmt = (n: number, digits = 1) => n.toFixed(digits);
export const describeStats = (s: RunStats) => `${fmt(s.perSecond)} /s, p50 ${fmt(s.p50)} ms, p95 ${fmt(s.p95)} ms, p99 ${fmt(s.p99)} ms (${s.count} in ${fmt(s.seconds, 2)} s)`;
