import type { DbHandle } from '../../db/client';

/** A benchmark: bench/<name>.bench.ts exports `suite`; bench/run.ts finds and runs it. */
export interface BenchSuite {
  name: string;
  title: string;
  run(context: BenchContext): Promise<void>;
}

export interface BenchContext {
  /** PostGIS database holding the scale sample of `grids` grids. */
  db: DbHandle;
  grids: number;
  /** Opens (and prepares on first use) another scale sample, e.g. 300,000 grids. */
  openScale(grids: number, incidents?: number): Promise<DbHandle>;
  concurrency: number;
}
