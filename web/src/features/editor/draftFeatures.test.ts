import { describe, expect, it } from 'vitest';
import { midpointFeatures, refFromProperties, sketchFeatures, vertexFeatures } from './draftFeatures';

const tri: GeoJSON.Polygon = {
  type: 'Polygon',
  coordinates: [
    [
      [0, 0],
      [2, 0],
      [0, 2],
      [0, 0],
    ],
  ],
};

describe('draft features', () => {
  it('marks the selected vertex and carries refs that round-trip', () => {
    const fc = vertexFeatures(tri, { polygon: 0, ring: 0, index: 1 });
    expect(fc.features.map((f) => f.properties!.selected)).toEqual([false, true, false]);
    expect(refFromProperties(fc.features[2]!.properties)).toEqual({ polygon: 0, ring: 0, index: 2 });
    expect(refFromProperties({ polygon: 'x' })).toBeNull();
  });

  it('puts midpoint handles on every edge', () => {
    expect(midpointFeatures(tri).features.map((f) => (f.geometry as GeoJSON.Point).coordinates)).toEqual([
      [1, 0],
      [1, 1],
      [0, 1],
    ]);
  });

  it('previews a polygon sketch closed through the cursor, a line sketch open', () => {
    const poly = sketchFeatures(
      [
        [0, 0],
        [1, 0],
      ],
      [1, 1],
      true,
    );
    expect(poly.features.map((f) => f.geometry.type)).toEqual(['Point', 'Point', 'Polygon']);
    expect((poly.features[2]!.geometry as GeoJSON.Polygon).coordinates[0]).toEqual([
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 0],
    ]);
    const line = sketchFeatures([[0, 0]], [3, 3], false);
    expect(line.features.map((f) => f.geometry.type)).toEqual(['Point', 'LineString']);
    expect(sketchFeatures([], null, true).features).toEqual([]);
  });
});
