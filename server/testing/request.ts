/** Calls the Hono app in-process, the way a browser would over HTTP, as the test admin unless a session is sent. */
import type { DbHandle } from '../../db/client';
import { createApp } from '../app';
import { TEST_ADMIN } from './principals';

const apps = new WeakMap<DbHandle, ReturnType<typeof createApp>>();

export async function request(db: DbHandle, path: string, init?: RequestInit): Promise<Response> {
  let app = apps.get(db);
  if (!app) {
    app = createApp(db, { anonymousUser: TEST_ADMIN });
    apps.set(db, app);
  }
  return app.request(path, init);
}

export async function requestJson<T = Record<string, unknown>>(db: DbHandle, path: string): Promise<{ status: number; contentType: string | null; body: T }> {
  const res = await request(db, path);
  return { status: res.status, contentType: res.headers.get('content-type'), body: (await res.json()) as T };
}
