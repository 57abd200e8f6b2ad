/** 合并网格: click neighbours in or out of the merge (blue); Enter merges them into the lowest code. */
import { mergeGridsTogether } from '../editorQueries';
import type { EditorMode } from './mode';

export const mergeMode: EditorMode = {
  id: 'merge',
  help: '点击相邻网格加入或移出合并（蓝色），按 Enter 合并为编码最小的网格。',
  handles: false,
  sketch: null,
  onClick(ctx, _e, grid) {
    if (grid !== null) ctx.dispatch({ type: 'toggleMerge', code: grid });
    return true;
  },
  write({ state, fetchGrid }) {
    if (state.mergeCodes.length < 2) return { notice: '请至少再选择一个相邻网格' };
    const codes = [...state.mergeCodes].sort();
    return {
      edited: codes,
      next: () => codes[0] ?? null,
      run: async (dryRun) => {
        // Versions as the server has them now: a stale one is a 409, as it should be.
        const details = await Promise.all(codes.map(fetchGrid));
        return mergeGridsTogether(
          details.map((d) => ({ code: d.code, version: d.version })),
          dryRun,
        );
      },
    };
  },
};
