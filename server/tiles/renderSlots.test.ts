import { describe, expect, it } from 'vitest';
import { defaultRenderSlots, renderSlots } from './renderSlots';

/** A job that runs until its `finish` is called; records when it started. */
function gate() {
  let finish!: (value: string) => void;
  let fail!: (err: Error) => void;
  const done = new Promise<string>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  return { done, finish, fail };
}
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('renderSlots', () => {
  it('runs at most `slots` jobs at once and starts the waiting ones first come, first served', async () => {
    const slots = renderSlots(2);
    const gates = [gate(), gate(), gate(), gate()];
    const started: number[] = [];
    const results = gates.map((g, i) =>
      slots.run(() => {
        started.push(i);
        return g.done;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    expect([slots.running, slots.waiting]).toEqual([2, 2]);
    gates[1]!.finish('b');
    await tick();
    expect(started).toEqual([0, 1, 2]);
    gates[0]!.fail(new Error('render failed'));
    await expect(results[0]).rejects.toThrow('render failed');
    await tick();
    // A failed render gives its slot back too.
    expect(started).toEqual([0, 1, 2, 3]);
    gates[2]!.finish('c');
    gates[3]!.finish('d');
    expect(await Promise.all(results.slice(1))).toEqual(['b', 'c', 'd']);
    expect([slots.running, slots.waiting]).toEqual([0, 0]);
  });

  it('does not limit with 0 slots', async () => {
    const slots = renderSlots(0);
    const gates = [gate(), gate(), gate()];
    let started = 0;
    const results = gates.map((g) =>
      slots.run(() => {
        started++;
        return g.done;
      }),
    );
    await tick();
    expect(started).toBe(3);
    for (const g of gates) g.finish('x');
    expect(await Promise.all(results)).toEqual(['x', 'x', 'x']);
  });

  it('reads TILE_RENDER_SLOTS and refuses nonsense', () => {
    expect(defaultRenderSlots({ TILE_RENDER_SLOTS: '4' })).toBe(4);
    expect(defaultRenderSlots({ TILE_RENDER_SLOTS: '0' })).toBe(0);
    expect(defaultRenderSlots({})).toBeGreaterThanOrEqual(2);
    expect(() => defaultRenderSlots({ TILE_RENDER_SLOTS: '-1' })).toThrow('TILE_RENDER_SLOTS');
    expect(() => defaultRenderSlots({ TILE_RENDER_SLOTS: 'many' })).toThrow('TILE_RENDER_SLOTS');
  });
});
