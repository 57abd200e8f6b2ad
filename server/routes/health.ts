/** GET /api/health — public: is the database there, which engine, is it the sample data (server/health/healthStatus.ts). */
import { Hono } from 'hono';
import type { AppEnv } from '../appEnv';
import { healthStatus } from '../health/healthStatus';

export const healthRoute = new Hono<AppEnv>().get('/', async (c) => c.json(await healthStatus(c.var.db), 200));
