/** The open grid: name, code, community, version, area, vertex count, households of its buildings against the community's band, and how the active mode is used. */
import { useQuery } from '@tanstack/react-query';
import { BAND_STATUS_LABELS, bandStatus } from '../../../../kernel/householdBand';
import { bandQuery, gridBuildingsSummaryQuery } from './editorQueries';
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
  const sums = useQuery(gridBuildingsSummaryQuery(base.code));
  const band = useQuery(bandQuery(base.communityCode));
  const status = sums.data && band.data ? bandStatus(sums.data.households, band.data) : null;
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
        <dt>楼栋户数</dt>
        <dd data-testid="editor-grid-households" data-status={status ?? ''} className={status ? `band-${status}` : undefined}>
          {sums.data && band.data && status ? `${sums.data.households} 户（${sums.data.buildings} 栋；目标 ${band.data.min}–${band.data.max} 户，${BAND_STATUS_LABELS[status]}）` : '…'}
        </dd>
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
