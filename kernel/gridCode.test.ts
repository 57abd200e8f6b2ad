import { describe, expect, it } from 'vitest';
import { formatGridCode, isGridCode, parseGridCode } from './gridCode';

describe('grid codes', () => {
  it('splits a 15-digit code into county, street, community and sequence', () => {
    expect(parseGridCode('450902005001012')).toEqual({ countyCode: '450902', streetCode: '450902005', communityCode: '450902005001', sequence: 12 });
  });

  it('formats sequences with three digits and refuses out-of-range values', () => {
    expect(formatGridCode('450902005001', 7)).toBe('450902005001007');
    expect(() => formatGridCode('450902005001', 0)).toThrow();
    expect(() => formatGridCode('450902005001', 1000)).toThrow();
    expect(() => formatGridCode('45090200500', 1)).toThrow();
  });

  it('accepts only 15 digits with a non-zero sequence', () => {
    expect(isGridCode('450902005001001')).toBe(true);
    expect(isGridCode('450902005001000')).toBe(false);
    expect(isGridCode('45090200500100')).toBe(false);
    expect(isGridCode('45090200500100a')).toBe(false);
  });
});
