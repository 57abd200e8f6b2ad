import { describe, expect, it } from 'vitest';
import { heatCellWeight, heatDensityAt, heatRaster, type HeatStop } from './heatRaster';
import { metresPerPixel, toLonLat, toMercator } from './webMercator';

const STOPS: HeatStop[] = [
  [0, 255, 0, 0, 0],
  [0.5, 255, 0, 0, 100],
  [1, 0, 0, 255, 200],
];
const ZOOM = 12;
const CENTRE = toMercator(108.3, 22.8);
const span = 200 * metresPerPixel(ZOOM);
const AREA = [CENTRE[0] - span, CENTRE[1] - span, CENTRE[0] + span, CENTRE[1] + span] as const;
const at = (dxPx: number, dyPx: number) => toLonLat(CENTRE[0] + dxPx * metresPerPixel(ZOOM), CENTRE[1] + dyPx * metresPerPixel(ZOOM));
const options = { max: 10, zoom: ZOOM, radiusPx: 20, intensity: 2.5, area: AREA, stops: STOPS };

describe('heatRaster', () => {
  it('sums MapLibre’s kernel: a cell at the top peaks near 1, half the radius away exp(−0.375) of it, nothing past the radius', () => {
    // Fine pixels, so a pixel's centre is within a twentieth of the radius of the point looked at.
    const raster = heatRaster([{ position: at(0, 0), weight: 10 }], { ...options, pixelsPerRadius: 40 });
    const peak = heatDensityAt(raster, ...at(0, 0));
    expect(peak).toBeGreaterThan(0.97);
    expect(peak).toBeLessThanOrEqual(2.5 * 0.3989422804014327);
    expect(heatDensityAt(raster, ...at(10, 0)) / peak).toBeCloseTo(Math.exp(-0.375), 1);
    expect(Math.abs(heatDensityAt(raster, ...at(10, 0)) / peak - Math.exp(-0.375))).toBeLessThan(0.05);
    expect(heatDensityAt(raster, ...at(0, -21))).toBe(0);
    expect(heatDensityAt(raster, ...at(50, 50))).toBe(0);
  });

  it('weighs cells by their share of the domain’s top (at least 4, at most 1) and adds neighbours', () => {
    expect(heatCellWeight(5, 10)).toBe(0.5);
    expect(heatCellWeight(30, 10)).toBe(1);
    expect(heatCellWeight(1, 2)).toBe(0.25);
    const one = heatRaster([{ position: at(0, 0), weight: 5 }], options);
    const two = heatRaster(
      [
        { position: at(0, 0), weight: 5 },
        { position: at(0, 0), weight: 5 },
      ],
      options,
    );
    expect(heatDensityAt(two, ...at(0, 0))).toBeCloseTo(2 * heatDensityAt(one, ...at(0, 0)), 5);
  });

  it('colours with the stops: transparent where nothing is, the top stop where the density passes 1', () => {
    const raster = heatRaster(
      [
        { position: at(-100, 0), weight: 10 },
        { position: at(-100, 0), weight: 10 },
        { position: at(100, 0), weight: 5 },
      ],
      options,
    );
    const pixel = (lonLat: [number, number]) => {
      const [mx, my] = toMercator(...lonLat);
      const i = Math.floor((mx - raster.x0) / raster.pixelM);
      const j = Math.floor((raster.y0 - my) / raster.pixelM);
      return Array.from(raster.rgba.slice((j * raster.width + i) * 4, (j * raster.width + i) * 4 + 4));
    };
    expect(pixel(at(-100, 0))).toEqual([0, 0, 255, 200]);
    const half = pixel(at(100, 0));
    expect(half[3]).toBeGreaterThan(90);
    expect(half[3]).toBeLessThan(110);
    expect(pixel(at(0, 150))).toEqual([0, 0, 0, 0]);
  });

  it('covers the area it is given, corners in MapLibre’s order, within the largest side', () => {
    const raster = heatRaster([], { ...options, maxSide: 100 });
    expect(raster.width).toBeLessThanOrEqual(100);
    expect(raster.height).toBeLessThanOrEqual(100);
    const [tl, tr, br, bl] = raster.coordinates;
    expect(tl[0]).toBeCloseTo(toLonLat(AREA[0], AREA[3])[0], 9);
    expect(tl[1]).toBeCloseTo(toLonLat(AREA[0], AREA[3])[1], 9);
    expect(tr[0]).toBeGreaterThan(tl[0]);
    expect(br[1]).toBeLessThan(tr[1]);
    expect(bl[0]).toBe(tl[0]);
    expect(raster.rgba.every((v) => v === 0)).toBe(true);
  });
});
