/** 网格通's sign-in (POST /api/auth/login); on success the session query is refreshed and the tabs open. */
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, call } from '../api/client';
import { rememberUser } from './session';

export function LoginScreen() {
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await call(api.api.auth.login.$post({ json: { username, password } }));
      const { user } = await call(api.api.auth.me.$get());
      rememberUser(user);
      queryClient.setQueryData(['auth', 'me'], user);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="m-login">
      <form onSubmit={submit} aria-labelledby="m-login-title">
        <h1 id="m-login-title">网格通</h1>
        <p className="m-muted">党建版图 · 网格员手机端</p>
        <label>
          用户名
          <input autoComplete="username" autoCapitalize="none" value={username} onChange={(e) => setUsername(e.target.value)} required />
        </label>
        <label>
          密码
          <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        {error && (
          <p className="m-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="m-primary" disabled={busy}>
          {busy ? '正在登录…' : '登录'}
        </button>
        <p className="m-muted">示例账号：wangge1 / wangge2，密码 dangjian-demo-2026</p>
      </form>
    </main>
  );
}
