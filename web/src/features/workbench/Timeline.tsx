/**
 * The incident's history, oldest first: who did what when (and to whom), the note,
 * the stage it moved to, whether the step kept its deadline (签收, 报到, 结案), and
 * the photos attached to it.
 */
import { STAGE_LABELS } from '../../../../kernel/stages';
import type { IncidentPhoto } from '../photos/photoRequest';
import { PhotoStrip } from '../photos/PhotoStrip';
import { stepLabel } from './stepLabels';
import type { TimelineEntry } from './workbenchApi';

const stageName = (s: string | null) => (s ? (STAGE_LABELS[s as keyof typeof STAGE_LABELS] ?? s) : '');
const time = (at: string) => new Date(at).toLocaleString('zh-CN', { hour12: false });

export function Timeline({ entries, photos }: { entries: TimelineEntry[]; photos: ReadonlyMap<number, IncidentPhoto[]> }) {
  if (entries.length === 0) return <p className="muted">暂无记录</p>;
  return (
    <ol className="wb-timeline" aria-label="办理过程">
      {entries.map((t) => (
        <li key={t.id} className="wb-step" data-testid={`step-${t.action}`}>
          <div className="wb-step-head">
            <strong>{t.actionLabel || stepLabel(t.action)}</strong>
            <span>{t.actor || '系统'}</span>
            {t.department && <span>→ {t.department.name}</span>}
            {t.assignee && <span>→ {t.assignee.name}</span>}
            <time dateTime={t.at}>{time(t.at)}</time>
          </div>
          {t.from !== t.to && (
            <div className="wb-step-stage">
              {stageName(t.from)} → {stageName(t.to)}
            </div>
          )}
          {t.note && <p className="wb-step-note">{t.note}</p>}
          {t.deadlineAt && (
            <div className={t.onTime ? 'wb-step-deadline wb-met' : 'wb-step-deadline wb-missed'} data-on-time={String(t.onTime)}>
              {t.onTime ? '按期' : '超期'}（时限 {time(t.deadlineAt)}）
            </div>
          )}
          <PhotoStrip photos={photos.get(t.id) ?? []} />
        </li>
      ))}
    </ol>
  );
}
