/**
 * First start on an empty database: generate and load the 玉州区 sample, its year of
 * incidents ending at the load time (so this month and today have cases).
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../db/client';
import { loadDataset } from './load';
import { DEFAULT_SAMPLE, generateSample, type SampleOptions } from './sample';

export async function ensureSampleData(handle: DbHandle, options: SampleOptions = { ...DEFAULT_SAMPLE, now: new Date() }, log: (line: string) => void = () => {}): Promise<boolean> {
  const [row] = await handle.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM regions`);
  if ((row?.n ?? 0) > 0) return false;
  log('数据库为空，正在生成示例数据（玉林市玉州区）…');
  const dataset = generateSample(options);
  await loadDataset(handle, dataset, (step, done, total) => {
    if (done === total) log(`  ${step}: ${total}`);
  });
  return true;
}
