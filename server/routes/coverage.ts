/**
 * 15-minute service circles and coverage. Geometries are GeoJSON; isochrones are
 * computed on demand (pgRouting on PostGIS, a Node search on the embedded engine)
 * and cached per centre, minutes, speed and network version.
 *   GET /isochrones?centreId=1,2&level=&kind=&minutes=5,10,15&speed=66.7   (kind: one kind of 阵地, absent or all: every kind)
 *   GET /isochrones/status                          the background job's progress (admins)
 *   GET /summary?level=street|community|grid&region=&target=80&speed=&kind=   (kind absent or all: every kind of 阵地)
 *   GET /below-target?target=80&region=&speed=      communities under the target share
 *   GET /blind-spots?region=&minArea=100&speed=     uncovered parts of grids
 *   GET /norm?region=&onlyShort=true                30 m² per 100 households per community
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { centreLevel, facilityKindParam } from '../coverage/centres';
import { BLIND_SPOT_MIN_AREA_M2 } from '../coverage/coverage';
import { isochroneCollection } from '../coverage/isochroneCollection';
import { isochroneJobStatus } from '../coverage/isochroneJob';
import { blindSpotCollection, communitiesBelowTarget, coverageReport, normReport } from '../coverage/reports';
import { decimalString, integerList, regionCodeParam, speedParam } from '../coverage/requestInput';
import { invalidInput } from '../http/problem';

/** One kind of 阵地, or all kinds together (absent or 'all'). */
const kindParam = z
  .union([z.literal('all'), facilityKindParam])
  .optional()
  .transform((v) => (v === 'all' ? undefined : v));

const targetParam = decimalString('target', 0, 100)
  .optional()
  .transform((v) => v ?? 80);

const isochroneQuery = z.object({
  centreId: integerList('centreId', 1, 2_147_483_647, 500).optional(),
  level: centreLevel.optional(),
  kind: kindParam,
  minutes: integerList('minutes', 1, 60, 6)
    .optional()
    .transform((v) => v ?? [5, 10, 15]),
  speed: speedParam,
});
const summaryQuery = z.object({
  level: z
    .enum(['street', 'community', 'grid'], { error: 'level 应为 street、community 或 grid' })
    .optional()
    .transform((v) => v ?? 'community'),
  region: regionCodeParam.optional(),
  target: targetParam,
  speed: speedParam,
  kind: kindParam,
});
const belowTargetQuery = z.object({ region: regionCodeParam.optional(), target: targetParam, speed: speedParam, kind: kindParam });
const blindSpotQuery = z.object({
  region: regionCodeParam.optional(),
  minArea: decimalString('minArea', 0, 1_000_000)
    .optional()
    .transform((v) => v ?? BLIND_SPOT_MIN_AREA_M2),
  speed: speedParam,
  kind: kindParam,
});
const normQuery = z.object({ region: regionCodeParam.optional(), onlyShort: z.enum(['true', 'false'], { error: 'onlyShort 应为 true 或 false' }).optional() });

export const coverageRoute = new Hono<AppEnv>()
  .get('/isochrones/status', async (c) => c.json(await isochroneJobStatus(c.var.db), 200))
  .get('/isochrones', zValidator('query', isochroneQuery, invalidInput), async (c) => {
    const { centreId, level, kind, minutes, speed } = c.req.valid('query');
    return c.json(await isochroneCollection(c.var.db, { centreIds: centreId, level, kind, minutes, speedMPerMin: speed }), 200);
  })
  .get('/summary', zValidator('query', summaryQuery, invalidInput), async (c) => {
    const { level, region, target, speed, kind } = c.req.valid('query');
    return c.json(await coverageReport(c.var.db, level, { region, kind, speedMPerMin: speed, targetPercent: target }), 200);
  })
  .get('/below-target', zValidator('query', belowTargetQuery, invalidInput), async (c) => {
    const { region, target, speed, kind } = c.req.valid('query');
    return c.json(await communitiesBelowTarget(c.var.db, { region, kind, speedMPerMin: speed, targetPercent: target }), 200);
  })
  .get('/blind-spots', zValidator('query', blindSpotQuery, invalidInput), async (c) => {
    const { region, minArea, speed, kind } = c.req.valid('query');
    return c.json(await blindSpotCollection(c.var.db, { region, kind, speedMPerMin: speed, minAreaM2: minArea }), 200);
  })
  .get('/norm', zValidator('query', normQuery, invalidInput), async (c) => {
    const { region, onlyShort } = c.req.valid('query');
    return c.json(await normReport(c.var.db, region, onlyShort === 'true'), 200);
  });
