import { describe, expect, it } from 'vitest';
import { backoffMs, newIdempotencyKey, outcomeOf } from './retry';

describe('outbox retry rules', () => {
  it('backs off exponentially up to a minute', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(backoffMs)).toEqual([2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
  });

  it('retries network failures and 5xx, keeps 409 as a conflict, fails other refusals', () => {
    expect(outcomeOf(0, '').kind).toBe('retry');
    expect(outcomeOf(503, '').kind).toBe('retry');
    expect(outcomeOf(401, '').kind).toBe('retry');
    expect(outcomeOf(409, '事件已改派').kind).toBe('conflict');
    expect(outcomeOf(409, '事件已改派').reason).toBe('事件已改派');
    expect(outcomeOf(422, '类别：未知').kind).toBe('failed');
    expect(outcomeOf(403, '').reason).toContain('403');
  });

  it('makes a key even where crypto.randomUUID is missing', () => {
    const a = newIdempotencyKey(() => {
      throw new TypeError('randomUUID is not a function');
    });
    const b = newIdempotencyKey(() => {
      throw new TypeError('randomUUID is not a function');
    });
    expect(a).not.toBe(b);
    expect(a.length).toBeGreaterThan(10);
  });
});
