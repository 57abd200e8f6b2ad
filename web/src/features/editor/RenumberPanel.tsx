/**
 * Renumber a community's grids in reading order: preview old → new codes first,
 * then apply exactly that plan (the server answers 409 if the plan changed meanwhile).
 */
import { useState } from 'react';
import { errorMessage } from '../../api/queries';
import { renumberPreview, type RenumberPlanEntry } from './editorQueries';

export interface RenumberPanelProps {
  communityCode: string;
  communityName: string;
  busy: boolean;
  onApply: (plan: RenumberPlanEntry[]) => Promise<boolean>;
}

export function RenumberPanel({ communityCode, communityName, busy, onApply }: RenumberPanelProps) {
  const [plan, setPlan] = useState<RenumberPlanEntry[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const preview = async () => {
    setLoading(true);
    setError(null);
    try {
      setPlan((await renumberPreview(communityCode)).plan);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
    }
  };

  const changed = plan?.filter((p) => p.changed).length ?? 0;
  return (
    <div className="editor-renumber" data-testid="editor-renumber">
      <p className="muted editor-hint">按从北到南、从西到东的顺序为 {communityName} 的网格重新编号。</p>
      <button type="button" className="text-button" onClick={() => void preview()} disabled={loading || busy}>
        {loading ? '正在生成…' : plan ? '重新预览' : '预览新编号'}
      </button>
      {error && <p className="error-message">{error}</p>}
      {plan && (
        <>
          <p>{changed === 0 ? '编号已是顺序编号，无需变更。' : `共 ${plan.length} 个网格，其中 ${changed} 个编码将变更：`}</p>
          <div className="editor-table-scroll">
            <table>
              <thead>
                <tr>
                  <th>名称</th>
                  <th>原编码</th>
                  <th>新编码</th>
                </tr>
              </thead>
              <tbody>
                {plan.map((p) => (
                  <tr key={p.oldCode} className={p.changed ? 'changed' : undefined}>
                    <td>{p.name}</td>
                    <td>{p.oldCode}</td>
                    <td>{p.newCode}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {changed > 0 && (
            <button
              type="button"
              className="text-button editor-primary"
              disabled={busy}
              onClick={async () => {
                if (await onApply(plan)) setPlan(null);
              }}
            >
              应用新编号
            </button>
          )}
        </>
      )}
    </div>
  );
}
