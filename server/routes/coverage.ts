/**
 * 15-minute service circles and coverage. Geometries are GeoJSON; isochrones are
 * computed on demand (pgRouting on PostGIS, a Node search on the embedded engine)
 * and cached per centre, minutes, speed and network version.
 *   GET /isochrones?centreId=1,2&minutes=5,10,15&speed=66.7
 *   GET /summary?level=street|community|grid&region=&target=80&speed=
 *   GET /below-target?target=80&region=&speed=      communities under the target share
 *   GET /blind-spots?region=&minArea=100&speed=     uncovered parts of grids
 *   GET /norm?region=&onlyShort=true                30 m² per 100 households per community
 */
import { zValidator } from '@hono/zod-validator';
import { sql } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { centreLevel } from '../coverage/centres';
import { BLIND_SPOT_MIN_AREA_M2, blindSpots, coverageSummary } from '../coverage/coverage';
import { ensureIsochrones, readIsochrones } from '../coverage/isochrones';
import { communityNorms, NORM_M2_PER_100_HOUSEHOLDS } from '../coverage/norm';
import { decimalString, integerList, regionCodeParam, speedParam } from '../coverage/requestInput';
import { intArray } from '../coverage/sqlArrays';
import { invalidInput, notFound } from '../http/problem';

const targetParam = decimalString('target', 0, 100)
  .optional()
  .transform((v) => v ?? 80);

const isochroneQuery = z.object({
  centreId: integerList('centreId', 1, 2_147_483_647, 500).optional(),
  level: centreLevel.optional(),
  minutes: integerList('minutes', 1, 60, 6)
    .optional()
    .transform((v) => v ?? [5, 10, 15]),
  speed: speedParam,
});
const summaryQuery = z.object({
  level: z.enum(['street', 'community', 'grid'], { error: 'level 应为 street、community 或 grid' }).optional().transform((v) => v ?? 'community'),
  region: regionCodeParam.optional(),
  target: targetParam,
  speed: speedParam,
});
const belowTargetQuery = z.object({ region: regionCodeParam.optional(), target: targetParam, speed: speedParam });
const blindSpotQuery = z.object({
  region: regionCodeParam.optional(),
  minArea: decimalString('minArea', 0, 1_000_000)
    .optional()
    .transform((v) => v ?? BLIND_SPOT_MIN_AREA_M2),
  speed: speedParam,
});
const normQuery = z.object({ region: regionCodeParam.optional(), onlyShort: z.enum(['true', 'false'], { error: 'onlyShort 应为 true 或 false' }).optional() });

/** A region filter must name a region that exists. */
async function unknownRegion(c: Context<AppEnv>, region: string | undefined) {
  if (!region) return null;
  const [row] = await c.var.db.rows<{ code: string }>(sql`SELECT code FROM regions WHERE code = ${region}`);
  return row ? null : notFound(c, `区划代码 ${region} 不存在`);
}

const percent = (share: number) => Math.round(share * 10000) / 100;

export const coverageRoute = new Hono<AppEnv>()
  .get('/isochrones', zValidator('query', isochroneQuery, invalidInput), async (c) => {
    const { centreId, level, minutes, speed } = c.req.valid('query');
    const db = c.var.db;
    let ids: number[] | null = centreId ?? null;
    if (ids) {
      const found = await db.rows<{ id: number }>(sql`SELECT id FROM service_centres WHERE id = ANY(${intArray(ids)}::int[])`);
      const known = new Set(found.map((f) => Number(f.id)));
      const missing = ids.filter((id) => !known.has(id));
      if (missing.length > 0) return notFound(c, `党群服务中心 ${missing.join('、')} 不存在`);
    } else if (level) {
      ids = (await db.rows<{ id: number }>(sql`SELECT id FROM service_centres WHERE level = ${level} ORDER BY id`)).map((r) => Number(r.id));
    }
    const request = { centreIds: ids, minutes, speedMPerMin: speed };
    const computed = await ensureIsochrones(db, request);
    const features = await readIsochrones(db, request);
    return c.json({ type: 'FeatureCollection' as const, minutes, speedMPerMin: speed, computed, features }, 200);
  })
  .get('/summary', zValidator('query', summaryQuery, invalidInput), async (c) => {
    const { level, region, target, speed } = c.req.valid('query');
    const missing = await unknownRegion(c, region);
    if (missing) return missing;
    const summary = await coverageSummary(c.var.db, level, { speedMPerMin: speed, region });
    const rows = summary.rows.map((r) => ({ ...r, householdPercent: percent(r.householdShare), belowTarget: percent(r.householdShare) < target }));
    return c.json({ ...summary, level, targetPercent: target, total: { ...summary.total, householdPercent: percent(summary.total.householdShare) }, rows }, 200);
  })
  .get('/below-target', zValidator('query', belowTargetQuery, invalidInput), async (c) => {
    const { region, target, speed } = c.req.valid('query');
    const missing = await unknownRegion(c, region);
    if (missing) return missing;
    const summary = await coverageSummary(c.var.db, 'community', { speedMPerMin: speed, region });
    const communities = summary.rows
      .filter((r) => percent(r.householdShare) < target)
      .sort((a, b) => a.householdShare - b.householdShare)
      .map((r) => ({ ...r, householdPercent: percent(r.householdShare), gapHouseholds: Math.max(0, (target / 100) * r.households - r.coveredHouseholds) }));
    return c.json({ targetPercent: target, minutes: summary.minutes, speedMPerMin: speed, networkVersion: summary.networkVersion, communities }, 200);
  })
  .get('/blind-spots', zValidator('query', blindSpotQuery, invalidInput), async (c) => {
    const { region, minArea, speed } = c.req.valid('query');
    const missing = await unknownRegion(c, region);
    if (missing) return missing;
    const result = await blindSpots(c.var.db, { speedMPerMin: speed, region, minAreaM2: minArea });
    return c.json({ type: 'FeatureCollection' as const, networkVersion: result.networkVersion, speedMPerMin: speed, features: result.features }, 200);
  })
  .get('/norm', zValidator('query', normQuery, invalidInput), async (c) => {
    const { region, onlyShort } = c.req.valid('query');
    const missing = await unknownRegion(c, region);
    if (missing) return missing;
    const all = await communityNorms(c.var.db, region);
    const communities = onlyShort === 'true' ? all.filter((n) => !n.meetsNorm) : all;
    return c.json(
      {
        m2Per100Households: NORM_M2_PER_100_HOUSEHOLDS,
        communities,
        shortCount: all.filter((n) => !n.meetsNorm).length,
        totalShortfallM2: all.reduce((s, n) => s + n.shortfallM2, 0),
      },
      200,
    );
  });
