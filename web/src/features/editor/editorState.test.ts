import { describe, expect, it } from 'vitest';
import { editorReducer, initialEditorState, isDirty, type BaseGrid, type EditorAction, type EditorState, type SubGridTarget } from './editorState';
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

const microSquare: GeoJSON.MultiPolygon = {
  type: 'MultiPolygon',
  coordinates: [
    [
      [
        [0, 0],
        [0.5, 0],
        [0.5, 1],
        [0, 1],
        [0, 0],
      ],
    ],
  ],
};
const micro: SubGridTarget = { code: '45090200100100101', level: 'micro', name: '一网格第1微网格', version: 2, geometry: microSquare };

describe('editor state', () => {
  it('edits a selected 微网格 as the draft: dirty against its own outline, Esc discards then returns to the base grid', () => {
    let s = run({ type: 'load', grid }, { type: 'selectSubGrid', subGrid: micro });
    expect(s.subGrid).toBe(micro);
    expect(s.history.present.geometry).toBe(microSquare);
    expect(isDirty(s)).toBe(false);
    const moved = moveVertex(microSquare, v(1), [0.6, 0]);
    s = editorReducer(s, { type: 'setGeometry', geometry: moved });
    expect(isDirty(s)).toBe(true);
    // Another sub grid or another tool only after saving or discarding.
    expect(editorReducer(s, { type: 'selectSubGrid', subGrid: { ...micro, code: '45090200100100102' } }).subGrid).toBe(micro);
    expect(editorReducer(s, { type: 'mode', mode: 'split' }).mode).toBe('edit');
    // The same sub grid fresh from the server (after a save) replaces the draft with its new version.
    const saved = editorReducer(s, { type: 'selectSubGrid', subGrid: { ...micro, version: 3, geometry: moved } });
    expect([saved.subGrid?.version, isDirty(saved)]).toEqual([3, false]);
    s = editorReducer(s, { type: 'cancel' });
    expect(s.history.present.geometry).toBe(microSquare);
    s = editorReducer(s, { type: 'cancel' });
    expect(s.subGrid).toBeNull();
    expect(s.history.present.geometry).toBe(square);
    // A clean sub grid leaves for another tool, which works on the base grid.
    s = run({ type: 'load', grid }, { type: 'selectSubGrid', subGrid: micro }, { type: 'mode', mode: 'split' });
    expect([s.mode, s.subGrid, s.history.present.geometry]).toEqual(['split', null, square]);
  });

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
