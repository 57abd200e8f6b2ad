/** Router for 党群服务中心 CRUD (issue 4); mounted in server/app.ts. */
import { Hono } from 'hono';
import type { AppEnv } from '../appEnv';

export const centresRoute = new Hono<AppEnv>();
