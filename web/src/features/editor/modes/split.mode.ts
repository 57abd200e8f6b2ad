/** 分割网格: click a line right across the grid; Enter splits it in two (or more). */
import { splitGridBy } from '../editorQueries';
import { sketchLine } from '../geometryOps';
import type { EditorMode } from './mode';
import { sketchPointer } from './sketch';

export const splitMode: EditorMode = {
  id: 'split',
  help: '点击画一条完全穿过网格的分割线，按 Enter 分割。',
  handles: false,
  sketch: 'line',
  ...sketchPointer,
  write({ base, state }) {
    const line = sketchLine(state.history.present.sketch);
    if (!line) return { notice: '分割线至少需要 2 个点' };
    return { edited: [base.code], run: (dryRun) => splitGridBy(base.code, { version: base.version, line }, dryRun) };
  },
};
