/** Router for the leaders' big screen figures (issue 6); mounted at /api/screen in server/app.ts. */
import { Hono } from 'hono';
import type { AppEnv } from '../appEnv';

export const screenRoute = new Hono<AppEnv>();
