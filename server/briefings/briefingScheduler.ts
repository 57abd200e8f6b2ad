/**
 * Why: the in-process schedule of the 月报 (started by server/main.ts): a catch-up pass
 * on start (missing past months), then a check every hour — on the 1st of a month the
 * previous month becomes due. Safe with several processes: runBriefingSchedule claims
 * each (region, month) through the table's unique key. Failures are logged and the
 * failed rows retried on the next pass.
 */
import type { DbHandle } from '../../db/client';
import { runBriefingSchedule } from './briefingJobs';

export function startBriefingScheduler(db: DbHandle, log: (line: string) => void = console.log, everyMs = 3600_000): () => void {
  let running = false;
  let stopped = false;
  const pass = async () => {
    if (running || stopped) return;
    running = true;
    try {
      const { generated, failed } = await runBriefingSchedule(db);
      if (generated.length) log(`月报：已生成 ${generated.length} 份（${generated.map((g) => `${g.regionName} ${g.month}`).join('、')}）`);
      for (const f of failed.slice(0, 3)) log(`月报生成失败：${f.region} ${f.month}：${f.error}`);
    } catch (err) {
      log(`月报计划任务出错：${(err as Error).message}`);
    } finally {
      running = false;
    }
  };
  const first = setTimeout(pass, 5_000);
  const timer = setInterval(pass, everyMs);
  return () => {
    stopped = true;
    clearTimeout(first);
    clearInterval(timer);
  };
}
