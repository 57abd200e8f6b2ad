/**
 * 居民回访链接: the dispatcher makes a one-time link for the resident (sent by SMS or
 * WeChat outside this system); the resident answers on /revisit/<token> without an
 * account. Offered where the dispatcher may record the 回访 themselves.
 */
import { useState } from 'react';
import { api, call } from '../../api/client';
import { errorMessage } from '../../api/queries';

export function RevisitLink({ incidentId }: { incidentId: number }) {
  const [link, setLink] = useState<{ url: string; expiresAt: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function create() {
    setBusy(true);
    setError(null);
    try {
      const answer = await call(api.api.incidents[':id']['revisit-link'].$post({ param: { id: String(incidentId) } }));
      setLink({ url: `${window.location.origin}${answer.path}`, expiresAt: answer.expiresAt });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="wb-revisit-link">
      {link ? (
        <>
          <label>
            居民回访链接（{new Date(link.expiresAt).toLocaleDateString('zh-CN')} 前有效，仅可使用一次）
            <input readOnly value={link.url} data-testid="revisit-link" onFocus={(e) => e.target.select()} />
          </label>
          <button type="button" onClick={() => void navigator.clipboard?.writeText(link.url)}>
            复制
          </button>
        </>
      ) : (
        <button type="button" disabled={busy} onClick={() => void create()}>
          生成居民回访链接
        </button>
      )}
      {error && (
        <p className="error-message" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
