/**
 * What the last write did: saved or checked (and which neighbours it changed),
 * refused with numbered violations (click one to see it on the map), or a version
 * conflict with a way to reload.
 */
import { ImpactPanel } from './ImpactPanel';
import type { Outcome } from './useEditorSession';
import { ruleName, violationNumber } from './violations';

export interface OutcomeSectionProps {
  outcome: Outcome;
  onFocus: (geometry: GeoJSON.Geometry | undefined) => void;
  onReload: () => void;
}

export function OutcomeSection({ outcome, onFocus, onReload }: OutcomeSectionProps) {
  return (
    <section className={`editor-section editor-outcome ${outcome.kind}`} data-testid="editor-outcome" role="status">
      {outcome.kind !== 'failed' ? (
        <>
          <p>{outcome.text}</p>
          {outcome.impact && <ImpactPanel impact={outcome.impact} />}
          {outcome.neighbours.length > 0 && <p className="muted">地图上青色虚线标出了本次{outcome.kind === 'checked' ? '将' : ''}变动的其他网格。</p>}
        </>
      ) : outcome.failure.kind === 'rejected' ? (
        <>
          <p className="error-message">保存被拒绝，没有写入任何修改：</p>
          <ul className="editor-violations" data-testid="editor-violations">
            {outcome.failure.violations.map((v, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: positional — violations have no id, are numbered by position (violationNumber(i)) and the list is only ever replaced whole
              <li key={i}>
                <button type="button" className="editor-link" onClick={() => onFocus(v.geometry)} disabled={!v.geometry}>
                  <span className="editor-rule">
                    {violationNumber(i)} {ruleName(v.rule)}
                  </span>
                  {v.message}
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : outcome.failure.kind === 'conflict' ? (
        <>
          <p className="error-message" data-testid="editor-conflict">
            {outcome.failure.current
              ? `网格 ${outcome.failure.current.code} 已被 ${outcome.failure.current.updatedBy ?? '他人'} 修改为版本 ${outcome.failure.current.version}，你的修改未保存。`
              : `${outcome.failure.message}：数据已被他人修改，请重新加载后再试。`}
          </p>
          <button type="button" className="text-button" onClick={onReload}>
            重新加载（放弃我的修改）
          </button>
        </>
      ) : (
        <p className="error-message">{outcome.failure.message}</p>
      )}
    </section>
  );
}
