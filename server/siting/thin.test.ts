/** Why: the suggestion's candidate count is what the bench's "5,000 candidates" target is about; thinning must keep exactly the asked number, evenly spread. */
import { describe, expect, it } from 'vitest';
import { thin } from './suggest';

describe('thinning candidate points', () => {
  it('keeps exactly max of them, evenly over their order, the first included', () => {
    const points = Array.from({ length: 26_000 }, (_, i) => i);
    const kept = thin(points, 5000);
    expect(kept.length).toBe(5000);
    expect(kept[0]).toBe(0);
    expect(new Set(kept).size).toBe(5000);
    // Gaps of ⌊26000/5000⌋ = 5 or 6, never more: nowhere is left out.
    const gaps = kept.slice(1).map((p, i) => p - kept[i]!);
    expect(new Set(gaps)).toEqual(new Set([5, 6]));
  });

  it('keeps all when there are no more than max, and none for max 0', () => {
    expect(thin([1, 2, 3], 3)).toEqual([1, 2, 3]);
    expect(thin([1, 2, 3], 10)).toEqual([1, 2, 3]);
    expect(thin([1, 2, 3], 0)).toEqual([]);
  });
});
