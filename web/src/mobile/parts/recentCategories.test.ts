import { describe, expect, it } from 'vitest';
import { orderByRecent, RECENT_MAX, withRecent } from './recentCategories';

describe('recent categories', () => {
  it('moves the used code to the front, without duplicates, capped', () => {
    expect(withRecent(['B', 'A'], 'A')).toEqual(['A', 'B']);
    let list: string[] = [];
    for (const c of ['1', '2', '3', '4', '5', '6', '7']) list = withRecent(list, c);
    expect(list).toHaveLength(RECENT_MAX);
    expect(list[0]).toBe('7');
    expect(list).not.toContain('1');
  });

  it('orders recent first and skips codes no longer offered', () => {
    const cats = [{ code: 'A' }, { code: 'B' }, { code: 'C' }];
    const { recent, rest } = orderByRecent(cats, ['C', 'gone', 'A']);
    expect(recent.map((c) => c.code)).toEqual(['C', 'A']);
    expect(rest.map((c) => c.code)).toEqual(['B']);
  });
});
