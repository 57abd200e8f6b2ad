import { describe, expect, it } from 'vitest';
import { boundsOf } from '../../../../kernel/bbox';
import { deleteVertex, insertVertex, midpoints, moveVertex, positionOf, ringsOf, sketchLine, sketchPolygon, vertices } from './geometryOps';

const square: GeoJSON.Polygon = {
  type: 'Polygon',
  coordinates: [
    [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
      [0, 0],
    ],
  ],
};
const multi: GeoJSON.MultiPolygon = {
  type: 'MultiPolygon',
  coordinates: [
    square.coordinates,
    [
      [
        [5, 5],
        [6, 5],
        [6, 6],
        [5, 5],
      ],
      [
        [5.2, 5.1],
        [5.8, 5.1],
        [5.8, 5.5],
        [5.2, 5.1],
      ],
    ],
  ],
};

describe('vertex edits', () => {
  it('lists vertices without the closing duplicate', () => {
    expect(vertices(square).map((v) => v.position)).toEqual([
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
    ]);
    const refs = vertices(multi).map((v) => `${v.ref.polygon}.${v.ref.ring}.${v.ref.index}`);
    expect(refs).toEqual(['0.0.0', '0.0.1', '0.0.2', '0.0.3', '1.0.0', '1.0.1', '1.0.2', '1.1.0', '1.1.1', '1.1.2']);
  });

  it('moves a vertex, and moving the first keeps the ring closed', () => {
    const moved = moveVertex(square, { polygon: 0, ring: 0, index: 2 }, [2, 3]);
    expect(moved.coordinates[0]).toEqual([
      [0, 0],
      [1, 0],
      [2, 3],
      [0, 1],
      [0, 0],
    ]);
    const first = moveVertex(square, { polygon: 0, ring: 0, index: 0 }, [-0.5, -0.25]);
    expect(first.coordinates[0]).toEqual([
      [-0.5, -0.25],
      [1, 0],
      [1, 1],
      [0, 1],
      [-0.5, -0.25],
    ]);
    // The input is not mutated.
    expect(square.coordinates[0]![0]).toEqual([0, 0]);
  });

  it('rounds moved coordinates to 7 decimals', () => {
    const moved = moveVertex(square, { polygon: 0, ring: 0, index: 1 }, [110.123456789, 22.987654321]);
    expect(moved.coordinates[0]![1]).toEqual([110.1234568, 22.9876543]);
  });

  it('moves a vertex of a hole in the second polygon of a MultiPolygon', () => {
    const moved = moveVertex(multi, { polygon: 1, ring: 1, index: 1 }, [5.7, 5.2]);
    expect(moved.type).toBe('MultiPolygon');
    expect(moved.coordinates[1]![1]).toEqual([
      [5.2, 5.1],
      [5.7, 5.2],
      [5.8, 5.5],
      [5.2, 5.1],
    ]);
    expect(moved.coordinates[0]).toEqual(square.coordinates);
  });

  it('inserts after the edge start, including on the closing edge', () => {
    const mid = insertVertex(square, { polygon: 0, ring: 0, index: 0 }, [0.5, -0.1]);
    expect(mid.coordinates[0]).toEqual([
      [0, 0],
      [0.5, -0.1],
      [1, 0],
      [1, 1],
      [0, 1],
      [0, 0],
    ]);
    const last = insertVertex(square, { polygon: 0, ring: 0, index: 3 }, [-0.1, 0.5]);
    expect(last.coordinates[0]).toEqual([
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
      [-0.1, 0.5],
      [0, 0],
    ]);
  });

  it('midpoints sit halfway along each edge, the closing edge included', () => {
    expect(midpoints(square).map((m) => m.position)).toEqual([
      [0.5, 0],
      [1, 0.5],
      [0.5, 1],
      [0, 0.5],
    ]);
    expect(midpoints(square)[3]!.ref).toEqual({ polygon: 0, ring: 0, index: 3 });
  });

  it('deletes a vertex (the first one too) but never below a triangle', () => {
    const d = deleteVertex(square, { polygon: 0, ring: 0, index: 0 })!;
    expect(d.coordinates[0]).toEqual([
      [1, 0],
      [1, 1],
      [0, 1],
      [1, 0],
    ]);
    expect(deleteVertex(d, { polygon: 0, ring: 0, index: 1 })).toBeNull();
    expect(deleteVertex(square, { polygon: 0, ring: 0, index: 9 })).toBeNull();
  });

  it('reads a vertex position', () => {
    expect(positionOf(square, { polygon: 0, ring: 0, index: 2 })).toEqual([1, 1]);
    expect(positionOf(square, { polygon: 0, ring: 0, index: 4 })).toBeNull();
  });
});

describe('sketches', () => {
  it('closes a clicked polygon and drops repeated clicks', () => {
    expect(
      sketchPolygon([
        [0, 0],
        [1, 0],
        [1, 0],
        [1, 1],
      ]),
    ).toEqual({
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 0],
        ],
      ],
    });
    // Clicking the first point again closes without duplicating it.
    expect(
      sketchPolygon([
        [0, 0],
        [1, 0],
        [1, 1],
        [0, 0],
      ])!.coordinates[0],
    ).toHaveLength(4);
    expect(
      sketchPolygon([
        [0, 0],
        [1, 0],
      ]),
    ).toBeNull();
  });

  it('needs two distinct points for a line', () => {
    expect(
      sketchLine([
        [0, 0],
        [0, 0],
      ]),
    ).toBeNull();
    expect(
      sketchLine([
        [0, 0],
        [0, 0],
        [2, 1],
      ]),
    ).toEqual({
      type: 'LineString',
      coordinates: [
        [0, 0],
        [2, 1],
      ],
    });
  });
});

describe('rings and bounds', () => {
  it('collects rings of polygons and lines', () => {
    expect(
      ringsOf([
        multi,
        null,
        {
          type: 'LineString',
          coordinates: [
            [9, 9],
            [10, 10],
          ],
        },
      ]),
    ).toHaveLength(4);
  });

  it('bounds every coordinate, through collections', () => {
    expect(boundsOf([multi])).toEqual([0, 0, 6, 6]);
    expect(boundsOf([{ type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [-3, 2] }, square] }])).toEqual([-3, 0, 1, 2]);
    expect(boundsOf([])).toBeNull();
  });
});
