import { Hono } from 'hono';
import type { AppEnv } from '../../appEnv';

export const importRoute = new Hono<AppEnv>();
