/**
 * The workbench's keyboard shortcuts: one table for the handler and the help
 * popover, so what the popover shows is what the keys do. Keys typed into a form
 * field are never shortcuts (except Esc, which closes).
 */
export type Command = 'next' | 'previous' | 'open' | 'close' | 'toggleSelect' | 'sign' | 'dispatch' | 'handle' | 'verify' | 'create' | 'help' | 'search';

export const SHORTCUTS: readonly { keys: string; command: Command; label: string }[] = [
  { keys: 'J', command: 'next', label: '下一条' },
  { keys: 'K', command: 'previous', label: '上一条' },
  { keys: 'Enter', command: 'open', label: '打开详情' },
  { keys: 'Esc', command: 'close', label: '关闭详情或表单' },
  { keys: 'X', command: 'toggleSelect', label: '勾选/取消勾选（批量派遣）' },
  { keys: 'S', command: 'sign', label: '签收' },
  { keys: 'D', command: 'dispatch', label: '派遣' },
  { keys: 'H', command: 'handle', label: '处置反馈' },
  { keys: 'V', command: 'verify', label: '核实通过' },
  { keys: 'N', command: 'create', label: '新建事件（上报）' },
  { keys: '?', command: 'help', label: '显示快捷键' },
];

/** The action (server's allowedActions name) a shortcut triggers, when it is one. */
export const COMMAND_ACTIONS: Partial<Record<Command, string>> = { sign: 'sign', dispatch: 'dispatch', handle: 'handle', verify: 'verify' };

export interface KeyPress {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  /** The event's target is a text field, select or editable element. */
  inField?: boolean;
}

export function commandFor(e: KeyPress): Command | null {
  if (e.key === 'Escape') return 'close';
  if (e.inField || e.ctrlKey || e.metaKey || e.altKey) return null;
  if (e.key === '?') return 'help';
  if (e.key === 'Enter') return 'open';
  const entry = SHORTCUTS.find((s) => s.keys.length === 1 && s.keys.toLowerCase() === e.key.toLowerCase());
  return entry?.command ?? null;
}

/** Whether a DOM event target takes typing. */
export function isField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** The index after moving by `step` in a list of `length`, staying inside it (-1: none selected). */
export function moveIndex(current: number, step: 1 | -1, length: number): number {
  if (length === 0) return -1;
  if (current < 0) return step === 1 ? 0 : length - 1;
  return Math.min(length - 1, Math.max(0, current + step));
}
