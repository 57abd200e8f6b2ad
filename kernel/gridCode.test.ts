import { describe, expect, it } from 'vitest';
import { ANY_GRID_CODE_PATTERN, formatExclusiveGridCode, formatGridCode, formatMicroGridCode, isGridCode, parseGridCode, parseLevelCode } from './gridCode';

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

describe('grid level codes', () => {
  it('extends a base grid code by a 2-digit micro sequence (17 digits)', () => {
    expect(formatMicroGridCode('450902005001002', 3)).toBe('45090200500100203');
    expect(parseLevelCode('45090200500100203')).toEqual({ level: 'micro', communityCode: '450902005001', baseGridCode: '450902005001002', sequence: 3 });
    expect(() => formatMicroGridCode('450902005001002', 100)).toThrow();
    expect(() => formatMicroGridCode('450902005001000', 1)).toThrow();
    expect(parseLevelCode('45090200500100200')).toBeNull();
  });

  it('codes a 专属网格 as community + kind digit + 3-digit sequence (16 digits)', () => {
    expect(formatExclusiveGridCode('450902005001', '医院', 1)).toBe('4509020050012001');
    expect(parseLevelCode('4509020050014002')).toEqual({ level: 'exclusive', communityCode: '450902005001', kind: '商务楼宇', sequence: 2 });
    expect(parseLevelCode('4509020050016001')).toBeNull();
    expect(parseLevelCode('4509020050011000')).toBeNull();
  });

  it('tells the levels apart by length, every one matching the any-level pattern', () => {
    const codes = ['450902005001002', formatMicroGridCode('450902005001002', 1), formatExclusiveGridCode('450902005001', '学校', 1)];
    expect(codes.map((c) => parseLevelCode(c)?.level)).toEqual(['base', 'micro', 'exclusive']);
    for (const c of codes) expect(ANY_GRID_CODE_PATTERN.test(c)).toBe(true);
  });
});
