import { describe, expect, it } from 'vitest';
import { wgs84ToGcj02 } from '../kernel/gcj02';
import { haversineM } from '../kernel/partyService';
import { loadDistrictOutlines, ringAreaM2 } from './districtOutlines';
import type { Position } from './lattice';
import { generateSample, MIN_GRIDS_PER_COMMUNITY, YUZHOU_CENTRE } from './sample';

/** Polygons of a MULTIPOLYGON WKT, each as its rings of positions. */
function polygons(wkt: string): Position[][][] {
  const body = wkt.replace(/^MULTIPOLYGON\(\(\(/, '').replace(/\)\)\)$/, '');
  return body.split(')),((').map((p) => p.split('),(').map((r) => r.split(',').map((xy) => xy.split(' ').map(Number) as Position)));
}

describe('real district outlines', () => {
  it('reads the seven districts of 玉林 and converts them from GCJ-02 to WGS84', () => {
    const outlines = loadDistrictOutlines();
    expect([...outlines.keys()].sort()).toEqual(['450902', '450903', '450921', '450922', '450923', '450924', '450981']);
    const yuzhou = outlines.get('450902')!;
    expect(yuzhou.name).toBe('玉州区');
    // Back to GCJ-02, a vertex lands on the file's 1/1024° lattice again; the shift is ~0.5 km at 玉林.
    const [lon, lat] = yuzhou.ring[10] as Position;
    const [glon, glat] = wgs84ToGcj02(lon, lat);
    expect(Math.abs(glon * 1024 - Math.round(glon * 1024))).toBeLessThan(1e-3);
    expect(Math.abs(glat * 1024 - Math.round(glat * 1024))).toBeLessThan(1e-3);
    const shift = haversineM([lon, lat], [glon, glat]);
    expect(shift).toBeGreaterThan(400);
    expect(shift).toBeLessThan(700);
    // 玉州区 is ~436 km², all seven ~12,800 km² (玉林市: 12,838 km²).
    const area = (code: string) => ringAreaM2(outlines.get(code)!.ring, YUZHOU_CENTRE.lat) / 1e6;
    expect(area('450902')).toBeGreaterThan(400);
    expect(area('450902')).toBeLessThan(470);
    const total = [...outlines.keys()].reduce((a, c) => a + area(c), 0);
    expect(total).toBeGreaterThan(12_300);
    expect(total).toBeLessThan(13_300);
    expect(yuzhou.contains(...yuzhou.seat)).toBe(true);
    expect(yuzhou.contains(110.8, 22.2)).toBe(false);
  });

  it('lays the sample on the real outline: the district follows it, every region and grid is one piece, four grids per community where it has the cells', () => {
    const sample = generateSample({ grids: 1200, incidents: 600, seed: 450902, realOutlines: true });
    const outline = loadDistrictOutlines().get('450902')!;
    const district = sample.regions.find((r) => r.code === '450902')!;
    const [exterior] = polygons(district.wkt)[0] as Position[][];
    const districtArea = ringAreaM2(exterior as Position[], YUZHOU_CENTRE.lat);
    const outlineArea = ringAreaM2(outline.ring, YUZHOU_CENTRE.lat);
    expect(Math.abs(districtArea - outlineArea) / outlineArea).toBeLessThan(0.03);
    for (const r of sample.regions) expect(polygons(r.wkt), `${r.level} ${r.code}`).toHaveLength(1);
    for (const g of sample.grids) expect(polygons(g.wkt), g.code).toHaveLength(1);
    // Every grid's label lies in the outline (a cell centre of the grid, inside the district).
    const outside = sample.grids.filter((g) => !outline.contains(...g.label));
    expect(outside.length).toBeLessThan(sample.grids.length * 0.01);
    const perCommunity = new Map<string, number>();
    for (const g of sample.grids) perCommunity.set(g.communityCode, (perCommunity.get(g.communityCode) ?? 0) + 1);
    expect(perCommunity.size).toBe(111);
    // MIN_GRIDS_PER_COMMUNITY (4) grids per community, except where a community has fewer lattice
    // cells (its traced outline then has at most 9 positions: three cells in a row or an L).
    expect(MIN_GRIDS_PER_COMMUNITY).toBe(4);
    for (const [code, n] of perCommunity) {
      if (n >= MIN_GRIDS_PER_COMMUNITY) continue;
      const region = sample.regions.find((r) => r.code === code)!;
      expect((polygons(region.wkt)[0]![0] as Position[]).length, code).toBeLessThanOrEqual(9);
    }
    expect(sample.grids.length).toBe(1200);
    expect(sample.label).toContain('区县轮廓依据高德公开边界');
  });
});
