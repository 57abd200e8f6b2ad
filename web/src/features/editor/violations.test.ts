import { describe, expect, it } from 'vitest';
import { labelPosition, ruleName, violationFeatures, violationLabels, type Violation } from './violations';

const outside: Violation = {
  rule: 'outside_community',
  message: '网格 450902001001001 超出所属社区边界 812.5 平方米',
  gridCode: '450902001001001',
  areaM2: 812.5,
  geometry: {
    type: 'MultiPolygon',
    coordinates: [
      [
        [
          [0, 0],
          [0.1, 0],
          [0.1, 0.1],
          [0, 0],
        ],
      ],
      [
        [
          [1, 1],
          [3, 1],
          [3, 2],
          [1, 1],
        ],
      ],
    ],
  },
};
const invalid: Violation = { rule: 'invalid', message: '几何无效：环自相交', geometry: { type: 'Point', coordinates: [110.1, 22.6] } };
const noGeometry: Violation = { rule: 'not_adjacent', message: '网格 X 不属于社区 Y，不能合并', gridCode: 'X' };

describe('violations on the map', () => {
  it('becomes one feature per geometry, keeping message and index', () => {
    const fc = violationFeatures([
      outside,
      noGeometry,
      {
        ...invalid,
        geometry: {
          type: 'GeometryCollection',
          geometries: [
            invalid.geometry!,
            {
              type: 'LineString',
              coordinates: [
                [0, 0],
                [1, 1],
              ],
            },
          ],
        },
      },
    ]);
    expect(fc.features.map((f) => [f.geometry.type, f.properties.index, f.properties.rule])).toEqual([
      ['MultiPolygon', 0, 'outside_community'],
      ['Point', 2, 'invalid'],
      ['LineString', 2, 'invalid'],
    ]);
    expect(fc.features[0]!.properties.message).toBe(outside.message);
  });

  it('labels at the centre of the largest part, or at a point', () => {
    expect(labelPosition(outside.geometry)).toEqual([2, 1.5]);
    expect(labelPosition(invalid.geometry)).toEqual([110.1, 22.6]);
    expect(labelPosition(undefined)).toBeNull();
    expect(violationLabels([outside, noGeometry])).toEqual([{ position: [2, 1.5], text: '① 超出社区边界 812.5 平方米' }]);
  });

  it('stacks labels of violations at about the same place, numbered as in the list', () => {
    const overlapNear: Violation = { rule: 'overlap', message: '网格 A 与网格 B 重叠 3 平方米', otherGridCode: 'B', areaM2: 3, geometry: { type: 'Point', coordinates: [2.0001, 1.5001] } };
    const selfCross: Violation = { rule: 'invalid', message: '几何无效：环自相交（Ring Self-intersection[1 2]）', geometry: { type: 'Point', coordinates: [110.1, 22.6] } };
    expect(violationLabels([outside, overlapNear, selfCross])).toEqual([
      { position: [2, 1.5], text: '① 超出社区边界 812.5 平方米\n② 与网格 B 重叠 3 平方米' },
      { position: [110.1, 22.6], text: '③ 几何无效：环自相交' },
    ]);
  });

  it('names rules in Chinese', () => {
    expect(ruleName('outside_community')).toBe('超出社区边界');
    expect(ruleName('something_new')).toBe('something_new');
  });
});
