/**
 * Which dataset is loaded (label, sample or real), as the loader recorded it in
 * the `meta` table; the header shows it so sample data is never taken for real.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';

export interface DatasetMeta {
  label: string;
  sample: boolean;
}

export const NO_DATASET: DatasetMeta = { label: '无数据', sample: false };

export async function loadDatasetMeta(handle: DbHandle): Promise<DatasetMeta> {
  const [row] = await handle.rows<{ value: { label: string; sample: boolean } }>(sql`SELECT value FROM meta WHERE key = 'dataset'`);
  return row?.value ?? NO_DATASET;
}
