import { describe, expect, it } from 'vitest';
import { tileForLonLat } from '../../../../kernel/webMercator';
import { MAX_TILES, tilesFor } from './offlineTiles';

describe('offline tiles of my grids', () => {
  it('covers the bbox at every zoom, more tiles deeper', () => {
    const bbox: [number, number, number, number] = [110.15, 22.62, 110.16, 22.63];
    const tiles = tilesFor(bbox, [14, 16]);
    const centre = tileForLonLat(16, 110.155, 22.625);
    expect(tiles).toContain(`16/${centre.x}/${centre.y}`);
    const z14 = tiles.filter((t) => t.startsWith('14/')).length;
    const z16 = tiles.filter((t) => t.startsWith('16/')).length;
    expect(z14).toBeGreaterThan(0);
    expect(z16).toBeGreaterThan(z14);
  });

  it('caps a huge bbox', () => {
    expect(tilesFor([100, 20, 115, 30]).length).toBe(MAX_TILES);
  });
});
