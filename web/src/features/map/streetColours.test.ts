import { describe, expect, it } from 'vitest';
import { FALLBACK_COLOUR, STREET_PALETTE, hexToRgb, streetColourExpression, streetColours, type StreetLike } from './streetColours';

const node = (code: string, name: string, level: string, children: StreetLike[] = []): StreetLike => ({ code, name, level, children });

const tree = [
  node('450900', '玉林市', 'city', [
    node('450902', '玉州区', 'district', [node('450902100', '大塘镇', 'street', [node('450902100001', '某社区', 'community')]), node('450902001', '玉城街道', 'street'), node('450902002', '南江街道', 'street')]),
  ]),
];

describe('streetColours', () => {
  it('lists streets in code order with distinct palette colours', () => {
    const colours = streetColours(tree);
    expect(colours.map((c) => c.code)).toEqual(['450902001', '450902002', '450902100']);
    expect(colours.map((c) => c.name)).toEqual(['玉城街道', '南江街道', '大塘镇']);
    expect(new Set(colours.map((c) => c.colour)).size).toBe(3);
    expect(colours[0]!.colour).toBe(STREET_PALETTE[0]);
  });

  it('wraps around the palette when there are more streets than colours', () => {
    const many = Array.from({ length: STREET_PALETTE.length + 2 }, (_, i) => node(`450902${String(i).padStart(3, '0')}`, `街道${i}`, 'street'));
    const colours = streetColours(many);
    expect(colours[STREET_PALETTE.length]!.colour).toBe(STREET_PALETTE[0]);
  });
});

describe('streetColourExpression', () => {
  it('builds a match on the street code with a fallback', () => {
    const expr = streetColourExpression(streetColours(tree));
    expect(expr).toEqual(['match', ['to-string', ['get', 'street']], '450902001', STREET_PALETTE[0], '450902002', STREET_PALETTE[1], '450902100', STREET_PALETTE[2], FALLBACK_COLOUR]);
  });

  it('falls back to a constant colour when there are no streets', () => {
    expect(streetColourExpression([])).toBe(FALLBACK_COLOUR);
  });
});

describe('hexToRgb', () => {
  it('parses #rrggbb', () => {
    expect(hexToRgb('#4e9bd6')).toEqual([0x4e, 0x9b, 0xd6]);
    expect(() => hexToRgb('red')).toThrow();
  });
});
