/**
 * 我的任务: what is dispatched to me (待签收, 待处置) and what I am to verify (待核实),
 * each tab with its count; every case with its deadline countdown. Opening one shows its
 * allowed actions (签收, 处置反馈, 核实通过/不通过, 退单) with a note and photos; the action
 * goes through the outbox with the stage and the last history row it was taken on
 * (expectedTransitionId), so a case changed meanwhile
 * (reassigned, already handled) comes back as a conflict in 队列, never silently applied.
 */
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { INBOX_TAB_LABELS, type InboxTab } from '../../../../kernel/inboxTabs';
import type { PreparedPhoto } from '../../features/photos/preparePhoto';
import { formatRemaining, toneAt } from '../../features/workbench/countdown';
import { type AllowedAction, countsQuery, detailQuery, type InboxItem, inboxQuery, NO_FILTERS } from '../../features/workbench/workbenchApi';
import { enqueue, photoOf } from '../outbox/outboxDb';
import { newIdempotencyKey } from '../outbox/retry';
import { syncNow, useOutbox } from '../outbox/sync';
import { PhotoInput } from '../parts/PhotoInput';

const TASK_TABS = ['to_sign', 'to_handle', 'to_verify'] as const satisfies readonly InboxTab[];
/** Actions a grid worker takes from the phone (each has only a note as its field). */
const PHONE_ACTIONS = new Set(['sign', 'handle', 'verify', 'rework', 'return']);
/** Photos are asked for with feedback and verification (现场照片). */
const WITH_PHOTOS = new Set(['handle', 'verify', 'rework']);

export function TasksTab() {
  const [tab, setTab] = useState<(typeof TASK_TABS)[number]>('to_sign');
  const [open, setOpen] = useState<number | null>(null);
  const counts = useQuery(countsQuery);
  const list = useQuery(inboxQuery(tab, NO_FILTERS, 1));
  const now = Date.now();
  return (
    <section className="m-tasks">
      <div className="m-segments" role="tablist" aria-label="我的任务">
        {TASK_TABS.map((t) => (
          <button key={t} type="button" role="tab" aria-selected={t === tab} onClick={() => setTab(t)}>
            {INBOX_TAB_LABELS[t]}
            <span className="m-count" data-testid={`count-${t}`}>
              {counts.data?.[t] ?? '…'}
            </span>
          </button>
        ))}
      </div>
      {list.isPending && (
        <p className="m-status" role="status">
          正在加载…
        </p>
      )}
      {list.error && (
        <p className="m-error" role="alert">
          {navigator.onLine ? `无法加载：${list.error.message}` : '当前离线，联网后显示最新任务'}
        </p>
      )}
      {list.data && list.data.items.length === 0 && <p className="m-muted">没有{INBOX_TAB_LABELS[tab]}的事件。</p>}
      <ul className="m-cards" aria-label={`${INBOX_TAB_LABELS[tab]}列表`} data-testid="task-list">
        {list.data?.items.map((item) => (
          <li key={item.id}>
            <TaskCard item={item} now={now} open={open === item.id} onToggle={() => setOpen(open === item.id ? null : item.id)} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function TaskCard({ item, now, open, onToggle }: { item: InboxItem; now: number; open: boolean; onToggle: () => void }) {
  const tone = toneAt(item.deadline.at, item.deadline.level, now);
  return (
    <article className={`m-card m-tone-${tone}`} data-testid={`task-${item.id}`}>
      <button type="button" className="m-card-head" onClick={onToggle} aria-expanded={open}>
        <strong>
          {item.category.major}·{item.category.minor}
        </strong>
        <span className="m-deadline">{item.deadline.at ? formatRemaining(Date.parse(item.deadline.at) - now) : '无时限'}</span>
        <span className="m-muted">
          #{item.id} · {item.stageLabel} · {item.gridCode ?? ''}
        </span>
        <span className="m-desc">{item.description}</span>
      </button>
      {open && <TaskDetail id={item.id} />}
    </article>
  );
}

function TaskDetail({ id }: { id: number }) {
  const detail = useQuery(detailQuery(id));
  const [action, setAction] = useState<AllowedAction | null>(null);
  const queued = useOutbox().filter((i) => i.kind === 'action' && i.incidentId === id && i.status !== 'sent');
  if (detail.isPending) return <p className="m-status">正在加载…</p>;
  if (detail.error) return <p className="m-error">{detail.error.message}</p>;
  const actions = detail.data.allowedActions.filter((a) => PHONE_ACTIONS.has(a.action));
  return (
    <div className="m-detail">
      <p className="m-muted">
        阶段：{detail.data.stageLabel}
        {detail.data.department ? ` · ${detail.data.department.name}` : ''}
      </p>
      {queued.length > 0 && <p className="m-notice">已有 {queued.length} 个操作在队列中等待发送。</p>}
      <div className="m-row">
        {actions.map((a) => (
          <button key={a.action} type="button" className={action?.action === a.action ? 'm-primary' : 'm-button'} onClick={() => setAction(a)}>
            {a.label}
          </button>
        ))}
        {actions.length === 0 && <span className="m-muted">当前没有可执行的操作。</span>}
      </div>
      {action && <ActionForm incidentId={id} expectedStage={detail.data.stage} expectedTransitionId={detail.data.timeline.at(-1)?.id} action={action} onDone={() => setAction(null)} />}
    </div>
  );
}

function ActionForm({
  incidentId,
  expectedStage,
  expectedTransitionId,
  action,
  onDone,
}: {
  incidentId: number;
  expectedStage: string;
  expectedTransitionId: number | undefined;
  action: AllowedAction;
  onDone: () => void;
}) {
  const noteField = action.fields.find((f) => f.name === 'note');
  const [note, setNote] = useState('');
  const [photos, setPhotos] = useState<PreparedPhoto[]>([]);
  const [busy, setBusy] = useState(false);
  const needsNote = noteField?.required === true;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    await enqueue({
      kind: 'action',
      key: newIdempotencyKey(),
      title: `${action.label}：事件 #${incidentId}`,
      incidentId,
      body: { action: action.action, expectedStage, ...(expectedTransitionId ? { expectedTransitionId } : {}), ...(note.trim() ? { note: note.trim() } : {}) },
      photos: await Promise.all(photos.map((p) => photoOf(p.file))),
    });
    void syncNow();
    setBusy(false);
    onDone();
  }

  return (
    <form className="m-form" onSubmit={submit} aria-label={action.label}>
      {noteField && (
        <label className="m-field">
          {noteField.label}
          {needsNote && <span className="m-required">*</span>}
          <textarea rows={3} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} required={needsNote} />
          <span className="m-hint">可用输入法的语音输入。</span>
        </label>
      )}
      {WITH_PHOTOS.has(action.action) && <PhotoInput value={photos} onChange={setPhotos} />}
      <button type="submit" className="m-primary" disabled={busy || (needsNote && !note.trim())}>
        提交{action.label}
      </button>
    </form>
  );
}
