/**
 * Who is signed in on the phone: GET /api/auth/me, remembered in localStorage so the app
 * opens offline with the last user (the server still checks every write when it is sent).
 * A 401 means signed out: the login screen is shown.
 */
import { useQuery } from '@tanstack/react-query';
import { type Answer, ApiError, api, call } from '../api/client';

export type MobileUser = Answer<typeof api.api.auth.me.$get>['user'];

const KEY = 'wanggetong.user';

function remembered(): MobileUser | null {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? 'null') as MobileUser | null;
  } catch {
    return null;
  }
}

export const rememberUser = (user: MobileUser | null) => (user ? localStorage.setItem(KEY, JSON.stringify(user)) : localStorage.removeItem(KEY));

export function useMobileSession() {
  const me = useQuery({
    queryKey: ['auth', 'me'],
    queryFn: async () => {
      try {
        const { user } = await call(api.api.auth.me.$get());
        rememberUser(user);
        return user;
      } catch (e) {
        if (e instanceof ApiError && e.problem.status === 401) {
          rememberUser(null);
          return null;
        }
        // Offline (no answer): the last user, if any.
        const last = remembered();
        if (last) return last;
        throw e;
      }
    },
    retry: false,
    staleTime: 5 * 60_000,
  });
  return me;
}
