import { describe, expect, it } from 'vitest';
import { readingOrder } from './numbering';

describe('readingOrder', () => {
  it('numbers rows north to south and west to east within a row', () => {
    // Two rows of three grids, slightly uneven latitudes, given shuffled.
    const points = [
      { item: 'south-east', lon: 3, lat: 1.05 },
      { item: 'north-west', lon: 1, lat: 2.0 },
      { item: 'south-west', lon: 1, lat: 0.95 },
      { item: 'north-east', lon: 3, lat: 1.9 },
      { item: 'north-middle', lon: 2, lat: 2.1 },
      { item: 'south-middle', lon: 2, lat: 1.0 },
    ];
    expect(readingOrder(points, 0.3)).toEqual(['north-west', 'north-middle', 'north-east', 'south-west', 'south-middle', 'south-east']);
  });

  it('puts grids beyond the row tolerance into the next row', () => {
    const points = [
      { item: 'a', lon: 5, lat: 10 },
      { item: 'b', lon: 1, lat: 9.5 },
    ];
    expect(readingOrder(points, 0.2)).toEqual(['a', 'b']);
    expect(readingOrder(points, 0.6)).toEqual(['b', 'a']);
  });
});
