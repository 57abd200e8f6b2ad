/** The open grid's history (show, compare, revert) and its community's renumbering, as two tabs. */
import { useState } from 'react';
import type { RenumberPlanEntry } from './editorQueries';
import type { BaseGrid } from './editorState';
import { HistoryPanel, type Overlay } from './HistoryPanel';
import { RenumberPanel } from './RenumberPanel';

export interface EditorTabsProps {
  base: BaseGrid;
  busy: boolean;
  onShow: (overlay: Overlay | null) => void;
  onRevert: (toVersion: number) => void;
  onRenumber: (plan: RenumberPlanEntry[]) => Promise<boolean>;
}

export function EditorTabs({ base, busy, onShow, onRevert, onRenumber }: EditorTabsProps) {
  const [tab, setTab] = useState<'history' | 'renumber'>('history');
  return (
    <section className="editor-section">
      <div className="editor-tabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab === 'history'} onClick={() => setTab('history')}>
          历史版本
        </button>
        <button type="button" role="tab" aria-selected={tab === 'renumber'} onClick={() => setTab('renumber')}>
          社区重新编号
        </button>
      </div>
      {tab === 'history' ? (
        <HistoryPanel code={base.code} currentVersion={base.version} busy={busy} onShow={onShow} onRevert={onRevert} />
      ) : (
        <RenumberPanel key={base.communityCode} communityCode={base.communityCode} communityName={base.communityName} busy={busy} onApply={onRenumber} />
      )}
    </section>
  );
}
