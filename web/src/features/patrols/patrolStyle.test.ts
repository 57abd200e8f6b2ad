import { describe, expect, it } from 'vitest';
import { hoursText, kmText, workerColour } from './patrolStyle';

describe('patrol layer style', () => {
  it('gives each worker a stable colour and writes figures in Chinese units', () => {
    expect(workerColour(7)).toEqual(workerColour(17));
    expect(workerColour(7)).not.toEqual(workerColour(8));
    expect(hoursText(5400)).toBe('1.5 小时');
    expect(kmText(1234)).toBe('1.2 公里');
  });
});
