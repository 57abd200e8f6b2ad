/**
 * Categorical colours for streets (街道/镇). Grids are coloured by the street
 * they belong to, so the same palette drives the map fill and the legend.
 */
import type { ColourSpecification } from './styleTypes';

export interface StreetLike {
  code: string;
  name: string;
  level: string;
  children: readonly StreetLike[];
}

export interface StreetColour {
  code: string;
  name: string;
  colour: string;
}

/** Distinct hues that stay legible on a dark basemap (Tableau-10 style, brightened). */
export const STREET_PALETTE = ['#4e9bd6', '#f28e2b', '#59c27a', '#e15759', '#b07aa1', '#edc948', '#76b7b2', '#ff9da7', '#9c755f', '#bab0ac', '#8cd17d', '#a0cbe8'] as const;

/** Used for grids whose street is missing from the tree (should not happen, but must not break the style). */
export const FALLBACK_COLOUR = '#8a94a6';

/** Streets in code order, each with a stable palette colour. */
export function streetColours(roots: readonly StreetLike[]): StreetColour[] {
  const streets: StreetLike[] = [];
  const walk = (nodes: readonly StreetLike[]) => {
    for (const node of nodes) {
      if (node.level === 'street') streets.push(node);
      else walk(node.children);
    }
  };
  walk(roots);
  streets.sort((a, b) => a.code.localeCompare(b.code));
  return streets.map((s, i) => ({ code: s.code, name: s.name, colour: STREET_PALETTE[i % STREET_PALETTE.length]! }));
}

/**
 * A MapLibre `match` on the tile property `street` (9-digit code).
 * `match` needs at least one label, so an empty list yields the fallback colour.
 */
export function streetColourExpression(colours: readonly StreetColour[], property = 'street'): ColourSpecification {
  if (colours.length === 0) return FALLBACK_COLOUR;
  const pairs = colours.flatMap((c) => [c.code, c.colour]);
  return ['match', ['to-string', ['get', property]], ...pairs, FALLBACK_COLOUR] as ColourSpecification;
}

/** "#rrggbb" → [r, g, b] for deck.gl colour accessors. */
export function hexToRgb(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  return [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)];
}
