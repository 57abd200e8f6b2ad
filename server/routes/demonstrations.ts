/** Router for 示范带/示范圈 CRUD (issue 6); mounted at /api/demonstrations in server/app.ts. */
import { Hono } from 'hono';
import type { AppEnv } from '../appEnv';

export const demonstrationsRoute = new Hono<AppEnv>();
