/**
 * 多网融合: GET /api/fusion/networks, GET /api/fusion/networks/:id/grids (GeoJSON with each
 * grid's span over our base grids), GET /api/fusion/networks/:id/overlaps?format=json|csv&minShare=&region=
 * (the overlap report), DELETE /api/fusion/networks/:id, GET /api/fusion/adopt/:foreignGridId?community=
 * (the foreign boundary clipped to a community and the base grid to reshape with it, then saved by
 * PUT /api/grids/:code). Imports: POST /api/exports/imports/networks (routes/foreignImports.ts).
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { REGION_CODE_PATTERN } from '../../kernel/gridCode';
import { adoptionDraft, deleteForeignNetwork, listForeignNetworks } from '../fusion/networks';
import { foreignGridFeatures, overlapCsv, overlapReport } from '../fusion/overlap';
import { integerString } from '../http/params';
import { invalidInput } from '../http/problem';

const idParam = z.object({ id: integerString('id', 1, 1_000_000_000) });
const overlapQuery = z.object({
  format: z.enum(['json', 'csv'], { message: 'format 应为 json 或 csv' }).optional(),
  minShare: z
    .string()
    .regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'minShare 应为 0 到 1 之间的小数')
    .transform(Number)
    .optional(),
  region: z.string().regex(REGION_CODE_PATTERN, 'region 应为 6、9 或 12 位区划代码').optional(),
});
const adoptQuery = z.object({
  community: z
    .string()
    .regex(/^\d{12}$/, 'community 应为 12 位社区代码')
    .optional(),
});

export const fusionRoute = new Hono<AppEnv>()
  .get('/networks', async (c) => c.json({ networks: await listForeignNetworks(c.var.db) }, 200))
  .get('/networks/:id/grids', zValidator('param', idParam, invalidInput), async (c) => c.json(await foreignGridFeatures(c.var.db, c.req.valid('param').id), 200))
  .get('/networks/:id/overlaps', zValidator('param', idParam, invalidInput), zValidator('query', overlapQuery, invalidInput), async (c) => {
    const { format, minShare, region } = c.req.valid('query');
    const report = await overlapReport(c.var.db, c.req.valid('param').id, { minShare, region });
    if (format === 'csv') {
      return c.body(overlapCsv(report), 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="overlaps-${report.network.id}.csv"` });
    }
    return c.json(report, 200);
  })
  .delete('/networks/:id', zValidator('param', idParam, invalidInput), async (c) => c.json(await deleteForeignNetwork(c.var.db, c.req.valid('param').id), 200))
  .get('/adopt/:id', zValidator('param', idParam, invalidInput), zValidator('query', adoptQuery, invalidInput), async (c) =>
    c.json(await adoptionDraft(c.var.db, c.req.valid('param').id, c.req.valid('query').community), 200),
  );
