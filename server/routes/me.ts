/**
 * /api/me — the signed-in grid worker's own things for the field app (server/field/myGrids.ts).
 *   GET /grids                  → { grids: [...geometry, households, partyOrg, workers, neighbours], bbox }
 *   GET /grids/locate?lon=&lat= → { grid, inside, nearestMine }
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import type { AppEnv } from '../appEnv';
import { lonLatQuery } from '../field/fieldInput';
import { locateInMyGrids, myGrids } from '../field/myGrids';
import { invalidInput } from '../http/problem';
import { writerOf } from '../incidents/incidentWriter';

export const meRoute = new Hono<AppEnv>()
  .get('/grids', async (c) => c.json(await myGrids(c.var.db, writerOf(c.var.user)), 200))
  .get('/grids/locate', zValidator('query', lonLatQuery, invalidInput), async (c) => {
    const { lon, lat } = c.req.valid('query');
    return c.json(await locateInMyGrids(c.var.db, writerOf(c.var.user), lon, lat), 200);
  });
