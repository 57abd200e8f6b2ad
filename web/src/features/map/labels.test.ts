import { describe, expect, it } from 'vitest';
import { gridLabelText, labelVisibility, regionLabels, shortRegionName, type LabelNode } from './labels';

const n = (code: string, name: string, level: string, children: LabelNode[] = []): LabelNode => ({ code, name, level, label: [110 + children.length, 22], children });

describe('regionLabels', () => {
  it('collects streets and communities at their label points', () => {
    const tree = [n('450900', '玉林市', 'city', [n('450902', '玉州区', 'district', [n('450902001', '玉城街道', 'street', [n('450902001001', '东成社区居委会', 'community')])])])];
    const { streets, communities } = regionLabels(tree);
    expect(streets).toEqual([{ code: '450902001', text: '玉城街道', position: [111, 22] }]);
    expect(communities).toEqual([{ code: '450902001001', text: '东成社区', position: [110, 22] }]);
  });
});

describe('shortRegionName', () => {
  it('drops committee suffixes only', () => {
    expect(shortRegionName('东成社区居委会')).toBe('东成社区');
    expect(shortRegionName('大塘村村民委员会')).toBe('大塘村');
    expect(shortRegionName('玉城街道')).toBe('玉城街道');
    expect(shortRegionName('居委会')).toBe('居委会');
  });
});

describe('labelVisibility', () => {
  it('shows streets at overview, communities from z12, grid codes from z15', () => {
    expect(labelVisibility(11)).toEqual({ streets: true, communities: false, grids: false, gridFullCode: false });
    expect(labelVisibility(13)).toEqual({ streets: true, communities: true, grids: false, gridFullCode: false });
    expect(labelVisibility(15)).toEqual({ streets: false, communities: true, grids: true, gridFullCode: false });
    expect(labelVisibility(16)).toEqual({ streets: false, communities: true, grids: true, gridFullCode: false });
    expect(labelVisibility(17.2)).toEqual({ streets: false, communities: false, grids: true, gridFullCode: true });
  });

  it('labels grids by sequence, or by full code close up', () => {
    expect(gridLabelText('450902001001007', false)).toBe('007');
    expect(gridLabelText('450902001001007', true)).toBe('450902001001007');
  });
});
