/**
 * The open incident: what, where, who has it, its countdown, the actions the server
 * allows this user now (its `allowedActions`, nothing else) with each one's form,
 * and the timeline. Photos chosen in a form are attached to the step the action
 * wrote (the answer names its transition).
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '../../api/queries';
import { INCIDENT_SOURCES, STAGE_LABELS } from '../../../../kernel/stages';
import { ActionForm } from './ActionForm';
import { Countdown } from './Countdown';
import { uploadPhotos } from './photoUpload';
import { Timeline } from './Timeline';
import { postAction, useDetail, WORKBENCH_KEY } from './workbenchApi';

export interface IncidentDetailProps {
  id: number;
  now: number;
  /** The action whose form is open (the page opens it from a shortcut too). */
  openAction: string | null;
  onOpenAction: (action: string | null) => void;
  onClose: () => void;
}

export function IncidentDetail({ id, now, openAction, onOpenAction, onClose }: IncidentDetailProps) {
  const detail = useDetail(id);
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

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
  const action = d.allowedActions.find((a) => a.action === openAction) ?? null;

  async function submit(fields: Record<string, unknown>, photos: File[]) {
    if (!action) return;
    setBusy(true);
    setNotice(null);
    try {
      const after = await postAction(id, { action: action.action, expectedStage: d.stage, ...fields });
      if (photos.length > 0) await uploadPhotos(id, photos, after.transitionId);
      queryClient.setQueryData([...WORKBENCH_KEY, 'detail', id], after);
      onOpenAction(null);
      setNotice(`已${action.label}`);
      await queryClient.invalidateQueries({ queryKey: WORKBENCH_KEY });
    } finally {
      setBusy(false);
    }
  }

  const stage = STAGE_LABELS[d.stage as keyof typeof STAGE_LABELS] ?? d.stage;
  return (
    <aside className="wb-detail" aria-label="事件详情" data-testid="incident-detail" data-stage={d.stage}>
      <header className="wb-detail-head">
        <div>
          <h3>
            {d.category.label} <span className="muted">#{d.id}</span>
          </h3>
          <span className={`wb-stage wb-stage-${d.stage}`} data-testid="detail-stage">
            {stage}
          </span>{' '}
          <Countdown deadlineAt={d.deadlineAt} status={d.deadline?.status} now={now} />
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
        <dd>{[d.streetName, d.communityName, d.gridName ?? d.gridCode].filter(Boolean).join(' · ')}</dd>
        <dt>来源</dt>
        <dd>{INCIDENT_SOURCES[d.source as keyof typeof INCIDENT_SOURCES] ?? d.source}</dd>
        <dt>上报</dt>
        <dd>
          {d.reporter ?? '—'} · {new Date(d.reportedAt).toLocaleString('zh-CN', { hour12: false })}
        </dd>
        <dt>责任</dt>
        <dd data-testid="detail-assignee">{d.department?.name ?? d.assignee?.displayName ?? '未派遣'}</dd>
        {d.urgeCount > 0 && (
          <>
            <dt>督办</dt>
            <dd className="wb-urge">{d.urgeCount} 次</dd>
          </>
        )}
        {d.pendingRequest && (
          <>
            <dt>待审批</dt>
            <dd className="wb-pending">{d.pendingRequest.label ?? d.pendingRequest.kind}</dd>
          </>
        )}
        {d.summons.length > 0 && (
          <>
            <dt>吹哨报到</dt>
            <dd>
              <ul className="wb-summons" data-testid="summons">
                {d.summons.map((s) => (
                  <li key={s.departmentId} className={s.reportedAt ? 'wb-met' : 'wb-missed'}>
                    {s.departmentName}：
                    {s.reportedAt ? `已报到 ${new Date(s.reportedAt).toLocaleString('zh-CN', { hour12: false })}` : `未报到（时限 ${new Date(s.deadlineAt).toLocaleString('zh-CN', { hour12: false })}）`}
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
      {notice && (
        <p className="wb-notice" role="status">
          {notice}
        </p>
      )}
      {action && <ActionForm key={action.action} incidentId={d.id} action={action} busy={busy} onSubmit={submit} onCancel={() => onOpenAction(null)} />}
      <h4>办理过程</h4>
      <Timeline incidentId={d.id} entries={d.timeline} />
    </aside>
  );
}
