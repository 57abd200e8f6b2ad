import { describe, expect, it } from 'vitest';
import { boundsOf } from '../../../../kernel/bbox';
import { circlePolygon } from './accuracyCircle';

describe('accuracy circle and bounds', () => {
  it('draws a closed ring whose points are radius metres away', () => {
    const ring = circlePolygon([110.15, 22.63], 50).coordinates[0]!;
    expect(ring[0]).toEqual(ring.at(-1));
    for (const [lon, lat] of ring) {
      const dx = (lon! - 110.15) * 111_320 * Math.cos((22.63 * Math.PI) / 180);
      const dy = (lat! - 22.63) * 111_320;
      expect(Math.hypot(dx, dy)).toBeCloseTo(50, 3);
    }
  });

  it('bounds all coordinates of several geometries', () => {
    const a: GeoJSON.Geometry = { type: 'Point', coordinates: [1, 2] };
    const b: GeoJSON.Geometry = {
      type: 'MultiPolygon',
      coordinates: [
        [
          [
            [0, 5],
            [3, 5],
            [3, 6],
            [0, 5],
          ],
        ],
      ],
    };
    expect(boundsOf([a, b])).toEqual([0, 2, 3, 6]);
    expect(boundsOf([])).toBeNull();
  });
});
