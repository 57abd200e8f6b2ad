import { describe, expect, it } from 'vitest';
import { GRID_SOURCE, LAYER, buildMapStyle, selectedGridFilter } from './mapStyle';

const offline = buildMapStyle({ origin: 'http://127.0.0.1:8092/', basemap: { kind: 'offline' }, gridColour: '#ff0000' });

describe('buildMapStyle', () => {
  it('needs nothing from the internet: no glyphs, no sprite, no symbol layers', () => {
    expect(offline.glyphs).toBeUndefined();
    expect(offline.sprite).toBeUndefined();
    expect(offline.layers.filter((l) => l.type === 'symbol')).toEqual([]);
    const urls = Object.values(offline.sources).flatMap((s) => ('tiles' in s && s.tiles ? s.tiles : []));
    expect(urls).toEqual(['http://127.0.0.1:8092/tiles/base/{z}/{x}/{y}.mvt', 'http://127.0.0.1:8092/tiles/grids/{z}/{x}/{y}.mvt']);
  });

  it('serves the grid set from z8 to z16 and draws fill, outline, hover and selection', () => {
    const grids = offline.sources[GRID_SOURCE];
    expect(grids).toMatchObject({ type: 'vector', minzoom: 8, maxzoom: 16 });
    const ids = offline.layers.map((l) => l.id);
    for (const id of Object.values(LAYER)) expect(ids).toContain(id);
    // Areas and grids switch by tile content, not by zoom range: no gap while the next zoom loads.
    for (const id of [LAYER.areaFill, LAYER.areaOutline, LAYER.gridFill, LAYER.gridOutline]) {
      const layer = offline.layers.find((l) => l.id === id)!;
      expect([layer.minzoom, layer.maxzoom]).toEqual([undefined, undefined]);
    }
    expect(offline.layers.find((l) => l.id === LAYER.areaFill)).toMatchObject({ source: GRID_SOURCE, 'source-layer': 'grid_areas' });
    // The selection is drawn above everything else.
    expect(ids.at(-1)).toBe(LAYER.gridSelected);
  });

  it('puts an optional raster basemap directly above the background', () => {
    const style = buildMapStyle({ origin: 'http://x', basemap: { kind: 'raster', tiles: ['https://tiles.example/{z}/{x}/{y}.png'], attribution: '天地图' }, gridColour: '#ff0000' });
    expect(style.layers.map((l) => l.id).slice(0, 2)).toEqual(['background', 'raster-basemap']);
    expect(style.sources.raster).toMatchObject({ type: 'raster', attribution: '天地图' });
    expect(offline.sources.raster).toBeUndefined();
  });
});

describe('selectedGridFilter', () => {
  it('matches the selected code, or nothing', () => {
    expect(selectedGridFilter('450902001001001')).toEqual(['==', ['get', 'code'], '450902001001001']);
    expect(selectedGridFilter(null)).toEqual(['==', ['get', 'code'], '']);
  });
});
