import { describe, expect, it } from 'vitest';
import { commandFor, moveIndex, SHORTCUTS } from './shortcuts';

describe('workbench shortcuts', () => {
  it('maps letters in either case, Enter, Esc and ?', () => {
    expect(commandFor({ key: 'j' })).toBe('next');
    expect(commandFor({ key: 'K' })).toBe('previous');
    expect(commandFor({ key: 's' })).toBe('sign');
    expect(commandFor({ key: 'd' })).toBe('dispatch');
    expect(commandFor({ key: 'Enter' })).toBe('open');
    expect(commandFor({ key: 'Escape' })).toBe('close');
    expect(commandFor({ key: '?' })).toBe('help');
    expect(commandFor({ key: 'q' })).toBeNull();
  });

  it('leaves typing in a field and chords alone, but Esc still closes', () => {
    expect(commandFor({ key: 's', inField: true })).toBeNull();
    expect(commandFor({ key: 'Enter', inField: true })).toBeNull();
    expect(commandFor({ key: 'j', ctrlKey: true })).toBeNull();
    expect(commandFor({ key: 'Escape', inField: true })).toBe('close');
  });

  it('every listed single key maps back to its own command', () => {
    for (const s of SHORTCUTS.filter((x) => x.keys.length === 1 && x.keys !== '?')) expect(commandFor({ key: s.keys })).toBe(s.command);
  });

  it('moves within the list and stops at its ends', () => {
    expect(moveIndex(-1, 1, 3)).toBe(0);
    expect(moveIndex(-1, -1, 3)).toBe(2);
    expect(moveIndex(2, 1, 3)).toBe(2);
    expect(moveIndex(0, -1, 3)).toBe(0);
    expect(moveIndex(0, 1, 0)).toBe(-1);
  });
});
