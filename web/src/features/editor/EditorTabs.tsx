/** The open grid's (or the selected 微网格/专属网格's) history (show, compare, revert), its community's renumbering, and its household band with 均衡, as tabs. */
import { useState } from 'react';
import type { EditResult } from './editOutcome';
import type { RebalanceMoveInput, RenumberPlanEntry } from './editorQueries';
import type { BaseGrid, SubGridTarget } from './editorState';
import { HistoryPanel, type Overlay } from './HistoryPanel';
import { RebalancePanel } from './RebalancePanel';
import { RenumberPanel } from './RenumberPanel';

export interface EditorTabsProps {
  base: BaseGrid;
  /** The selected sub grid: the history tab shows its versions. */
  subGrid: SubGridTarget | null;
  busy: boolean;
  onShow: (overlay: Overlay | null) => void;
  onRevert: (toVersion: number) => void;
  onRenumber: (plan: RenumberPlanEntry[]) => Promise<boolean>;
  onRebalancePreview: (features: GeoJSON.FeatureCollection | null) => void;
  onFocus: (geometry: GeoJSON.Geometry) => void;
  onRebalance: (community: string, body: { moves: RebalanceMoveInput[]; versions: { code: string; version: number }[] }, dryRun: boolean, label?: string) => Promise<EditResult | null>;
  onUndoRebalance: (community: string, batch: number, dryRun: boolean) => Promise<EditResult | null>;
}

export function EditorTabs({ base, subGrid, busy, onShow, onRevert, onRenumber, onRebalancePreview, onRebalance, onUndoRebalance, onFocus }: EditorTabsProps) {
  const [tab, setTab] = useState<'history' | 'renumber' | 'rebalance'>('history');
  return (
    <section className="editor-section">
      <div className="editor-tabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab === 'history'} onClick={() => setTab('history')}>
          {subGrid ? `历史版本（${subGrid.level === 'micro' ? '微网格' : '专属网格'}）` : '历史版本'}
        </button>
        <button type="button" role="tab" aria-selected={tab === 'renumber'} onClick={() => setTab('renumber')}>
          社区重新编号
        </button>
        <button type="button" role="tab" aria-selected={tab === 'rebalance'} onClick={() => setTab('rebalance')} data-testid="tab-rebalance">
          户数均衡
        </button>
      </div>
      {tab === 'history' ? (
        subGrid ? (
          <HistoryPanel key={subGrid.code} code={subGrid.code} level="sub" currentVersion={subGrid.version} busy={busy} onShow={onShow} onRevert={onRevert} />
        ) : (
          <HistoryPanel key={base.code} code={base.code} currentVersion={base.version} busy={busy} onShow={onShow} onRevert={onRevert} />
        )
      ) : tab === 'rebalance' ? (
        <RebalancePanel
          key={base.communityCode}
          communityCode={base.communityCode}
          communityName={base.communityName}
          busy={busy}
          onPreview={onRebalancePreview}
          onApply={onRebalance}
          onUndo={onUndoRebalance}
          onFocus={onFocus}
        />
      ) : (
        <RenumberPanel key={base.communityCode} communityCode={base.communityCode} communityName={base.communityName} busy={busy} onApply={onRenumber} />
      )}
    </section>
  );
}
