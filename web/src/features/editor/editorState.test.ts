import { describe, expect, it } from 'vitest';
import { editorReducer, initialEditorState, isDirty, type BaseGrid, type EditorAction, type EditorState } from './editorState';
import { moveVertex } from './geometryOps';

const square: GeoJSON.Polygon = {
  type: 'Polygon',
  coordinates: [
    [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
      [0, 0],
    ],
  ],
};
const grid: BaseGrid = { code: '450902001001001', name: '一网格', version: 3, geometry: square, communityCode: '450902001001', communityName: '社区', areaM2: 1 };
const run = (...actions: EditorAction[]) => actions.reduce<EditorState>(editorReducer, initialEditorState);
const v = (index: number) => ({ polygon: 0, ring: 0, index });

describe('editor state', () => {
  it('is dirty after an edit and clean again after undo; redo restores the edit', () => {
    const moved = moveVertex(square, v(2), [2, 2]);
    let s = run({ type: 'load', grid }, { type: 'setGeometry', geometry: moved });
    expect(isDirty(s)).toBe(true);
    s = editorReducer(s, { type: 'undo' });
    expect(isDirty(s)).toBe(false);
    expect(s.history.present.geometry).toBe(square);
    s = editorReducer(s, { type: 'redo' });
    expect(s.history.present.geometry).toEqual(moved);
  });

  it('deletes the selected vertex, refuses below a triangle, and says why', () => {
    let s = run({ type: 'load', grid }, { type: 'deleteVertex' });
    expect(s.notice).toBe('请先点击选中一个顶点');
    s = editorReducer(editorReducer(s, { type: 'selectVertex', ref: v(0) }), { type: 'deleteVertex' });
    expect(s.history.present.geometry!.coordinates[0]).toEqual([
      [1, 0],
      [1, 1],
      [0, 1],
      [1, 0],
    ]);
    expect(s.selectedVertex).toBeNull();
    s = editorReducer(editorReducer(s, { type: 'selectVertex', ref: v(0) }), { type: 'deleteVertex' });
    expect(s.notice).toBe('每个环至少需要 3 个顶点，不能再删除');
    expect(s.history.present.geometry!.coordinates[0]).toHaveLength(4);
  });

  it('cancel discards a dirty draft (undoably), then leaves a sketch mode', () => {
    let s = run({ type: 'load', grid }, { type: 'setGeometry', geometry: moveVertex(square, v(1), [3, 0]) }, { type: 'cancel' });
    expect(isDirty(s)).toBe(false);
    expect(isDirty(editorReducer(s, { type: 'undo' }))).toBe(true);
    s = run({ type: 'load', grid }, { type: 'mode', mode: 'split' }, { type: 'addSketchPoint', position: [0, 0] }, { type: 'addSketchPoint', position: [1, 1] });
    expect(s.history.present.sketch).toEqual([
      [0, 0],
      [1, 1],
    ]);
    // Undo removes the last clicked point.
    expect(editorReducer(s, { type: 'undo' }).history.present.sketch).toEqual([[0, 0]]);
    s = editorReducer(s, { type: 'cancel' });
    expect(s.mode).toBe('edit');
    expect(s.history.present.sketch).toEqual([]);
  });

  it('merge starts with the current grid and toggles others', () => {
    let s = run({ type: 'load', grid }, { type: 'mode', mode: 'merge' }, { type: 'toggleMerge', code: 'B' }, { type: 'toggleMerge', code: 'C' });
    expect(s.mergeCodes).toEqual([grid.code, 'B', 'C']);
    s = editorReducer(s, { type: 'toggleMerge', code: 'B' });
    expect(s.mergeCodes).toEqual([grid.code, 'C']);
  });

  it('needs a grid before any tool but vertex editing, and ignores sketch clicks in edit mode', () => {
    expect(run({ type: 'mode', mode: 'draw' }).notice).toBe('请先选择一个网格');
    const s = run({ type: 'load', grid }, { type: 'addSketchPoint', position: [0, 0] });
    expect(s.history.present.sketch).toEqual([]);
  });
});
