/**
 * The editor's state machine: the grid being edited as the server has it (`base`),
 * the draft with undo/redo, the tool mode and selections. Pure, so it is unit tested.
 * A 微网格 or 专属网格 of the open grid's community can be selected (`subGrid`): the draft is then its
 * outline, edited with the same vertex mode and saved through /api/levels; back to the base grid on Esc.
 */
import { deleteVertex, sameGeometry, type PolygonalGeometry, type Position, type VertexRef } from './geometryOps';
import { EXCLUSIVE_KINDS, type ExclusiveKind } from '../../../../kernel/gridCode';
import { canUndo, pushHistory, redo, startHistory, undo, type History } from './undoStack';

/**
 * edit: move/insert/delete vertices · draw: a new grid · split: a line across the grid · merge: pick neighbours ·
 * micro: a 微网格 inside the open grid · exclusive: a 专属网格 of `exclusiveKind` in its community.
 */
export type Mode = 'edit' | 'draw' | 'split' | 'merge' | 'micro' | 'exclusive';

export const MODE_NAMES: Record<Mode, string> = { edit: '编辑顶点', draw: '绘制新网格', split: '分割网格', merge: '合并网格', micro: '绘制微网格', exclusive: '绘制专属网格' };

/** The modes that click a sketch point by point. */
const SKETCH_MODES: readonly Mode[] = ['draw', 'split', 'micro', 'exclusive'];

export interface Draft {
  geometry: PolygonalGeometry | null;
  sketch: Position[];
}

export interface BaseGrid {
  code: string;
  name: string;
  version: number;
  geometry: PolygonalGeometry;
  communityCode: string;
  communityName: string;
  areaM2: number;
}

/** A 微网格 or 专属网格 being reshaped, as the server has it (the version a save is checked against). */
export interface SubGridTarget {
  code: string;
  level: 'micro' | 'exclusive';
  name: string;
  version: number;
  geometry: PolygonalGeometry;
}

export interface EditorState {
  base: BaseGrid | null;
  /** The sub grid whose vertices are edited instead of the base grid's; null: the base grid. */
  subGrid: SubGridTarget | null;
  history: History<Draft>;
  mode: Mode;
  selectedVertex: VertexRef | null;
  mergeCodes: string[];
  /** The kind a new 专属网格 gets (mode exclusive). */
  exclusiveKind: ExclusiveKind;
  /** A short hint for the planner after an action that could not be done. */
  notice: string | null;
}

export type EditorAction =
  | { type: 'load'; grid: BaseGrid }
  | { type: 'unload' }
  | { type: 'setGeometry'; geometry: PolygonalGeometry }
  | { type: 'addSketchPoint'; position: Position }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'mode'; mode: Mode }
  | { type: 'selectVertex'; ref: VertexRef | null }
  | { type: 'deleteVertex' }
  | { type: 'toggleMerge'; code: string }
  | { type: 'exclusiveKind'; kind: ExclusiveKind }
  | { type: 'selectSubGrid'; subGrid: SubGridTarget | null }
  | { type: 'cancel' };

export const initialEditorState: EditorState = {
  base: null,
  subGrid: null,
  history: startHistory<Draft>({ geometry: null, sketch: [] }),
  mode: 'edit',
  selectedVertex: null,
  mergeCodes: [],
  exclusiveKind: EXCLUSIVE_KINDS[0],
  notice: null,
};

/** The outline the draft started from: the selected sub grid's, else the base grid's. */
export const targetGeometry = (s: EditorState) => s.subGrid?.geometry ?? s.base?.geometry ?? null;

export const isDirty = (s: EditorState) => !!s.base && !sameGeometry(s.history.present.geometry, targetGeometry(s));

/** Back to (or on to) editing `subGrid`, or the base grid when null: a fresh draft in the vertex mode. */
const editTarget = (s: EditorState, subGrid: SubGridTarget | null): EditorState => ({
  ...s,
  subGrid,
  mode: 'edit',
  history: startHistory<Draft>({ geometry: subGrid?.geometry ?? s.base?.geometry ?? null, sketch: [] }),
  selectedVertex: null,
  mergeCodes: [],
  notice: null,
});

const withDraft = (s: EditorState, draft: Partial<Draft>): EditorState => ({ ...s, history: pushHistory(s.history, { ...s.history.present, ...draft }), notice: null });

export function editorReducer(s: EditorState, a: EditorAction): EditorState {
  switch (a.type) {
    case 'load':
      return { ...initialEditorState, exclusiveKind: s.exclusiveKind, base: a.grid, history: startHistory<Draft>({ geometry: a.grid.geometry, sketch: [] }) };
    case 'unload':
      return initialEditorState;
    case 'setGeometry':
      return withDraft(s, { geometry: a.geometry });
    case 'addSketchPoint':
      return SKETCH_MODES.includes(s.mode) ? withDraft(s, { sketch: [...s.history.present.sketch, a.position] }) : s;
    case 'undo':
      return canUndo(s.history) ? { ...s, history: undo(s.history), selectedVertex: null, notice: null } : { ...s, notice: '没有可撤销的操作' };
    case 'redo':
      return { ...s, history: redo(s.history), selectedVertex: null, notice: null };
    case 'mode': {
      if (!s.base && a.mode !== 'edit') return { ...s, notice: '请先选择一个网格' };
      // The other tools work on the base grid: leave the sub grid (a dirty one only by Esc first).
      if (s.subGrid && a.mode !== 'edit') {
        if (isDirty(s)) return { ...s, notice: '微网格/专属网格有未保存的修改：请先保存，或按 Esc 放弃修改' };
        return editorReducer(editTarget(s, null), a);
      }
      const cleared = s.history.present.sketch.length ? withDraft(s, { sketch: [] }) : s;
      return { ...cleared, mode: a.mode, selectedVertex: null, mergeCodes: a.mode === 'merge' && s.base ? [s.base.code] : [], notice: null };
    }
    case 'selectVertex':
      return { ...s, selectedVertex: a.ref, notice: null };
    case 'deleteVertex': {
      const geometry = s.history.present.geometry;
      if (!geometry || !s.selectedVertex) return { ...s, notice: '请先点击选中一个顶点' };
      const next = deleteVertex(geometry, s.selectedVertex);
      if (!next) return { ...s, notice: '每个环至少需要 3 个顶点，不能再删除' };
      return { ...withDraft(s, { geometry: next }), selectedVertex: null };
    }
    case 'toggleMerge': {
      if (s.mode !== 'merge') return s;
      const has = s.mergeCodes.includes(a.code);
      return { ...s, mergeCodes: has ? s.mergeCodes.filter((c) => c !== a.code) : [...s.mergeCodes, a.code], notice: null };
    }
    case 'exclusiveKind':
      return { ...s, exclusiveKind: a.kind, notice: null };
    case 'selectSubGrid': {
      if (!s.base) return { ...s, notice: '请先选择一个网格' };
      // The same sub grid again (fresh from the server after a save): take its version and shape.
      if (isDirty(s) && a.subGrid?.code !== s.subGrid?.code) return { ...s, notice: '当前有未保存的修改：请先保存，或按 Esc 放弃修改' };
      return editTarget(s, a.subGrid);
    }
    case 'cancel': {
      if (s.mode !== 'edit') return editorReducer(s, { type: 'mode', mode: 'edit' });
      const target = targetGeometry(s);
      if (isDirty(s) && target) return { ...withDraft(s, { geometry: target }), selectedVertex: null };
      if (s.subGrid) return editTarget(s, null);
      return { ...s, selectedVertex: null, notice: null };
    }
  }
}
