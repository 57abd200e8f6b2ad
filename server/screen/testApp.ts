/** A Hono app with only the screen routers (no session: writes are attributed by the x-actor header). */
import { Hono } from 'hono';
import type { DbHandle } from '../../db/client';
import type { AppEnv } from '../appEnv';
import { demonstrationsRoute } from '../routes/demonstrations';
import { screenRoute } from '../routes/screen';

export function screenTestApp(db: () => DbHandle) {
  return new Hono<AppEnv>()
    .use(async (c, next) => {
      c.set('db', db());
      c.set('user', null);
      await next();
    })
    .route('/api/screen', screenRoute)
    .route('/api/demonstrations', demonstrationsRoute);
}

