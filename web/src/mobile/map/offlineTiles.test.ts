import { describe, expect, it } from 'vitest';
import { tileForLonLat } from '../../../../kernel/webMercator';
import { formatBytes, MAX_TILES, offlinePlan } from './offlineTiles';

describe('下载离线底图 plan', () => {
  it('asks for the basemap and the grid tile of every covering tile, deeper zooms with more', () => {
    const plan = offlinePlan([110.15, 22.62, 110.16, 22.63], [14, 16]);
    const centre = tileForLonLat(16, 110.155, 22.625);
    expect(plan.urls).toContain(`/tiles/base/16/${centre.x}/${centre.y}.mvt`);
    expect(plan.urls).toContain(`/tiles/grids/16/${centre.x}/${centre.y}.mvt`);
    expect(plan.urls.filter((u) => u.startsWith('/tiles/base/')).length).toBe(plan.urls.length / 2);
    expect(plan.urls.filter((u) => u.includes('/16/')).length).toBeGreaterThan(plan.urls.filter((u) => u.includes('/14/')).length);
    expect(plan).toMatchObject({ zooms: [14, 16], dropped: [] });
  });

  it('caps a huge bbox by leaving out deep zooms', () => {
    const plan = offlinePlan([100, 20, 115, 30]);
    expect(plan.urls.length).toBeLessThanOrEqual(2 * MAX_TILES);
    expect(plan.dropped).toContain(16);
  });

  it('writes sizes as KB and MB', () => {
    expect(formatBytes(300)).toBe('1 KB');
    expect(formatBytes(340 * 1024)).toBe('340 KB');
    expect(formatBytes(1.3 * 1024 * 1024)).toBe('1.3 MB');
  });
});
