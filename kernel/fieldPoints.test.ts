import { describe, expect, it } from 'vitest';
import { fixProblems, MAX_ACCURACY_M } from './fieldPoints';

describe('fixProblems', () => {
  it('keeps a fix in 玉林 with a phone-like accuracy', () => {
    expect(fixProblems(110.155, 22.64, 12)).toEqual([]);
    expect(fixProblems(110.155, 22.64)).toEqual([]);
  });
  it('refuses fixes outside China, swapped coordinates and nonsense accuracy, naming each field', () => {
    expect(fixProblems(2.35, 48.85, 10).map((p) => p.field)).toEqual(['lon']);
    expect(fixProblems(22.64, 110.155).map((p) => p.field)).toEqual(['lon', 'lat']);
    expect(fixProblems(110.1, 22.6, -3)[0]).toMatchObject({ field: 'accuracyM' });
    expect(fixProblems(110.1, 22.6, MAX_ACCURACY_M + 1)[0]?.reason).toContain('不可信');
    expect(fixProblems(Number.NaN, '22' as unknown, 5).map((p) => p.field)).toEqual(['lon', 'lat']);
  });
});
