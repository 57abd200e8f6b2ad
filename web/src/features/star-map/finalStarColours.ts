/**
 * Why: the map's 星级 mode colours each grid by the latest FINAL rating of its own
 * organisation (grid-level), else of its community's, else as unrated — with the big
 * screen's star colours (../screen/starColours.ts, the one source).
 */
import { STAR_COLOURS } from '../screen/starColours';
import type { ColourSpecification } from '../map/styleTypes';

export interface FinalStarLike {
  orgCode: string;
  stars: number;
}

export const UNRATED_COLOUR = STAR_COLOURS[0];

const colourOf = (stars: number) => STAR_COLOURS[Math.max(0, Math.min(5, Math.round(stars)))]!;

/** A MapLibre expression on the grid tiles' `code` (grid-level organisations) then `community` (community-level ones). */
export function finalStarColourExpression(ratings: readonly FinalStarLike[]): ColourSpecification {
  const pairs = (len: number) => ratings.filter((r) => r.orgCode.length === len).flatMap((r) => [r.orgCode, colourOf(r.stars)]);
  const community = pairs(12);
  const grid = pairs(15);
  const byCommunity = community.length > 0 ? ['match', ['get', 'community'], ...community, UNRATED_COLOUR] : UNRATED_COLOUR;
  return (grid.length > 0 ? ['match', ['get', 'code'], ...grid, byCommunity] : byCommunity) as unknown as ColourSpecification;
}

/** The star a grid is shown with: its own final rating, else its community's, else 0 (未评定). */
export function shownStars(ratings: readonly FinalStarLike[], gridCode: string): number {
  return ratings.find((r) => r.orgCode === gridCode)?.stars ?? ratings.find((r) => r.orgCode === gridCode.slice(0, 12))?.stars ?? 0;
}
