import { describe, expect, it } from 'vitest';
import { decodeTile } from './decodeMvt';
import { encodeTile, signedArea } from './encodeMvt';
import type { TileLayer } from './layers';

const layer: TileLayer = {
  name: 'test',
  minZoom: 0,
  idColumn: 'id',
  properties: ['code', 'n'],
  source: () => {
    throw new Error('unused');
  },
};

describe('encodeTile', () => {
  it('winds exteriors positive and holes negative whatever the input order', () => {
    // Exterior given clockwise-negative, hole given positive: both must be flipped.
    const polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [0, 100],
          [100, 100],
          [100, 0],
          [0, 0],
        ],
        [
          [20, 20],
          [80, 20],
          [80, 80],
          [20, 80],
          [20, 20],
        ],
      ],
    };
    expect(signedArea(polygon.coordinates[0] as [number, number][])).toBeLessThan(0);
    const bytes = encodeTile([{ layer, rows: [{ feature_id: 7, tile_geom: JSON.stringify(polygon), code: '450902005001001', n: 3 }] }]);
    const [feature] = decodeTile(bytes).test!;
    expect(feature!.id).toBe(7);
    expect(feature!.properties).toEqual({ code: '450902005001001', n: 3 });
    const rings = feature!.geometry.map((r) => r.map((p) => [p.x, p.y] as [number, number]));
    expect(rings).toHaveLength(2);
    expect(signedArea(rings[0]!)).toBe(10000);
    expect(signedArea(rings[1]!)).toBe(-3600);
  });

  it('drops rings that collapsed to zero area and returns an empty tile when nothing is left', () => {
    const collapsed = {
      type: 'Polygon',
      coordinates: [
        [
          [5, 5],
          [5, 5],
          [5, 5],
          [5, 5],
        ],
      ],
    };
    expect(encodeTile([{ layer, rows: [{ feature_id: 1, tile_geom: JSON.stringify(collapsed) }] }]).byteLength).toBe(0);
  });

  it('keeps the polygonal parts of a clipped geometry collection and encodes lines', () => {
    const mixed = {
      type: 'GeometryCollection',
      geometries: [
        {
          type: 'LineString',
          coordinates: [
            [0, 0],
            [10, 0],
          ],
        },
        {
          type: 'Polygon',
          coordinates: [
            [
              [0, 0],
              [10, 0],
              [10, 10],
              [0, 10],
              [0, 0],
            ],
          ],
        },
      ],
    };
    const line = {
      type: 'LineString',
      coordinates: [
        [0, 0],
        [50, 50],
        [100, 0],
      ],
    };
    const tile = decodeTile(
      encodeTile([
        { layer, rows: [{ feature_id: 1, tile_geom: JSON.stringify(mixed) }] },
        { layer: { ...layer, name: 'lines', idColumn: undefined }, rows: [{ feature_id: null, tile_geom: JSON.stringify(line) }] },
      ]),
    );
    expect(tile.test![0]!.type).toBe('Polygon');
    expect(tile.lines![0]!.type).toBe('LineString');
    expect(tile.lines![0]!.id).toBeUndefined();
    expect(tile.lines![0]!.geometry[0]).toHaveLength(3);
  });
});
