/** Sign-in form. On success the browser returns to where it came from (?next=…). */
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ApiError, call } from '../../api/client';
import { LOOP_ROLES, type Role } from '../../../../kernel/roles';
import './login.css';

/** Only same-site paths are followed after sign-in (no open redirect). */
export function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

/** Where a sign-in lands without a page to return to: the loop's roles start at their workbench. */
export function landingPage(role: Role, next: string | null): string {
  const target = safeNext(next);
  return target === '/' && (LOOP_ROLES as readonly Role[]).includes(role) ? '/incidents' : target;
}

export function LoginPage() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const health = useQuery({ queryKey: ['health'], queryFn: () => call(api.api.health.$get()), retry: false });

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { user } = await call(api.api.auth.login.$post({ json: { username, password } }));
      window.location.assign(landingPage(user.role, new URLSearchParams(window.location.search).get('next')));
    } catch (e) {
      setError(e instanceof ApiError ? (e.problem.detail ?? e.problem.title) : String(e));
      setBusy(false);
    }
  }

  return (
    <main className="login-page">
      <form className="login-form" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">
          <span className="brand-mark" aria-hidden="true" /> 党建版图
        </h1>
        <label>
          用户名
          {/* biome-ignore lint/a11y/noAutofocus: the sign-in page has one job; the user name field takes focus on purpose so people can type straight away */}
          <input value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" autoFocus required />
        </label>
        <label>
          密码
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" required />
        </label>
        {error && (
          <p className="error-message" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? '正在登录…' : '登录'}
        </button>
        {health.data?.sampleAccounts && (
          <p className="muted login-hint" data-testid="sample-accounts">
            示例数据账号：admin、leader、analyst、mingshan（名山街道规划员）、chengxi（城西街道规划员），密码见 README。
          </p>
        )}
      </form>
    </main>
  );
}
