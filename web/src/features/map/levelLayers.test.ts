import { describe, expect, it } from 'vitest';
import { EXCLUSIVE_SOURCE, LEVEL_LAYER, withGridLevels } from './levelLayers';
import { GRID_SOURCE, LAYER, buildMapStyle } from './mapStyle';

const style = withGridLevels(buildMapStyle({ origin: 'http://127.0.0.1:8092', basemap: { kind: 'offline' }, gridColour: '#ff0000' }));

describe('withGridLevels', () => {
  it('adds the 专属网格 tile set from our own origin and the micro grids from the grid set', () => {
    expect(style.sources[EXCLUSIVE_SOURCE]).toEqual({ type: 'vector', tiles: ['http://127.0.0.1:8092/tiles/exclusive/{z}/{x}/{y}.mvt'], minzoom: 11, maxzoom: 16 });
    expect(style.layers.find((l) => l.id === LEVEL_LAYER.microOutline)).toMatchObject({ source: GRID_SOURCE, 'source-layer': 'micro_grids' });
    expect(style.layers.find((l) => l.id === LEVEL_LAYER.exclusiveOutline)).toMatchObject({ source: EXCLUSIVE_SOURCE, 'source-layer': 'exclusive_grids' });
  });

  it('draws the levels over the base grids and under the hover and selection outlines', () => {
    const ids = style.layers.map((l) => l.id);
    for (const id of Object.values(LEVEL_LAYER)) expect(ids.indexOf(id)).toBeGreaterThan(ids.indexOf(LAYER.gridOutline));
    for (const id of Object.values(LEVEL_LAYER)) expect(ids.indexOf(id)).toBeLessThan(ids.indexOf(LAYER.gridHover));
    expect(ids.at(-1)).toBe(LAYER.gridSelected);
  });
});
