/** The editor's tool bar: the modes (with the 专属网格 kind), undo/redo/cancel, 校验/保存, import, and the save options. */
import type { Dispatch } from 'react';
import { EXCLUSIVE_KINDS, type ExclusiveKind } from '../../../../kernel/gridCode';
import { MODE_NAMES, type EditorAction, type EditorState, type Mode } from './editorState';
import { canRedo, canUndo } from './undoStack';

export interface EditorToolbarProps {
  state: EditorState;
  dispatch: Dispatch<EditorAction>;
  busy: boolean;
  onCancel: () => void;
  onWrite: (dryRun: boolean) => void;
  onImport: () => void;
  adjustNeighbours: boolean;
  onAdjustNeighbours: (on: boolean) => void;
  snapping: boolean;
  onSnapping: (on: boolean) => void;
}

export function EditorToolbar({ state, dispatch, busy, onCancel, onWrite, onImport, adjustNeighbours, onAdjustNeighbours, snapping, onSnapping }: EditorToolbarProps) {
  const base = state.base;
  return (
    <div className="editor-toolbar" role="toolbar" aria-label="编辑工具">
      <div className="editor-modes">
        {(Object.keys(MODE_NAMES) as Mode[]).map((m) => (
          <button key={m} type="button" className="text-button" aria-pressed={state.mode === m} onClick={() => dispatch({ type: 'mode', mode: m })} disabled={!base && m !== 'edit'}>
            {MODE_NAMES[m]}
          </button>
        ))}
        {state.mode === 'exclusive' && (
          <label>
            类别
            <select value={state.exclusiveKind} onChange={(e) => dispatch({ type: 'exclusiveKind', kind: e.target.value as ExclusiveKind })} data-testid="exclusive-kind">
              {EXCLUSIVE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <div className="editor-actions">
        <button type="button" className="text-button" onClick={() => dispatch({ type: 'undo' })} disabled={!canUndo(state.history)} title="Ctrl+Z">
          撤销
        </button>
        <button type="button" className="text-button" onClick={() => dispatch({ type: 'redo' })} disabled={!canRedo(state.history)} title="Ctrl+Shift+Z">
          重做
        </button>
        <button type="button" className="text-button" onClick={onCancel} title="Esc">
          取消
        </button>
        <button type="button" className="text-button" onClick={() => onWrite(true)} disabled={!base || busy} data-testid="editor-validate">
          校验
        </button>
        <button type="button" className="text-button editor-primary" onClick={() => onWrite(false)} disabled={!base || busy} title="Enter" data-testid="editor-save">
          保存
        </button>
        <button type="button" className="text-button" onClick={onImport} disabled={busy} data-testid="editor-import">
          导入网格
        </button>
      </div>
      <div className="editor-options">
        <label>
          <input type="checkbox" checked={adjustNeighbours} onChange={(e) => onAdjustNeighbours(e.target.checked)} />
          自动调整相邻网格
        </label>
        <label>
          <input type="checkbox" checked={snapping} onChange={(e) => onSnapping(e.target.checked)} />
          吸附
        </label>
      </div>
    </div>
  );
}
