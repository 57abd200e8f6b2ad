/** The incidents of a clicked hexagon, newest first, one page at a time. */
import { useState } from 'react';
import { errorMessage } from '../../api/queries';
import { SOURCE_LABELS, STAGE_LABELS, type IncidentSourceKey, type IncidentStageKey } from './incidentFilter';
import { useCellIncidents } from './incidentQueries';

const PAGE_SIZE = 20;
const time = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

export function CellIncidentList({ query, count, onClose }: { query: Record<string, string>; count: number; onClose: () => void }) {
  const [page, setPage] = useState(1);
  const list = useCellIncidents({ ...query, page: String(page), pageSize: String(PAGE_SIZE) });
  const pages = Math.max(1, Math.ceil((list.data?.total ?? count) / PAGE_SIZE));
  return (
    <section className="incident-cell-list" aria-label="网格单元内的事件" data-testid="incident-cell-list">
      <header>
        <strong>本单元事件 {list.data?.total ?? count} 件</strong>
        <button type="button" onClick={onClose} aria-label="关闭事件列表">
          ×
        </button>
      </header>
      {list.isError ? <p role="alert">加载失败：{errorMessage(list.error)}</p> : null}
      {list.isPending ? <p>加载中…</p> : null}
      <ol>
        {list.data?.items.map((item) => (
          <li key={item.id}>
            <div>
              <strong>{item.category}</strong> · {STAGE_LABELS[item.stage as IncidentStageKey] ?? item.stage} · {SOURCE_LABELS[item.source as IncidentSourceKey] ?? item.source}
            </div>
            <div>{item.description}</div>
            <small>
              {time(item.reportedAt)} · 网格 {item.gridCode}
              {item.closedAt ? ` · 结案 ${time(item.closedAt)}` : item.deadlineAt ? ` · 期限 ${time(item.deadlineAt)}` : ''}
            </small>
          </li>
        ))}
      </ol>
      <nav aria-label="分页">
        <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
          上一页
        </button>
        <span>
          {page} / {pages}
        </span>
        <button type="button" disabled={page >= pages} onClick={() => setPage(page + 1)}>
          下一页
        </button>
      </nav>
    </section>
  );
}
