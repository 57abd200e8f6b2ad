/**
 * 回访 for residents: the link a resident receives (/revisit/<token>) opens this
 * page without signing in; they rate the handling 1–5 and may add a comment. The
 * token is the only credential (core's POST /api/public/revisit/:token checks it).
 */
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, call } from '../../api/client';
import { errorMessage } from '../../api/queries';
import '../workbench/workbench.css';
import './revisit.css';

const SCORES = [
  { n: 1, label: '非常不满意' },
  { n: 2, label: '不满意' },
  { n: 3, label: '一般' },
  { n: 4, label: '满意' },
  { n: 5, label: '非常满意' },
];

export const revisitToken = (pathname: string) => decodeURIComponent(pathname.replace(/\/+$/, '').split('/')[2] ?? '');

export function RevisitPage() {
  const token = revisitToken(window.location.pathname);
  const [satisfaction, setSatisfaction] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const link = useQuery({ queryKey: ['revisit', token], queryFn: () => call(api.api.public.revisit[':token'].$get({ param: { token } })), retry: false });

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (satisfaction === null) return;
    setBusy(true);
    setError(null);
    try {
      await call(api.api.public.revisit[':token'].$post({ param: { token }, json: { satisfaction, ...(comment.trim() ? { note: comment.trim() } : {}) } }));
      setDone(true);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="wb-revisit">
      <div className="wb-revisit-card">
        <h1>
          <span className="brand-mark" aria-hidden="true" /> 事件办理回访
        </h1>
        {link.data && (
          <p className="muted" data-testid="revisit-case">
            {link.data.community ?? ''} · {link.data.category} · 上报于 {new Date(link.data.reportedAt).toLocaleDateString('zh-CN')}
          </p>
        )}
        {link.isPending ? (
          <p className="muted">正在加载…</p>
        ) : link.isError ? (
          <p className="error-message" role="alert">
            {errorMessage(link.error)}
          </p>
        ) : done ? (
          <p role="status" data-testid="revisit-done">
            感谢您的评价！您的意见已记录。
          </p>
        ) : !link.data.open ? (
          <p role="status">{link.data.answered ? '该事件已回访，感谢您的参与。' : '该回访链接已失效。'}</p>
        ) : (
          <form onSubmit={submit} aria-label="回访评价">
            <p className="muted">您反映的问题已办结，请对办理结果进行评价。</p>
            <fieldset className="wb-revisit-scores">
              <legend>满意度</legend>
              {SCORES.map((s) => (
                <label key={s.n} className={satisfaction === s.n ? 'on' : ''}>
                  <input type="radio" name="satisfaction" value={s.n} checked={satisfaction === s.n} onChange={() => setSatisfaction(s.n)} required />
                  <span className="wb-revisit-n">{s.n}</span>
                  {s.label}
                </label>
              ))}
            </fieldset>
            <label className="wb-revisit-comment">
              意见或建议（可选）
              <textarea rows={4} maxLength={300} value={comment} onChange={(e) => setComment(e.target.value)} />
            </label>
            {error && (
              <p className="error-message" role="alert">
                {error}
              </p>
            )}
            <button type="submit" className="wb-primary" disabled={busy || satisfaction === null}>
              {busy ? '正在提交…' : '提交评价'}
            </button>
          </form>
        )}
      </div>
    </main>
  );
}
