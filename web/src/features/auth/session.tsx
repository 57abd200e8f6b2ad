/**
 * The signed-in user for every page: checked once at start (GET /api/auth/me); without
 * a session the browser goes to /login and comes back afterwards. Pages read the user
 * with useSession() to hide what the role may not do (the server refuses it anyway).
 */
import { useQuery } from '@tanstack/react-query';
import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { api, ApiError, call, type Answer } from '../../api/client';

import type { Role } from '../../../../kernel/roles';
import './session.css';

export type { Role };

/** The signed-in user as GET /api/auth/me answers it. */
export type SessionUser = Answer<typeof api.api.auth.me.$get>['user'];

const SessionContext = createContext<SessionUser | null>(null);

export const loginUrl = (next = window.location.pathname + window.location.search) => `/login?next=${encodeURIComponent(next)}`;

export function SessionGate({ children }: { children: ReactNode }) {
  const me = useQuery({
    queryKey: ['auth', 'me'],
    queryFn: async () => (await call(api.api.auth.me.$get())).user,
    retry: false,
    staleTime: 5 * 60_000,
  });
  const signedOut = me.error instanceof ApiError && me.error.problem.status === 401;
  useEffect(() => {
    if (signedOut) window.location.assign(loginUrl());
  }, [signedOut]);
  if (me.data) return <SessionContext.Provider value={me.data}>{children}</SessionContext.Provider>;
  return (
    <div className="session-gate" role="status">
      {me.error && !signedOut ? `无法验证登录状态：${me.error.message}` : '正在验证登录…'}
    </div>
  );
}

export function useSession(): SessionUser {
  const user = useContext(SessionContext);
  if (!user) throw new Error('useSession() outside <SessionGate>');
  return user;
}

/** What a role may do in the UI; mirrors server/auth/policy.ts. */
export const can = {
  edit: (u: SessionUser) => u.role === 'planner' || u.role === 'admin',
  export: (u: SessionUser) => u.role === 'analyst' || u.role === 'admin',
  administer: (u: SessionUser) => u.role === 'admin',
};

export async function signOut(): Promise<void> {
  // A refused sign-out (say, the session already ended) still ends at the sign-in page.
  await call(api.api.auth.logout.$post()).catch((error: unknown) => {
    if (!(error instanceof ApiError)) throw error;
  });
  window.location.assign('/login');
}
