/** Router for incident ingestion, closed loop, KPIs, aggregation (issue 5); mounted in server/app.ts. */
import { Hono } from 'hono';
import type { AppEnv } from '../appEnv';

export const incidentsRoute = new Hono<AppEnv>();
