import { describe, expect, it } from 'vitest';
import { FLOATING, OverlayIncomplete, withPrecisionFallback } from './precision';

describe('overlay precision fallback', () => {
  it('uses floating precision when it works', async () => {
    const grids: number[] = [];
    expect(
      await withPrecisionFallback(async (g) => {
        grids.push(g);
        return 'ok';
      }, 0.01),
    ).toBe('ok');
    expect(grids).toEqual([FLOATING]);
  });

  it.each([
    ['lost rows', new OverlayIncomplete('lost')],
    ['a GEOS topology error', Object.assign(new Error('Failed query'), { cause: new Error('GEOSUnaryUnion: TopologyException: found non-noded intersection') })],
  ])('retries on the fixed grid after %s', async (_label, failure) => {
    const grids: number[] = [];
    const result = await withPrecisionFallback(async (g) => {
      grids.push(g);
      if (g === FLOATING) throw failure;
      return 'fixed';
    }, 0.01);
    expect(result).toBe('fixed');
    expect(grids).toEqual([FLOATING, 0.01]);
  });

  it('goes straight to the fixed grid once floating precision has failed for that memory', async () => {
    const memory = {};
    const grids: number[] = [];
    const run = async (g: number) => {
      grids.push(g);
      if (g === FLOATING) throw new OverlayIncomplete('lost');
      return g;
    };
    expect(await withPrecisionFallback(run, 0.01, memory)).toBe(0.01);
    expect(await withPrecisionFallback(run, 0.01, memory)).toBe(0.01);
    expect(grids).toEqual([FLOATING, 0.01, 0.01]);
  });

  it('does not retry unrelated errors', async () => {
    let calls = 0;
    await expect(
      withPrecisionFallback(async () => {
        calls++;
        throw new Error('connection refused');
      }, 0.01),
    ).rejects.toThrow('connection refused');
    expect(calls).toBe(1);
  });
});
