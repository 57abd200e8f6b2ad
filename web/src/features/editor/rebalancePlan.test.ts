import { expect, it } from 'vitest';
import { outOfBand, plannedTotals, previewFeatures, targetColours, type PlanGrid, type PlanMove } from './rebalancePlan';

const band = { min: 300, max: 500 };
const grids: PlanGrid[] = [
  { code: 'A', name: '第1网格', version: 1, before: 620, statusBefore: 'above' },
  { code: 'B', name: '第2网格', version: 3, before: 250, statusBefore: 'below' },
  { code: 'C', name: '第3网格', version: 2, before: 400, statusBefore: 'in' },
];
const moves: PlanMove[] = [
  { building: 'b1', households: 80, from: 'A', to: 'B', position: [110, 22] },
  { building: 'b2', households: 60, from: 'A', to: 'C', position: [110.1, 22] },
];

it('recomputes the totals and band status for the chosen moves only', () => {
  const all = plannedTotals(grids, moves, new Set(['b1', 'b2']), band);
  expect(all.map((g) => [g.code, g.after, g.status, g.changed])).toEqual([
    ['A', 480, 'in', true],
    ['B', 330, 'in', true],
    ['C', 460, 'in', true],
  ]);
  expect(outOfBand(all)).toBe(0);
  const one = plannedTotals(grids, moves, new Set(['b1']), band);
  expect(one.map((g) => [g.code, g.after, g.status, g.changed])).toEqual([
    ['A', 540, 'above', true],
    ['B', 330, 'in', true],
    ['C', 400, 'in', false],
  ]);
  // Households are conserved whatever is chosen.
  expect(one.reduce((s, g) => s + g.after, 0)).toBe(grids.reduce((s, g) => s + g.before, 0));
});

it('colours buildings by target grid, greys unticked ones, and shows outlines only for the whole plan', () => {
  const colours = targetColours(moves);
  expect(colours.get('B')).not.toBe(colours.get('C'));
  const outlines = [{ code: 'B', geometry: { type: 'MultiPolygon' as const, coordinates: [] } }];
  const full = previewFeatures(moves, new Set(['b1', 'b2']), outlines);
  expect(full.features.filter((f) => f.properties?.kind === 'grid')).toHaveLength(1);
  expect(full.features.filter((f) => f.properties?.kind === 'building').map((f) => f.properties?.colour)).toEqual([colours.get('B'), colours.get('C')]);
  const part = previewFeatures(moves, new Set(['b1']), outlines);
  expect(part.features.filter((f) => f.properties?.kind === 'grid')).toHaveLength(0);
  expect(part.features.find((f) => f.properties?.code === 'b2')?.properties).toMatchObject({ chosen: false, colour: '#8a94a6' });
});
