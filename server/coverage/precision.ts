/**
 * Overlay precision. GEOS overlays run in floating precision first (about twice
 * as fast); if one fails — PostGIS raises a TopologyException, the WASM build
 * may instead drop the statement's rows without an error — the work is redone
 * snapped to a fixed grid, which is robust. Callers detect lost rows themselves
 * (they know how many rows to expect) and throw `OverlayIncomplete`.
 */

/** gridSize −1: PostGIS's default floating-precision overlay. */
export const FLOATING = -1;

/** Fixed grids for the retry: 1 cm in projected metres, ~1 cm in degrees. */
export const FIXED_METRES = 0.01;
export const FIXED_DEGREES = 1e-7;

export class OverlayIncomplete extends Error {}

const isTopologyError = (e: unknown) => /TopologyException|GEOS|non-noded|side location conflict/i.test(String((e as Error)?.message ?? e) + String((e as { cause?: Error })?.cause?.message ?? ''));

/**
 * `memory` (e.g. per database and operation) remembers a floating failure, so an
 * engine whose overlays keep failing goes straight to the fixed grid next time.
 */
export async function withPrecisionFallback<T>(run: (gridSize: number) => Promise<T>, fixedGrid: number, memory?: { floatingFailed?: boolean }): Promise<T> {
  if (memory?.floatingFailed) return run(fixedGrid);
  try {
    return await run(FLOATING);
  } catch (e) {
    if (!(e instanceof OverlayIncomplete) && !isTopologyError(e)) throw e;
    if (memory) memory.floatingFailed = true;
    if (process.env.COVERAGE_DEBUG) console.warn(`overlay retried on a ${fixedGrid} grid: ${(e as Error).message.slice(0, 120)}`);
    return run(fixedGrid);
  }
}

const memories = new WeakMap<object, Map<string, { floatingFailed?: boolean }>>();

/** The precision memory of one operation on one database handle. */
export function precisionMemory(handle: object, operation: string): { floatingFailed?: boolean } {
  let byOperation = memories.get(handle);
  if (!byOperation) {
    byOperation = new Map();
    memories.set(handle, byOperation);
  }
  let memory = byOperation.get(operation);
  if (!memory) {
    memory = {};
    byOperation.set(operation, memory);
  }
  return memory;
}
