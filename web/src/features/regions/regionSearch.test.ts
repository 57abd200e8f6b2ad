import { describe, expect, it } from 'vitest';
import { filterRegionTree, gridLevelLabel, isGridCodeQuery, levelCountsLabel, matchesRegion } from './regionSearch';

interface N {
  code: string;
  name: string;
  children: N[];
}
const n = (code: string, name: string, children: N[] = []): N => ({ code, name, children });
const tree = [n('450902', '玉州区', [n('450902001', '玉城街道', [n('450902001001', '东成社区居委会'), n('450902001002', '西城社区居委会')]), n('450902100', '大塘镇', [n('450902100001', '大塘村委会')])])];
const names = (nodes: N[]): string[] => nodes.flatMap((x) => [x.name, ...names(x.children)]);

describe('filterRegionTree', () => {
  it('returns the tree unchanged for an empty query', () => {
    const r = filterRegionTree(tree, '  ');
    expect(r.nodes).toEqual(tree);
    expect(r.expanded.size).toBe(0);
  });

  it('keeps matches and their ancestors, and opens the ancestors', () => {
    const r = filterRegionTree(tree, '东成');
    expect(names(r.nodes)).toEqual(['玉州区', '玉城街道', '东成社区居委会']);
    expect([...r.expanded]).toEqual(['450902001', '450902']);
  });

  it('keeps the whole subtree of a matching node', () => {
    expect(names(filterRegionTree(tree, '玉城').nodes)).toEqual(['玉州区', '玉城街道', '东成社区居委会', '西城社区居委会']);
  });

  it('matches code prefixes', () => {
    expect(names(filterRegionTree(tree, '450902100').nodes)).toEqual(['玉州区', '大塘镇', '大塘村委会']);
    expect(filterRegionTree(tree, '不存在').nodes).toEqual([]);
  });

  it('does not mutate the input', () => {
    filterRegionTree(tree, '东成');
    expect(tree[0]!.children[0]!.children).toHaveLength(2);
  });
});

describe('isGridCodeQuery / matchesRegion', () => {
  it('recognises grid codes of every level: 基础 15 digits, 专属 16 (kind digit 1–5), 微 17', () => {
    expect(isGridCodeQuery(' 450902001001001 ')).toBe(true);
    expect(isGridCodeQuery('4509020010011001')).toBe(true);
    expect(isGridCodeQuery('45090200100100102')).toBe(true);
    expect(isGridCodeQuery('450902001001')).toBe(false);
    // A 16-digit code whose 13th digit is no 专属网格 kind.
    expect(isGridCodeQuery('4509020010016001')).toBe(false);
    expect(['450902001001001', '4509020010011001', '45090200100100102'].map(gridLevelLabel)).toEqual(['基础网格', '专属网格', '微网格']);
  });
  it('names the counts of each level, leaving out empty sub levels', () => {
    expect(levelCountsLabel({ gridCount: 12, microCount: 30, exclusiveCount: 2 })).toBe('12 个基础网格、30 个微网格、2 个专属网格');
    expect(levelCountsLabel({ gridCount: 4, microCount: 0, exclusiveCount: 1 })).toBe('4 个基础网格、1 个专属网格');
  });
  it('matches by name substring or code prefix', () => {
    expect(matchesRegion({ code: '450902001', name: '玉城街道' }, '城街')).toBe(true);
    expect(matchesRegion({ code: '450902001', name: '玉城街道' }, '902001')).toBe(false);
  });
});
