import type { DbHandle } from '../db/client';
import type { SessionUser } from '../kernel/roles';

/** What every route can reach through the Hono context. */
export interface AppEnv {
  Variables: {
    db: DbHandle;
    /** The signed-in user; null when signed out (only public routes get this far). */
    user: SessionUser | null;
  };
}
