import { describe, expect, it } from 'vitest';
import { photosByStep } from './photosByStep';

describe('photosByStep', () => {
  it('puts report photos on the 上报 step and the others on their own step', () => {
    const steps = [
      { id: 10, action: 'report' },
      { id: 11, action: 'dispatch' },
      { id: 12, action: 'handle' },
    ];
    const grouped = photosByStep(
      [
        { id: 1, transitionId: null },
        { id: 2, transitionId: 12 },
        { id: 3, transitionId: 12 },
      ],
      steps,
    );
    expect([...grouped.entries()].map(([k, v]) => [k, v.map((p) => p.id)])).toEqual([
      [10, [1]],
      [12, [2, 3]],
    ]);
  });
});
