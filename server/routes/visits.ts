/**
 * /api/visits — 走访 (server/field/visits.ts).
 *   POST /         { gridCode, target, note?, lon?, lat?, accuracyM?, visitedAt } (Idempotency-Key) → 201 { visit }
 *   GET  /?grid=&from=&to=&limit=        → { grid, visits, personalDataWithheld }
 *   GET  /counts?community=&from=&to=    → { community, grids: [{ gridCode, gridName, households, visits, targetsVisited, workers }], total }
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { communityParam, gridParam, period, periodQuery, periodRefinement, visitBody } from '../field/fieldInput';
import { gridVisits, recordVisit, visitCounts } from '../field/visits';
import { idempotent } from '../http/idempotency';
import { integerString } from '../http/params';
import { invalidInput } from '../http/problem';
import { writerOf } from '../incidents/incidentWriter';

const listQuery = periodRefinement(z.object({ grid: gridParam, limit: integerString('limit', 1, 500).optional(), ...periodQuery }));
const countsQuery = periodRefinement(z.object({ community: communityParam, ...periodQuery }));

export const visitsRoute = new Hono<AppEnv>()
  .post('/', idempotent(), zValidator('json', visitBody, invalidInput), async (c) => c.json({ visit: await recordVisit(c.var.db, writerOf(c.var.user), c.req.valid('json')) }, 201))
  .get('/counts', zValidator('query', countsQuery, invalidInput), async (c) => {
    const q = c.req.valid('query');
    const { from, to } = period(q);
    return c.json(await visitCounts(c.var.db, writerOf(c.var.user), q.community, from, to), 200);
  })
  .get('/', zValidator('query', listQuery, invalidInput), async (c) => {
    const q = c.req.valid('query');
    const { from, to } = period(q);
    return c.json(await gridVisits(c.var.db, writerOf(c.var.user), q.grid, from, to, q.limit ?? 100), 200);
  });
