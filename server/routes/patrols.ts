/**
 * /api/patrols — 巡查 of grid workers (server/field/patrols.ts). Writes take an
 * Idempotency-Key (server/http/idempotency.ts) so the field app's offline queue can
 * retry them; points are idempotent by (patrol, recordedAt) besides.
 *   POST /            start            { note? }                       → 201 patrol
 *   POST /:id/points  GPS batch         { points: [{ recordedAt, lon, lat, accuracyM? }] } → 200 { accepted, duplicates, pointCount }
 *   POST /:id/checkins 打卡             { placeName, note?, lon?, lat?, accuracyM?, recordedAt } → 201 checkin
 *   POST /:id/stop    stop             {}                              → 200 patrol
 *   GET  /mine        { active, recent }
 *   GET  /?community=&from=&to=  GeoJSON tracks + figures per worker (desktop layer)
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { checkinBody, communityParam, period, periodQuery, periodRefinement, pointsBody, startPatrolBody, stopPatrolBody } from '../field/fieldInput';
import { addCheckin, addPoints, communityPatrols, myPatrols, startPatrol, stopPatrol } from '../field/patrols';
import { idempotent } from '../http/idempotency';
import { integerString } from '../http/params';
import { invalidInput } from '../http/problem';
import { writerOf } from '../incidents/incidentWriter';

const idParam = z.object({ id: integerString('id', 1, 2_000_000_000) });
const listQuery = periodRefinement(z.object({ community: communityParam, ...periodQuery }));

export const patrolsRoute = new Hono<AppEnv>()
  .post('/', idempotent(), zValidator('json', startPatrolBody, invalidInput), async (c) => c.json({ patrol: await startPatrol(c.var.db, writerOf(c.var.user), c.req.valid('json').note ?? null) }, 201))
  .get('/mine', async (c) => c.json(await myPatrols(c.var.db, writerOf(c.var.user)), 200))
  .get('/', zValidator('query', listQuery, invalidInput), async (c) => {
    const q = c.req.valid('query');
    const { from, to } = period(q);
    return c.json(await communityPatrols(c.var.db, writerOf(c.var.user), q.community, from, to), 200);
  })
  .post('/:id/points', idempotent(), zValidator('param', idParam, invalidInput), zValidator('json', pointsBody, invalidInput), async (c) =>
    c.json(await addPoints(c.var.db, writerOf(c.var.user), c.req.valid('param').id, c.req.valid('json').points), 200),
  )
  .post('/:id/checkins', idempotent(), zValidator('param', idParam, invalidInput), zValidator('json', checkinBody, invalidInput), async (c) =>
    c.json({ checkin: await addCheckin(c.var.db, writerOf(c.var.user), c.req.valid('param').id, c.req.valid('json')) }, 201),
  )
  .post('/:id/stop', idempotent(), zValidator('param', idParam, invalidInput), zValidator('json', stopPatrolBody, invalidInput), async (c) =>
    c.json({ patrol: await stopPatrol(c.var.db, writerOf(c.var.user), c.req.valid('param').id) }, 200),
  );
