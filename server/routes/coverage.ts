/** Router for 15-minute isochrones and coverage (issue 4); mounted in server/app.ts. */
import { Hono } from 'hono';
import type { AppEnv } from '../appEnv';

export const coverageRoute = new Hono<AppEnv>();
