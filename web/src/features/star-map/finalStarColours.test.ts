/** Why: the 星级 mode's expression must pick the grid's own final rating first, then its community's, else unrated. */
import { describe, expect, it } from 'vitest';
import { STAR_COLOURS } from '../screen/starColours';
import { finalStarColourExpression, shownStars, UNRATED_COLOUR } from './finalStarColours';

const RATINGS = [
  { orgCode: '450902005001', stars: 4 },
  { orgCode: '450902005001002', stars: 2 },
];

describe('final star colours', () => {
  it('matches grid codes first, then communities, then falls back to unrated', () => {
    expect(finalStarColourExpression(RATINGS)).toEqual(['match', ['get', 'code'], '450902005001002', STAR_COLOURS[2], ['match', ['get', 'community'], '450902005001', STAR_COLOURS[4], UNRATED_COLOUR]]);
    expect(finalStarColourExpression([])).toBe(UNRATED_COLOUR);
    expect(finalStarColourExpression([{ orgCode: '450902005001', stars: 5 }])).toEqual(['match', ['get', 'community'], '450902005001', STAR_COLOURS[5], UNRATED_COLOUR]);
  });

  it('shows a grid with its own rating, its community’s, or none', () => {
    expect(shownStars(RATINGS, '450902005001002')).toBe(2);
    expect(shownStars(RATINGS, '450902005001001')).toBe(4);
    expect(shownStars(RATINGS, '450902003001001')).toBe(0);
  });
});
