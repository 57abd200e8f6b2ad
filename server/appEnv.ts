import type { DbHandle } from '../db/client';

/** What every route can reach through the Hono context. */
export interface AppEnv {
  Variables: {
    db: DbHandle;
  };
}
