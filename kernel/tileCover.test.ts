import { describe, expect, it } from 'vitest';
import type { Bbox } from './bbox';
import { tileCover, tileRange } from './tileCover';
import { tileBounds, tileForLonLat } from './webMercator';

const toLonLat = (mx: number, my: number) => [(mx / 20037508.342789244) * 180, (Math.atan(Math.exp((my / 20037508.342789244) * Math.PI)) * 360) / Math.PI - 90] as const;

describe('tiles covering my grids for 下载离线底图', () => {
  // A grid-sized box in 玉林 (about 1 km × 1 km).
  const box: Bbox = [110.15, 22.62, 110.16, 22.63];

  it('covers every corner of the box at every zoom, and nothing outside it', () => {
    const cover = tileCover(box, [12, 13, 14, 15, 16], 10_000);
    expect(cover.zooms).toEqual([12, 13, 14, 15, 16]);
    for (const z of cover.zooms) {
      for (const [lon, lat] of [
        [box[0], box[1]],
        [box[0], box[3]],
        [box[2], box[1]],
        [box[2], box[3]],
      ] as const) {
        const t = tileForLonLat(z, lon, lat);
        expect(cover.tiles).toContain(`${z}/${t.x}/${t.y}`);
      }
      // Every tile listed touches the box.
      for (const t of cover.tiles.filter((s) => s.startsWith(`${z}/`))) {
        const [, x, y] = t.split('/').map(Number) as [number, number, number];
        const b = tileBounds(z, x, y);
        const [w, s] = toLonLat(b.xmin, b.ymin);
        const [e, n] = toLonLat(b.xmax, b.ymax);
        expect(w <= box[2] && e >= box[0] && s <= box[3] && n >= box[1]).toBe(true);
      }
    }
  });

  it('counts x × y tiles per zoom, with no duplicates', () => {
    const cover = tileCover(box, [16, 14], 10_000);
    expect(cover.zooms).toEqual([14, 16]);
    const r = tileRange(box, 16);
    const z16 = cover.tiles.filter((t) => t.startsWith('16/'));
    expect(z16).toHaveLength((r.x1 - r.x0 + 1) * (r.y1 - r.y0 + 1));
    expect(new Set(cover.tiles).size).toBe(cover.tiles.length);
    expect(z16.length).toBeGreaterThan(cover.tiles.length - z16.length);
  });

  it('leaves out whole deeper zooms past the cap instead of cutting one short', () => {
    const city: Bbox = [110.0, 22.5, 110.4, 22.8];
    const cover = tileCover(city, [12, 13, 14, 15, 16], 800);
    expect(cover.tiles.length).toBeLessThanOrEqual(800);
    expect(cover.zooms.length).toBeGreaterThan(0);
    expect([...cover.zooms, ...cover.dropped]).toEqual([12, 13, 14, 15, 16]);
    const deepest = cover.zooms.at(-1)!;
    const r = tileRange(city, deepest);
    expect(cover.tiles.filter((t) => t.startsWith(`${deepest}/`))).toHaveLength((r.x1 - r.x0 + 1) * (r.y1 - r.y0 + 1));
    expect(tileCover([100, 20, 115, 30], [16], 800)).toEqual({ tiles: [], zooms: [], dropped: [16] });
  });

  it('clamps latitude to the Mercator limit', () => {
    const cover = tileCover([-1, 80, 1, 90], [2], 100);
    expect(cover.tiles.every((t) => Number(t.split('/')[2]) >= 0)).toBe(true);
  });
});
