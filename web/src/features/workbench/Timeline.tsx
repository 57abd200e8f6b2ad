/**
 * The incident's history, oldest first: who did what when, the note, the stage it
 * moved to, whether the step kept its deadline, and the photos attached to it.
 */
import { STAGE_LABELS } from '../../../../kernel/stages';
import { StepPhotos } from './StepPhotos';
import { stepLabel } from './stepLabels';
import type { TimelineEntry } from './workbenchApi';

const stageName = (s: string | null) => (s ? (STAGE_LABELS[s as keyof typeof STAGE_LABELS] ?? s) : '');
const time = (at: string) => new Date(at).toLocaleString('zh-CN', { hour12: false });

export function Timeline({ incidentId, entries }: { incidentId: number; entries: TimelineEntry[] }) {
  if (entries.length === 0) return <p className="muted">暂无记录</p>;
  return (
    <ol className="wb-timeline" aria-label="办理过程">
      {entries.map((t) => (
        <li key={t.id} className="wb-step" data-testid={`step-${t.action ?? 'stage'}`}>
          <div className="wb-step-head">
            <strong>{stepLabel(t.action)}</strong>
            <span>{t.actor ?? '系统'}</span>
            <time dateTime={t.at}>{time(t.at)}</time>
          </div>
          {t.fromStage !== t.toStage && t.toStage && (
            <div className="wb-step-stage">
              {stageName(t.fromStage)} → {stageName(t.toStage)}
            </div>
          )}
          {t.note && <p className="wb-step-note">{t.note}</p>}
          {t.deadline && (
            <div className={t.deadline.met ? 'wb-step-deadline wb-met' : 'wb-step-deadline wb-missed'}>
              {t.deadline.met ? '按期' : '超期'}（时限 {time(t.deadline.at)}）
            </div>
          )}
          {t.photoCount > 0 && <StepPhotos incidentId={incidentId} transitionId={t.action === 'report' ? null : t.id} />}
        </li>
      ))}
    </ol>
  );
}
