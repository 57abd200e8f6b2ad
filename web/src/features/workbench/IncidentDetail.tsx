/**
 * The open incident: what, where, who has it, its countdown, the actions the server
 * allows this user now (its `allowedActions`, nothing else) with each one's form,
 * and the timeline with each step's photos. Photos chosen in a form are attached to
 * the step the action wrote (the answer names its transition).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { errorMessage } from '../../api/queries';
import { REQUEST_LABELS } from '../../../../kernel/loopActions';
import { INCIDENT_SOURCES } from '../../../../kernel/stages';
import { ToWishButton } from '../wishes/ToWishButton';
import { ActionForm } from './ActionForm';
import { Countdown } from './Countdown';
import { photosQuery, usePhotoUpload } from '../photos/photoRequest';
import { photosByStep } from './photosByStep';
import { RevisitLink } from './RevisitLink';
import { Timeline } from './Timeline';
import { type AllowedAction, detailQuery, postAction, useDetail, WORKBENCH_KEY } from './workbenchApi';

const time = (at: string) => new Date(at).toLocaleString('zh-CN', { hour12: false });

export interface IncidentDetailProps {
  id: number;
  now: number;
  /** The action whose form is open (the page opens it from a shortcut too). */
  openAction: string | null;
  onOpenAction: (action: string | null) => void;
  onClose: () => void;
}

/** 名山街道 · 某社区 · 第3网格 (450902005001003): names where known, the code where not. */
function placeLabel(d: { gridCode: string | null; communityCode: string | null; streetCode: string | null; placeNames: { grid: string | null; community: string | null; street: string | null } }): string {
  const n = d.placeNames;
  const parts = [n.street ?? d.streetCode, n.community ?? d.communityCode, d.gridCode ? (n.grid ?? `网格 ${d.gridCode}`) : null].filter((p): p is string => !!p);
  if (parts.length === 0) return '—';
  return d.gridCode ? `${parts.join(' · ')}（${d.gridCode}）` : parts.join(' · ');
}

export function IncidentDetail({ id, now, openAction, onOpenAction, onClose }: IncidentDetailProps) {
  const detail = useDetail(id);
  const photos = useQuery(photosQuery(id));
  const photoUpload = usePhotoUpload();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  /** The action being written: its form stays while its photos upload, even once a refresh no longer offers it. */
  const [submitting, setSubmitting] = useState<AllowedAction | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const stepPhotos = useMemo(() => photosByStep(photos.data?.photos ?? [], detail.data?.timeline ?? []), [photos.data, detail.data]);

  if (detail.isPending)
    return (
      <aside className="wb-detail" aria-label="事件详情">
        <p className="muted">正在加载…</p>
      </aside>
    );
  if (detail.isError)
    return (
      <aside className="wb-detail" aria-label="事件详情">
        <p className="error-message" role="alert">
          {errorMessage(detail.error)}
        </p>
        <button type="button" onClick={onClose}>
          关闭
        </button>
      </aside>
    );
  const d = detail.data;
  const action = submitting ?? d.allowedActions.find((a) => a.action === openAction) ?? null;

  async function submit(fields: Record<string, unknown>, files: File[]) {
    if (!action) return;
    setBusy(true);
    setSubmitting(action);
    setNotice(null);
    try {
      const after = await postAction(id, { action: action.action, expectedStage: d.stage, ...fields });
      // The form stays (with the upload's progress) until the step's photos are in; then the new state shows.
      // The step is written either way; a failed upload is said, not hidden behind a closed form.
      const uploadError =
        files.length > 0
          ? await photoUpload.upload(id, files, after.transitionId).then(
              () => null,
              (e: unknown) => errorMessage(e),
            )
          : null;
      queryClient.setQueryData(detailQuery(id).queryKey, after.incident);
      onOpenAction(null);
      setNotice(uploadError ? `已${action.label}，但照片上传失败：${uploadError}` : `已${action.label}`);
      await queryClient.invalidateQueries({ queryKey: WORKBENCH_KEY });
    } finally {
      setBusy(false);
      setSubmitting(null);
    }
  }

  return (
    <aside className="wb-detail" aria-label="事件详情" data-testid="incident-detail" data-stage={d.stage}>
      <header className="wb-detail-head">
        <div>
          <h3>
            {d.category.major}/{d.category.minor} <span className="muted">#{d.id}</span>
          </h3>
          <span className={`wb-stage wb-stage-${d.stage}`} data-testid="detail-stage">
            {d.stageLabel}
          </span>{' '}
          {d.closedAt ? <span className="wb-countdown wb-tone-ok">已结案</span> : <Countdown deadlineAt={d.deadlineAt} status={d.deadlineStatus.level} now={now} />}
          {d.suspended && <span className="wb-pending">缓办中</span>}
        </div>
        <button type="button" className="wb-close" aria-label="关闭详情（Esc）" onClick={onClose}>
          ×
        </button>
      </header>
      <dl className="wb-facts">
        <dt>描述</dt>
        <dd>{d.description || '（无）'}</dd>
        <dt>位置</dt>
        <dd title={d.gridCode ?? d.communityCode ?? d.streetCode ?? undefined}>{placeLabel(d)}</dd>
        <dt>来源</dt>
        <dd>{INCIDENT_SOURCES[d.source as keyof typeof INCIDENT_SOURCES] ?? d.source}</dd>
        <dt>上报</dt>
        <dd>
          {d.reporter ?? '—'} · {time(d.reportedAt)}
        </dd>
        <dt>时限</dt>
        <dd data-testid="detail-deadline">{d.deadlineAt ? time(d.deadlineAt) : '—'}</dd>
        <dt>责任</dt>
        <dd data-testid="detail-assignee">
          {d.department?.name ?? d.assignee?.name ?? '未派遣'}
          {d.signedAt ? `（${time(d.signedAt)} 签收）` : d.signDeadlineAt ? `（签收时限 ${time(d.signDeadlineAt)}）` : ''}
        </dd>
        {d.urgeCount > 0 && (
          <>
            <dt>督办</dt>
            <dd className="wb-urge" data-testid="detail-urges">
              {d.urgeCount} 次
            </dd>
          </>
        )}
        {d.pendingRequest && (
          <>
            <dt>待审批</dt>
            <dd className="wb-pending" data-testid="detail-request">
              {REQUEST_LABELS[d.pendingRequest.kind as keyof typeof REQUEST_LABELS] ?? d.pendingRequest.kind}申请：{d.pendingRequest.reason}
              {d.pendingRequest.hours ? `（${d.pendingRequest.hours} 小时）` : ''}
            </dd>
          </>
        )}
        {d.summons.length > 0 && (
          <>
            <dt>吹哨</dt>
            <dd>
              <ul className="wb-summons" data-testid="summons">
                {d.summons.map((s) => (
                  <li key={s.department.id} className={s.reportedAt ? (s.status.met ? 'wb-met' : 'wb-missed') : ''} data-reported={s.reportedAt ? 'true' : 'false'}>
                    {s.department.name}：
                    {s.reportedAt ? (
                      `${s.status.met ? '按时' : '逾期'}报到 ${time(s.reportedAt)}`
                    ) : (
                      <>
                        未报到 <Countdown deadlineAt={s.deadlineAt} status={s.status.level} now={now} />
                      </>
                    )}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
      </dl>
      <section className="wb-actions" aria-label="可执行操作">
        {d.allowedActions.length === 0 ? (
          <p className="muted">当前没有您可执行的操作</p>
        ) : (
          d.allowedActions.map((a) => (
            <button
              key={a.action}
              type="button"
              className={a.action === openAction ? 'wb-action wb-action-on' : 'wb-action'}
              data-action={a.action}
              onClick={() => onOpenAction(a.action === openAction ? null : a.action)}
            >
              {a.label}
            </button>
          ))
        )}
      </section>
      {d.allowedActions.some((a) => a.action === 'revisit') && <RevisitLink key={d.id} incidentId={d.id} />}
      <ToWishButton key={`wish-${d.id}`} incidentId={d.id} communityCode={d.communityCode} />
      {notice && (
        <p className="wb-notice" role="status">
          {notice}
        </p>
      )}
      {action && <ActionForm key={action.action} incidentId={d.id} action={action} busy={busy} progress={photoUpload.progress} onSubmit={submit} onCancel={() => onOpenAction(null)} />}
      <h4>办理过程</h4>
      <Timeline entries={d.timeline} photos={stepPhotos} />
    </aside>
  );
}
