/**
 * Calls the Hono app in-process as a given user (the stand-in for a signed-in
 * session), for tests where who writes matters: jurisdiction, actors, admin-only
 * imports. One app per database and user.
 */
import type { DbHandle } from '../../db/client';
import type { SessionUser } from '../../kernel/roles';
import { createApp } from '../app';

const apps = new WeakMap<DbHandle, Map<string, ReturnType<typeof createApp>>>();

export function requestAs(db: DbHandle, user: SessionUser, path: string, init?: RequestInit): Promise<Response> {
  const byUser = apps.get(db) ?? new Map<string, ReturnType<typeof createApp>>();
  apps.set(db, byUser);
  let app = byUser.get(user.username);
  if (!app) {
    app = createApp(db, { anonymousUser: user });
    byUser.set(user.username, app);
  }
  return Promise.resolve(app.request(path, init));
}

export const postJsonAs = (db: DbHandle, user: SessionUser, path: string, body: unknown) => requestAs(db, user, path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
