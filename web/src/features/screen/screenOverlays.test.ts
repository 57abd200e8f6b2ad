import { describe, expect, it } from 'vitest';
import type { ScreenLayerInput } from './screenLayers';
import { centreFeatures, focusFilters, overlayLayers, overlaySources } from './screenOverlays';

const square: GeoJSON.Polygon = {
  type: 'Polygon',
  coordinates: [
    [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 0],
    ],
  ],
};
const input: ScreenLayerInput = {
  centres: [
    { id: 1, name: '甲社区党群服务中心', level: 'community', position: [1, 2] },
    { id: 2, name: '市党群服务中心', level: 'city', position: [3, 4] },
  ] as ScreenLayerInput['centres'],
  circles: [{ polygon: square, method: 'buffer' }],
  belts: [
    {
      name: '红色示范带',
      area: square,
      route: {
        type: 'MultiLineString',
        coordinates: [
          [
            [0, 0],
            [1, 1],
          ],
        ],
      },
    },
  ] as unknown as ScreenLayerInput['belts'],
  demoCircles: [{ name: '幸福示范圈', area: square }] as unknown as ScreenLayerInput['demoCircles'],
  heat: null,
  visible: { centres: true, circles: false, demos: true, heatmap: true },
  focusName: '红色示范带',
  draft: null,
};

describe('screen overlays', () => {
  it('puts every overlay in its own GeoJSON source', () => {
    const sources = overlaySources(input);
    expect(Object.keys(sources).sort()).toEqual(['screen-belts', 'screen-centres', 'screen-circles', 'screen-demos']);
  });

  it('sorts bigger centre levels last, so they are drawn on top', () => {
    const [community, city] = centreFeatures(input.centres).features;
    expect(city!.properties.rank).toBeGreaterThan(community!.properties.rank as number);
  });

  it('gives fills and lines constant paint (the basemap’s programs), one layer per look', () => {
    const layers = overlayLayers(input).map((o) => o.layer);
    expect(new Set(layers.map((l) => l.id)).size).toBe(layers.length);
    for (const l of layers) {
      if (l.type === 'fill') expect(typeof l.paint?.['fill-color']).toBe('string');
      if (l.type === 'line') expect(typeof l.paint?.['line-color']).toBe('string');
    }
  });

  it('follows the toggles', () => {
    const layers = overlayLayers(input);
    expect(layers.filter((o) => o.group === 'circles').every((o) => o.layer.layout?.visibility === 'none')).toBe(true);
    expect(layers.filter((o) => o.group !== 'circles').every((o) => o.layer.layout?.visibility === 'visible')).toBe(true);
  });

  it('splits each kind of 示范 area into the focused one and the rest', () => {
    const filters = focusFilters('红色示范带');
    expect(filters['screen-demo-belt-focus-fill']).toEqual(['all', ['==', ['get', 'kind'], 'belt'], ['==', ['get', 'name'], '红色示范带']]);
    expect(filters['screen-demo-belt-rest-fill']).toEqual(['all', ['==', ['get', 'kind'], 'belt'], ['!=', ['get', 'name'], '红色示范带']]);
    expect(Object.keys(filters).every((id) => overlayLayers(input).some((o) => o.layer.id === id))).toBe(true);
  });
});
