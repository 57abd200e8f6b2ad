import { describe, expect, it } from 'vitest';
import { formatRemaining, toneAt } from './countdown';

describe('countdown', () => {
  it('formats far, near and past deadlines', () => {
    expect(formatRemaining(2 * 86_400_000 + 3 * 3_600_000 + 59_000)).toBe('剩 2天3小时');
    expect(formatRemaining(5 * 3_600_000 + 7 * 60_000)).toBe('剩 5小时7分');
    expect(formatRemaining(45 * 60_000 + 2_500)).toBe('剩 45分02秒');
    expect(formatRemaining(-(86_400_000 + 2 * 3_600_000))).toBe('超 1天2小时');
  });

  it('turns red once the deadline has passed, whatever the server said', () => {
    const now = Date.parse('2026-05-06T10:00:00Z');
    expect(toneAt('2026-05-06T09:59:59Z', 'ok', now)).toBe('red');
    expect(toneAt('2026-05-06T12:00:00Z', 'amber', now)).toBe('amber');
    expect(toneAt('2026-05-06T12:00:00Z', 'ok', now)).toBe('ok');
    expect(toneAt(null, 'red', now)).toBe('none');
  });
});
