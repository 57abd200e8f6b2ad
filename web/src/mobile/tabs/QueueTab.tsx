/**
 * 队列: every write made on this phone and where it stands — 待发送 (with why it waits),
 * 发送中, 已发送, 失败 (the server's reason; 重试 or 删除), 冲突 (the case changed on the
 * server; the user reads the message and discards it — it is never resent by itself).
 */
import { STATUS_LABELS } from '../outbox/retry';
import { discardItem, retryItem, syncNow, useOutbox } from '../outbox/sync';
import { useOnline } from '../useOnline';

const time = (ms: number) => new Date(ms).toLocaleString('zh-CN', { hour12: false, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });

export function QueueTab() {
  const items = useOutbox();
  const online = useOnline();
  const waiting = items.filter((i) => i.status === 'pending').length;
  return (
    <section className="m-queue">
      <p className="m-muted">
        {online ? '在线' : '离线'} · 待发送 {waiting} 项
        {online && waiting > 0 && (
          <button type="button" className="m-link" onClick={() => void syncNow()}>
            立即发送
          </button>
        )}
      </p>
      {items.length === 0 && <p className="m-muted">队列为空：离线时的上报、反馈、走访和巡查轨迹会先保存在这里。</p>}
      <ul className="m-cards" aria-label="发送队列" data-testid="queue-list">
        {items.map((item) => (
          <li key={item.id} className={`m-card m-queue-${item.status}`} data-testid="queue-item" data-status={item.status}>
            <strong>{item.title}</strong>
            <span className="m-queue-status" data-testid="queue-status">
              {STATUS_LABELS[item.status]}
            </span>
            <span className="m-muted">
              {time(item.createdAt)}
              {item.photos.length > 0 ? ` · ${item.photos.length} 张照片` : ''}
              {item.incidentId !== null ? ` · 事件 #${item.incidentId}` : ''}
            </span>
            {item.error && item.status !== 'sent' && (
              <p className={item.status === 'conflict' || item.status === 'failed' ? 'm-error' : 'm-muted'} role={item.status === 'conflict' ? 'alert' : undefined}>
                {item.status === 'conflict' ? `服务器上的情况已变化：${item.error}。此操作未执行，请查看最新情况后重新操作。` : item.error}
              </p>
            )}
            {(item.status === 'failed' || item.status === 'conflict') && (
              <div className="m-row">
                {item.status === 'failed' && (
                  <button type="button" className="m-button" onClick={() => void retryItem(item.id!)}>
                    重试
                  </button>
                )}
                <button type="button" className="m-button m-danger" onClick={() => void discardItem(item.id!)}>
                  {item.status === 'conflict' ? '知道了，删除' : '删除'}
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
