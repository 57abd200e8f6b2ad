import { describe, expect, it } from 'vitest';
import { pointInGeometry } from './inside';

const square = (x0: number, y0: number, s: number) => [
  [x0, y0],
  [x0 + s, y0],
  [x0 + s, y0 + s],
  [x0, y0 + s],
  [x0, y0],
];

describe('pointInGeometry', () => {
  it('tells inside, outside and holes of polygons and multipolygons', () => {
    const withHole = { type: 'Polygon' as const, coordinates: [square(110, 22, 1), square(110.4, 22.4, 0.2)] };
    expect(pointInGeometry([110.1, 22.1], withHole)).toBe(true);
    expect(pointInGeometry([110.5, 22.5], withHole)).toBe(false);
    expect(pointInGeometry([111.5, 22.5], withHole)).toBe(false);
    const multi = { type: 'MultiPolygon' as const, coordinates: [[square(0, 0, 1)], [square(5, 5, 1)]] };
    expect(pointInGeometry([5.5, 5.5], multi)).toBe(true);
    expect(pointInGeometry([3, 3], multi)).toBe(false);
  });
});
