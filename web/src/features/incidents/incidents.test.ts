import { describe, expect, it } from 'vitest';
import { colourFor, INCIDENT_RAMP, legendTicks } from './colourScale';
import { EMPTY_FILTER, filterQuery, toggle, viewArea } from './incidentFilter';
import { advance, framesFromBuckets, lastTwelveMonths, nextFrame, tickMs } from './playback';

describe('incident filter query', () => {
  it('leaves out empty lists and sorts values so query keys are stable', () => {
    expect(filterQuery(EMPTY_FILTER)).toEqual({});
    expect(filterQuery({ categories: ['SS01', 'SR01'], sources: ['hotline'], stages: [], region: '450902001' }, { from: 'a', to: 'b' })).toEqual({
      category: 'SR01,SS01',
      source: 'hotline',
      region: '450902001',
      from: 'a',
      to: 'b',
    });
    expect(toggle(['a', 'b'], 'a')).toEqual(['b']);
    expect(toggle(['b'], 'a')).toEqual(['b', 'a']);
  });

  it('asks for the whole city up to zoom 12 and for the padded, snapped view deeper in', () => {
    const view: [number, number, number, number] = [110.12, 22.6, 110.2, 22.66];
    expect(viewArea(12, view)).toEqual({});
    expect(viewArea(14, undefined)).toEqual({});
    const { bbox } = viewArea(14, view);
    const [w, s, e, n] = bbox!.split(',').map(Number) as [number, number, number, number];
    expect(w).toBeLessThan(110.12 - 0.004);
    expect(s).toBeLessThan(22.6 - 0.003);
    expect(e).toBeGreaterThan(110.2 + 0.004);
    expect(n).toBeGreaterThan(22.66 + 0.003);
    // A small pan inside the same lattice cell keeps the same request (and cache entry).
    expect(viewArea(14, [110.1201, 22.6001, 110.2001, 22.6601])).toEqual({ bbox });
  });
});

describe('playback', () => {
  it('turns weekly buckets into back-to-back frames and wraps around', () => {
    const frames = framesFromBuckets(
      [
        { start: '2026-01-05T00:00:00+08:00', count: 3 },
        { start: '2026-01-12T00:00:00+08:00', count: 0 },
      ],
      'week',
    );
    expect(frames.map((f) => [f.from, f.to])).toEqual([
      ['2026-01-05T00:00:00+08:00', '2026-01-12T00:00:00+08:00'],
      ['2026-01-12T00:00:00+08:00', '2026-01-19T00:00:00+08:00'],
    ]);
    expect(frames[0]!.label).toBe('2026年1月5日起一周');
    expect(nextFrame(0, 2)).toBe(1);
    expect(nextFrame(1, 2)).toBe(0);
    expect(advance('2026-02-01T00:00:00+08:00', 'month')).toBe('2026-03-01T00:00:00+08:00');
    expect([tickMs(1), tickMs(2), tickMs(4)]).toEqual([800, 400, 200]);
  });

  it('spans the last twelve months in whole Beijing days', () => {
    expect(lastTwelveMonths(new Date('2026-11-20T17:00:00Z'))).toEqual({ from: '2025-11-22T00:00:00+08:00', to: '2026-11-22T00:00:00+08:00' });
  });
});

describe('incident colour scale', () => {
  it('maps 0..max onto the ramp and clamps above the domain', () => {
    expect(colourFor(0, 10)[3]).toBe(0);
    expect(colourFor(10, 10)).toEqual([...INCIDENT_RAMP[5]!, 210]);
    expect(colourFor(50, 10)).toEqual([...INCIDENT_RAMP[5]!, 210]);
    expect(colourFor(2, 10)).toEqual([...INCIDENT_RAMP[1]!, 210]);
    expect(legendTicks(3)).toEqual([0, 1, 2, 3]);
    expect(legendTicks(87)).toEqual([0, 25, 50, 75, 87]);
    expect(legendTicks(1000)).toEqual([0, 250, 500, 750, 1000]);
  });
});
