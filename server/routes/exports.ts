/** Router for layer export and grid import (issue 7); mounted in server/app.ts. */
import { Hono } from 'hono';
import type { AppEnv } from '../appEnv';

export const exportsRoute = new Hono<AppEnv>();
