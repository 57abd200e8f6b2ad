import { describe, expect, it } from 'vitest';
import { cellIndex, createLattice, multiPolygonWkt, traceCells, type Lattice, type Position } from './lattice';
import { createRandom } from './random';

const lattice: Lattice = createLattice({ west: 0, south: 0, dLon: 1, dLat: 1, nx: 6, ny: 6, jitter: 0 }, createRandom(1));
const cells = (...ij: [number, number][]) => ij.map(([i, j]) => cellIndex(lattice, i, j));
const ringArea = (ring: Position[]) => ring.slice(0, -1).reduce((a, [x1, y1], k) => a + x1 * ring[k + 1]![1] - ring[k + 1]![0] * y1, 0) / 2;
/** OGC-valid rings never visit a vertex twice (besides closing). */
const isSimple = (ring: Position[]) => new Set(ring.slice(0, -1).map((p) => p.join())).size === ring.length - 1;

describe('traceCells', () => {
  it('traces one cell as a closed counter-clockwise square', () => {
    const [polygon] = traceCells(lattice, cells([1, 1]));
    expect(polygon).toHaveLength(1);
    const ring = polygon![0]!;
    expect(ring[0]).toEqual(ring[ring.length - 1]);
    expect(ringArea(ring)).toBe(1);
  });

  it('traces an L shape as one polygon with the cells’ total area', () => {
    const polygons = traceCells(lattice, cells([0, 0], [1, 0], [2, 0], [0, 1]));
    expect(polygons).toHaveLength(1);
    expect(ringArea(polygons[0]![0]!)).toBe(4);
  });

  it('keeps an enclosed hole as a clockwise inner ring', () => {
    const ring8 = cells([0, 0], [1, 0], [2, 0], [0, 1], [2, 1], [0, 2], [1, 2], [2, 2]);
    const [polygon, ...rest] = traceCells(lattice, ring8);
    expect(rest).toHaveLength(0);
    expect(polygon).toHaveLength(2);
    expect(ringArea(polygon![0]!)).toBe(9);
    expect(ringArea(polygon![1]!)).toBe(-1);
  });

  it('splits cells touching only at a corner into two simple polygons', () => {
    const polygons = traceCells(lattice, cells([0, 0], [1, 1]));
    expect(polygons).toHaveLength(2);
    for (const p of polygons) expect(isSimple(p[0]!)).toBe(true);
  });

  it('keeps a hole that touches the exterior at a corner as a separate simple ring', () => {
    // A U of cells closed by a corner contact: the empty cell (1,1) is a hole pinched at (2,2).
    const u = cells([0, 0], [1, 0], [2, 0], [0, 1], [2, 1], [0, 2], [1, 2]);
    const polygons = traceCells(lattice, u);
    expect(polygons).toHaveLength(1);
    const [exterior, hole] = polygons[0]!;
    expect(isSimple(exterior!)).toBe(true);
    expect(isSimple(hole!)).toBe(true);
    expect(ringArea(exterior!) + ringArea(hole!)).toBe(7);
  });

  it('writes MULTIPOLYGON WKT', () => {
    expect(multiPolygonWkt(traceCells(lattice, cells([0, 0])))).toBe('MULTIPOLYGON(((0 0,1 0,1 1,0 1,0 0)))');
  });
});
