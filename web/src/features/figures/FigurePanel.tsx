/**
 * Why: the drill-down of one figure — what it means, which filter it applies, the
 * records behind it (paged) and an export of exactly those records. The value shown
 * here is recomputed from the same filter as the records, so the numbers agree.
 */
import { useEffect, useRef, useState } from 'react';
import type { FigureScope } from './FigureContext';
import { fetchFigure, fetchFigureRecords, figureExportUrl } from './figureApi';
import './figures.css';

type Figure = Awaited<ReturnType<typeof fetchFigure>>;
type Records = Awaited<ReturnType<typeof fetchFigureRecords>>;

function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)) return new Date(v).toLocaleString('zh-CN', { hour12: false });
  return String(v);
}

function valueText(f: Figure): string {
  if (f.value === null) return '—（无分母）';
  if (f.kind === 'per' && f.per) return `${f.value.toFixed(2)} ${f.mean}（${f.numerator} ÷ ${f.denominator} ${f.per.label}${f.per.scale === 1 ? '' : ` × ${f.per.scale}`}）`;
  if (f.kind === 'ratio' && f.mean) return `${f.value.toFixed(2)} ${f.mean}（${f.numerator} ÷ ${f.denominator}）`;
  if (f.kind === 'ratio') return `${(f.value * 100).toFixed(1)}%（${f.numerator} ÷ ${f.denominator}${f.measure ? ` ${f.measure}` : ''}）`;
  return f.value.toLocaleString('zh-CN');
}

export function FigurePanel({ id, scope, onClose }: { id: string; scope: FigureScope; onClose: () => void }) {
  const [figure, setFigure] = useState<Figure | null>(null);
  const [records, setRecords] = useState<Records | null>(null);
  const [page, setPage] = useState(1);
  const [error, setError] = useState<string | null>(null);
  const dialog = useRef<HTMLDivElement>(null);

  useEffect(() => {
    setFigure(null);
    setPage(1);
    fetchFigure(id, scope).then(setFigure, (e: Error) => setError(e.message));
  }, [id, scope]);
  useEffect(() => {
    setRecords(null);
    fetchFigureRecords(id, scope, page).then(setRecords, (e: Error) => setError(e.message));
  }, [id, scope, page]);
  useEffect(() => {
    dialog.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <div className="figure-backdrop">
      {/* Closed with Esc (keyboard) or the ✕ button; the backdrop is a mouse shortcut for the same. */}
      <button type="button" className="figure-backdrop-hit" aria-label="关闭明细" tabIndex={-1} onClick={onClose} />
      <div className="figure-panel" role="dialog" aria-modal="true" aria-label="指标明细" tabIndex={-1} ref={dialog} data-testid="figure-panel">
        <header className="figure-head">
          <h2>
            {figure?.name ?? '指标'}
            {/* Opened at a chart point: which month / child region, also in the filter below. */}
            {figure?.filter.month && <span className="figure-point"> · {figure.filter.month}</span>}
            {figure?.filter.region && <span className="figure-point"> · {figure.filter.scopeName.split(' / ').pop()}</span>}
            {figure?.filter.cohort && <span className="figure-point"> · {figure.filter.cohort === 'group' ? '示范社区' : '其余社区'}</span>}
          </h2>
          <button type="button" onClick={onClose} aria-label="关闭">
            ✕
          </button>
        </header>
        {error && (
          <p className="figure-error" role="alert">
            {error}
          </p>
        )}
        {figure && (
          <dl className="figure-meta">
            <dt>数值</dt>
            <dd data-testid="figure-value">{valueText(figure)}</dd>
            <dt>口径</dt>
            <dd>{figure.definition}</dd>
            <dt>筛选</dt>
            <dd data-testid="figure-filter">{figure.filter.text}</dd>
            <dt>明细</dt>
            <dd>
              <span data-testid="figure-total">{figure.records}</span> 条{figure.kind === 'ratio' ? '（分母的记录，“计入分子”列标出分子）' : figure.kind === 'per' ? '（分子的记录）' : ''}
              <a className="figure-export" href={figureExportUrl(id, scope, 'csv')} download>
                导出 CSV
              </a>
              <a className="figure-export" href={figureExportUrl(id, scope, 'xlsx')} download>
                导出 Excel
              </a>
            </dd>
          </dl>
        )}
        <div className="figure-records">
          {!records && !error && <p>正在加载明细…</p>}
          {records && records.total === 0 && <p>没有记录</p>}
          {records && records.total > 0 && (
            <table data-testid="figure-records">
              <thead>
                <tr>
                  {records.figure.columns.map((c) => (
                    <th key={c.key}>{c.label}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {records.rows.map((r, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: rows have no common key across entities
                  <tr key={i}>
                    {records.figure.columns.map((c) => (
                      <td key={c.key}>{show((r as Record<string, unknown>)[c.key])}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        {records && records.pages > 1 && (
          <nav className="figure-pager" aria-label="分页">
            <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
              上一页
            </button>
            <span>
              第 {page} / {records.pages} 页
            </span>
            <button type="button" disabled={page >= records.pages} onClick={() => setPage(page + 1)}>
              下一页
            </button>
          </nav>
        )}
      </div>
    </div>
  );
}
