/** Star ratings 0 (未评) … 5: cool grey for unrated, warm party reds/golds for rated grids. */
import type { ColourSpecification } from '../map/styleTypes';

export const STAR_COLOURS = ['#5b6477', '#7a9cc6', '#4fb3a9', '#f2c14e', '#f28c38', '#e2483d'] as const;
export const STAR_LABELS = ['未评星', '一星', '二星', '三星', '四星', '五星'] as const;

/** MapLibre expression on the grid tiles' `stars` property. */
export function starColourExpression(): ColourSpecification {
  return ['match', ['get', 'stars'], 0, STAR_COLOURS[0], 1, STAR_COLOURS[1], 2, STAR_COLOURS[2], 3, STAR_COLOURS[3], 4, STAR_COLOURS[4], 5, STAR_COLOURS[5], STAR_COLOURS[0]] as unknown as ColourSpecification;
}

/** Coverage share 0..1 per grid code as a `match` on code (only the drilled region's grids are sent). */
export function coverageColourExpression(shares: { code: string; share: number }[]): ColourSpecification {
  if (shares.length === 0) return '#5b6477' as ColourSpecification;
  const pairs = shares.flatMap((s) => [s.code, coverageColour(s.share)]);
  return ['match', ['get', 'code'], ...pairs, '#3a4254'] as unknown as ColourSpecification;
}

export const COVERAGE_STEPS: [number, string][] = [
  [0.5, '#b83b3b'],
  [0.8, '#e0a030'],
  [1.01, '#3fae6a'],
];

export function coverageColour(share: number): string {
  return (COVERAGE_STEPS.find(([max]) => share < max) ?? COVERAGE_STEPS[COVERAGE_STEPS.length - 1]!)[1];
}
