import { describe, expect, it } from 'vitest';
import { canRedo, canUndo, pushHistory, redo, startHistory, undo } from './undoStack';

describe('undo stack', () => {
  it('undoes and redoes in order', () => {
    let h = startHistory('a');
    h = pushHistory(h, 'b');
    h = pushHistory(h, 'c');
    expect(canUndo(h)).toBe(true);
    h = undo(h);
    expect(h.present).toBe('b');
    h = undo(h);
    expect(h.present).toBe('a');
    expect(canUndo(h)).toBe(false);
    expect(undo(h)).toBe(h);
    h = redo(redo(h));
    expect(h.present).toBe('c');
    expect(canRedo(h)).toBe(false);
  });

  it('drops the redo branch on a new edit', () => {
    let h = pushHistory(pushHistory(startHistory(1), 2), 3);
    h = pushHistory(undo(h), 4);
    expect(h).toEqual({ past: [1, 2], present: 4, future: [] });
  });

  it('keeps at most `limit` undo steps and ignores a no-op push', () => {
    let h = startHistory(0);
    for (let i = 1; i <= 5; i++) h = pushHistory(h, i, 3);
    expect(h.past).toEqual([2, 3, 4]);
    expect(pushHistory(h, 5)).toBe(h);
  });
});
