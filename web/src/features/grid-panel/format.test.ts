import { describe, expect, it } from 'vitest';
import { formatArea, formatCount, formatDateTime, starText, occurrenceKeys } from './format';

describe('formatArea', () => {
  it('shows m² and 公顷 for a typical grid', () => {
    expect(formatArea(57921.455)).toEqual({ m2: '57,921 m²', readable: '5.79 公顷' });
  });
  it('switches to km² from one square kilometre', () => {
    expect(formatArea(2_345_678)).toEqual({ m2: '2,345,678 m²', readable: '2.35 km²' });
  });
});

describe('formatCount', () => {
  it('groups digits and shows a dash for missing values', () => {
    expect(formatCount(1339)).toBe('1,339');
    expect(formatCount(null)).toBe('—');
  });
});

describe('starText', () => {
  it('renders filled and empty stars, clamped to 0–5', () => {
    expect(starText(4)).toBe('★★★★☆');
    expect(starText(0)).toBe('☆☆☆☆☆');
    expect(starText(9)).toBe('★★★★★');
  });
});

describe('formatDateTime', () => {
  it('formats in China time', () => {
    expect(formatDateTime('2026-11-23T07:55:59.951Z')).toBe('2026-11-23 15:55');
    expect(formatDateTime('nonsense')).toBe('nonsense');
  });
});

describe('occurrenceKeys', () => {
  it('gives repeated names distinct keys that do not depend on position', () => {
    expect(occurrenceKeys(['李明', '王芳', '李明']).map((k) => k.key)).toEqual(['李明#0', '王芳#0', '李明#1']);
  });
});
