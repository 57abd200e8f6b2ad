/** Calls the Hono app in-process, the way a browser would over HTTP. */
import type { DbHandle } from '../../db/client';
import { createApp } from '../app';

const apps = new WeakMap<DbHandle, ReturnType<typeof createApp>>();

export async function request(db: DbHandle, path: string, init?: RequestInit): Promise<Response> {
  let app = apps.get(db);
  if (!app) {
    app = createApp(db);
    apps.set(db, app);
  }
  return app.request(path, init);
}

export async function requestJson<T = Record<string, unknown>>(db: DbHandle, path: string): Promise<{ status: number; contentType: string | null; body: T }> {
  const res = await request(db, path);
  return { status: res.status, contentType: res.headers.get('content-type'), body: (await res.json()) as T };
}
