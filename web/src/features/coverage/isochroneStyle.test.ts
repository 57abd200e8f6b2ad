import { describe, expect, it } from 'vitest';
import { isochroneLayers, type IsochroneFeatureLike } from './isochroneLayers';
import { BUFFER_LABEL, dashedRing, isochroneFill, LEVEL_COLOURS, northernmost } from './isochroneStyle';

const M_PER_DEG_LAT = 110_574;

describe('isochrone style', () => {
  it('colours by level and fades longer walks', () => {
    expect(isochroneFill('community', 5).slice(0, 3)).toEqual(LEVEL_COLOURS.community);
    expect(isochroneFill('community', 5)[3]).toBeGreaterThan(isochroneFill('community', 15)[3]);
    expect(isochroneFill('unknown-level', 15).slice(0, 3)).toEqual([138, 148, 166]);
  });

  it('cuts a 1 km meridian line into 60 m dashes with 40 m gaps', () => {
    const line: [number, number][] = [
      [110, 22],
      [110, 22 + 1000 / M_PER_DEG_LAT],
    ];
    const dashes = dashedRing(line, 60, 40);
    expect(dashes).toHaveLength(10);
    for (const dash of dashes) {
      const length = (dash[dash.length - 1]![1] - dash[0]![1]) * M_PER_DEG_LAT;
      expect(length).toBeCloseTo(60, 6);
    }
    // Dash k starts at 100·k metres.
    expect((dashes[3]![0]![1] - 22) * M_PER_DEG_LAT).toBeCloseTo(300, 6);
  });

  it('places labels at the northernmost vertex', () => {
    expect(
      northernmost([
        [
          [0, 0],
          [1, 2],
          [2, 1],
        ],
      ]),
    ).toEqual([1, 2]);
    expect(northernmost([])).toBeNull();
  });
});

describe('isochrone layers', () => {
  const square = (size: number): [number, number][][][] => [
    [
      [
        [110, 22],
        [110 + size, 22],
        [110 + size, 22 + size],
        [110, 22],
      ],
    ],
  ];
  const features: IsochroneFeatureLike[] = [
    { geometry: { type: 'MultiPolygon', coordinates: square(0.001) }, properties: { centreId: 1, centreName: '甲社区党群服务中心', level: 'community', minutes: 5, method: 'network' } },
    { geometry: { type: 'MultiPolygon', coordinates: square(0.003) }, properties: { centreId: 1, centreName: '甲社区党群服务中心', level: 'community', minutes: 15, method: 'network' } },
    { geometry: { type: 'MultiPolygon', coordinates: square(0.01) }, properties: { centreId: 2, centreName: '乙村党群服务中心', level: 'community', minutes: 15, method: 'buffer' } },
  ];

  it('draws network circles longest walk first and labels straight-line fallbacks', () => {
    const [network, bufferFill, dashes, labels] = isochroneLayers(features, { highlightCentreId: 1 }) as any[];
    expect(network.props.data.map((d: any) => d.properties.minutes)).toEqual([15, 5]);
    expect(bufferFill.props.data.map((d: any) => d.properties.centreId)).toEqual([2]);
    expect(dashes.props.data.length).toBeGreaterThan(5);
    expect(labels.props.data).toEqual([{ position: [110.01, 22.01], text: `乙村党群服务中心 15 分钟 · ${BUFFER_LABEL}` }]);
    expect(network.props.getLineWidth(network.props.data[0])).toBe(3);
  });
});
