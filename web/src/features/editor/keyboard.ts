/** Editor shortcuts: Ctrl+Z / Ctrl+Shift+Z (or Ctrl+Y), Esc, Delete, Enter. */
export type EditorKey = 'undo' | 'redo' | 'cancel' | 'deleteVertex' | 'save';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  /** The focused element's tag, e.g. 'INPUT': typing there is not an editor command. */
  targetTag?: string;
}

const TYPING = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

export function editorKey(e: KeyLike): EditorKey | null {
  const typing = e.targetTag ? TYPING.has(e.targetTag.toUpperCase()) : false;
  if (e.key === 'Escape') return 'cancel';
  if (typing) return null;
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  if (mod && !e.altKey && key === 'z') return e.shiftKey ? 'redo' : 'undo';
  if (mod && !e.altKey && !e.shiftKey && key === 'y') return 'redo';
  if (mod || e.altKey) return null;
  if (e.key === 'Delete' || e.key === 'Backspace') return 'deleteVertex';
  if (e.key === 'Enter') return 'save';
  return null;
}
