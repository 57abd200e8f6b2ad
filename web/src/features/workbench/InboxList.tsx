/**
 * The inbox list, sorted by the server by remaining time: category, place, stage,
 * department, 督办 count and the ticking countdown. The keyboard cursor (J/K) and
 * the open incident are marked; checkboxes pick incidents for bulk dispatch.
 */
import { useEffect, useRef } from 'react';
import { REQUEST_LABELS } from '../../../../kernel/loopActions';
import { Countdown } from './Countdown';
import type { InboxItem } from './workbenchApi';

/** Handled and verified: the handling clock no longer runs (待回访, 结案). */
const DONE_STAGES = new Set(['close', 'evaluate']);

export interface InboxListProps {
  items: InboxItem[];
  now: number;
  cursor: number;
  openId: number | null;
  selectable: boolean;
  checked: ReadonlySet<number>;
  onToggle: (id: number) => void;
  onToggleAll: (on: boolean) => void;
  onOpen: (index: number) => void;
}

export function InboxList({ items, now, cursor, openId, selectable, checked, onToggle, onToggleAll, onOpen }: InboxListProps) {
  const listRef = useRef<HTMLOListElement>(null);
  useEffect(() => {
    listRef.current?.querySelector<HTMLElement>(`[data-index="${cursor}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [cursor]);

  if (items.length === 0) return <p className="muted wb-empty">此处暂无事件</p>;
  const allChecked = items.every((i) => checked.has(i.id));
  return (
    <>
      {selectable && (
        <label className="wb-check-all">
          <input type="checkbox" checked={allChecked} onChange={(e) => onToggleAll(e.target.checked)} /> 全选本页
        </label>
      )}
      <ol className="wb-list" ref={listRef} aria-label="事件列表">
        {items.map((item, index) => (
          <li
            key={item.id}
            data-index={index}
            data-testid={`incident-${item.id}`}
            className={['wb-item', index === cursor ? 'wb-item-cursor' : '', item.id === openId ? 'wb-item-open' : ''].join(' ')}
            aria-current={item.id === openId ? 'true' : undefined}
          >
            {selectable && <input type="checkbox" aria-label={`勾选事件 ${item.id}`} checked={checked.has(item.id)} onChange={() => onToggle(item.id)} data-testid={`check-${item.id}`} />}
            <button type="button" className="wb-item-body" onClick={() => onOpen(index)}>
              <span className="wb-item-top">
                <span className="wb-item-category">{item.category.label}</span>
                {DONE_STAGES.has(item.stage) ? <span className="wb-countdown wb-tone-none">已办结</span> : <Countdown deadlineAt={item.deadline.at} status={item.deadline.level} now={now} />}
              </span>
              <span className="wb-item-desc">{item.description || '（无描述）'}</span>
              <span className="wb-item-meta">
                <span className={`wb-stage wb-stage-${item.stage}`}>{item.stageLabel}</span>
                <span>#{item.id}</span>
                <span>{item.gridCode ?? item.communityCode ?? ''}</span>
                {(item.department ?? item.assignee) && <span>→ {item.department?.name ?? item.assignee?.name}</span>}
                {item.urgeCount > 0 && <span className="wb-urge">督办 {item.urgeCount}</span>}
                {item.pendingRequest && <span className="wb-pending">{REQUEST_LABELS[item.pendingRequest as keyof typeof REQUEST_LABELS] ?? item.pendingRequest}待审批</span>}
                {item.suspended && <span className="wb-pending">缓办中</span>}
                {item.summons.length > 0 && (
                  <span>
                    吹哨 {item.summons.filter((s) => s.reportedAt).length}/{item.summons.length} 报到
                  </span>
                )}
              </span>
            </button>
          </li>
        ))}
      </ol>
    </>
  );
}
