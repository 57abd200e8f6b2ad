/**
 * /api/briefings — 月报 (server/briefings/*):
 *  GET  /?region=                 past reports (metadata; status generating/ready/failed)
 *  POST /  {region, month}        generate now (202 with the row; poll GET /:id for progress)
 *  GET  /:id                      one report's metadata
 *  GET  /:id/pdf                  the PDF
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { BriefingRejected, briefingPdf, claimBriefing, getBriefing, listBriefings, renderBriefing } from '../briefings/briefingJobs';
import { chromiumPath, ChromiumUnavailable } from '../briefings/briefingPdf';
import { invalidInput } from '../http/problem';
import { cstMonth } from '../screen/months';
import { existsSync } from 'node:fs';

const idParam = z.object({ id: z.coerce.number().int().positive('id 应为正整数') });
const listQuery = z.object({
  region: z
    .string()
    .regex(/^\d{6}$|^\d{9}$/, 'region 应为 6 位县区或 9 位街道代码')
    .optional(),
});
const createBody = z.object({
  region: z.string().regex(/^\d{6}$|^\d{9}$/, 'region 应为 6 位县区或 9 位街道代码'),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month 应为 YYYY-MM'),
  regenerate: z.boolean().default(false),
});

export const briefingsRoute = new Hono<AppEnv>()
  .get('/', zValidator('query', listQuery, invalidInput), async (c) => c.json({ briefings: await listBriefings(c.var.db, c.req.valid('query').region) }, 200))
  .post('/', zValidator('json', createBody, invalidInput), async (c) => {
    const { region, month, regenerate } = c.req.valid('json');
    if (month >= cstMonth(new Date()).key) throw new BriefingRejected('month', '只能生成已结束的月份');
    if (!existsSync(chromiumPath())) throw new ChromiumUnavailable(`${chromiumPath()} 不存在`);
    const claimed = await claimBriefing(c.var.db, region, month, c.var.user?.username ?? 'unknown', regenerate);
    if (!claimed) throw new BriefingRejected('month', '该月报已存在或正在生成；如需重新生成，请勾选“重新生成”', 409);
    // Rendered in the background; the client polls GET /:id. Failures are recorded on the row.
    void renderBriefing(c.var.db, claimed).catch(() => undefined);
    return c.json(claimed, 202);
  })
  .get('/:id', zValidator('param', idParam, invalidInput), async (c) => c.json(await getBriefing(c.var.db, c.req.valid('param').id), 200))
  .get('/:id/pdf', zValidator('param', idParam, invalidInput), async (c) => {
    const { row, pdf } = await briefingPdf(c.var.db, c.req.valid('param').id);
    const name = `${row.regionName}-${row.month}-月报.pdf`;
    return c.body(new Uint8Array(pdf), 200, {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="briefing-${row.regionCode}-${row.month}.pdf"; filename*=UTF-8''${encodeURIComponent(name)}`,
    });
  });
