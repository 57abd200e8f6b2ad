import { describe, expect, it } from 'vitest';
import { bboxContains, bboxParam, snapBbox } from './bbox';

describe('snapBbox', () => {
  it('snaps outwards so the view stays covered', () => {
    expect(snapBbox([110.1512, 22.6321, 110.1588, 22.6409])).toEqual([110.15, 22.63, 110.16, 22.645]);
  });

  it('gives the same key for small pans', () => {
    const a = bboxParam(snapBbox([110.1512, 22.6321, 110.1588, 22.6409]));
    const b = bboxParam(snapBbox([110.1514, 22.6322, 110.1589, 22.641]));
    expect(a).toBe(b);
    expect(a).toBe('110.15,22.63,110.16,22.645');
  });

  it('stays within lon/lat limits', () => {
    expect(snapBbox([-180, -90, 180, 90], 0.7)).toEqual([-180, -90, 180, 90]);
  });
});

describe('bboxContains', () => {
  it('tests points against the box', () => {
    expect(bboxContains([110, 22, 111, 23], [110.5, 22.5])).toBe(true);
    expect(bboxContains([110, 22, 111, 23], [111.5, 22.5])).toBe(false);
  });
});
