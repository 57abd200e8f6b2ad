/** The open grid: name, code, community, version, area and vertex count, and how the active mode is used. */
import { MODE_NAMES, type BaseGrid, type EditorState } from './editorState';
import { formatArea } from './format';
import { vertices } from './geometryOps';
import type { EditorMode } from './modes';

export interface GridSummaryProps {
  base: BaseGrid;
  state: EditorState;
  mode: EditorMode;
  dirty: boolean;
}

export function GridSummary({ base, state, mode, dirty }: GridSummaryProps) {
  const draft = state.history.present.geometry;
  return (
    <section className="editor-section" data-testid="editor-grid">
      <h2>
        {base.name}{' '}
        <span className="editor-code" data-testid="editor-grid-code">
          {base.code}
        </span>
      </h2>
      <dl className="editor-facts">
        <dt>所属社区</dt>
        <dd>{base.communityName}</dd>
        <dt>版本</dt>
        <dd data-testid="editor-grid-version">{base.version}</dd>
        <dt>面积</dt>
        <dd>{formatArea(base.areaM2)}</dd>
        <dt>顶点</dt>
        <dd>{draft ? vertices(draft).length : 0}</dd>
      </dl>
      {dirty && <p className="editor-dirty">有未保存的修改（Enter 保存，Esc 放弃）</p>}
      <p className="muted editor-hint">
        <strong>{MODE_NAMES[state.mode]}：</strong>
        {mode.help}
      </p>
      {state.mode === 'merge' && (
        <p data-testid="editor-merge-list">
          合并：{state.mergeCodes.join('、')}（{state.mergeCodes.length} 个）
        </p>
      )}
    </section>
  );
}
