import { describe, expect, it } from 'vitest';
import { editorKey, type KeyLike } from './keyboard';
import { formatArea, formatAreaChange, versionedTileUrl } from './format';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe('editor keys', () => {
  it('maps the shortcuts', () => {
    expect(editorKey(key('z', { ctrlKey: true }))).toBe('undo');
    expect(editorKey(key('Z', { ctrlKey: true, shiftKey: true }))).toBe('redo');
    expect(editorKey(key('z', { metaKey: true, shiftKey: true }))).toBe('redo');
    expect(editorKey(key('y', { ctrlKey: true }))).toBe('redo');
    expect(editorKey(key('Escape'))).toBe('cancel');
    expect(editorKey(key('Delete'))).toBe('deleteVertex');
    expect(editorKey(key('Enter'))).toBe('save');
    expect(editorKey(key('z'))).toBeNull();
    expect(editorKey(key('Enter', { ctrlKey: true }))).toBeNull();
  });

  it('leaves typing in inputs alone, except Esc', () => {
    expect(editorKey(key('Delete', { targetTag: 'input' }))).toBeNull();
    expect(editorKey(key('z', { ctrlKey: true, targetTag: 'INPUT' }))).toBeNull();
    expect(editorKey(key('Escape', { targetTag: 'INPUT' }))).toBe('cancel');
  });
});

describe('formatting', () => {
  it('formats areas and changes', () => {
    expect(formatArea(57921.4)).toBe('57,921 平方米');
    expect(formatArea(1_234_567)).toBe('1.235 平方千米');
    expect(formatArea(null)).toBe('—');
    expect(formatAreaChange(1000, 1250.6)).toBe('+251 平方米');
    expect(formatAreaChange(1000, 900)).toBe('−100 平方米');
    expect(formatAreaChange(1000, 1000.2)).toBe('面积不变');
  });

  it('versions tile URLs, replacing an earlier version', () => {
    const t = 'http://h/tiles/grids/{z}/{x}/{y}.mvt';
    expect(versionedTileUrl(t, 1)).toBe('http://h/tiles/grids/{z}/{x}/{y}.mvt?v=1');
    expect(versionedTileUrl(versionedTileUrl(t, 1), 2)).toBe('http://h/tiles/grids/{z}/{x}/{y}.mvt?v=2');
    expect(versionedTileUrl('http://h/t/{z}.mvt?a=1&v=3', 4)).toBe('http://h/t/{z}.mvt?a=1&v=4');
  });
});
