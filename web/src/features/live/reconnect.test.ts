/** The live stream's reconnect schedule: doubling from 0.5 s, capped at 10 s, jittered ±20 %. */
import { describe, expect, it } from 'vitest';
import { reconnectDelayMs } from './useIncidentEvents';

describe('reconnectDelayMs', () => {
  it('doubles from 0.5 s up to 10 s', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 7, 12].map((n) => reconnectDelayMs(n, mid))).toEqual([500, 1000, 2000, 4000, 8000, 10000, 10000, 10000]);
  });
  it('spreads clients by ±20 % so a restarted server is not hit by all at once', () => {
    expect(reconnectDelayMs(3, () => 0)).toBe(1600);
    expect(reconnectDelayMs(3, () => 1)).toBe(2400);
  });
});
