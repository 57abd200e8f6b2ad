/**
 * /api/incidents — ingestion, the closed loop, KPIs and map aggregation. The work
 * is in server/incidents/*; refusals are DomainErrors answered by app.onError.
 *
 * POST /batch answers with one JSON summary by default; with
 * `Accept: application/x-ndjson` it streams progress lines instead
 * (server/incidents/batchImport.ts describes them).
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import { ESCALATION_LEVELS, INCIDENT_STAGES, type EscalationLevel } from '../../kernel/stages';
import type { AppEnv } from '../appEnv';
import { integerString } from '../http/params';
import { invalidInput } from '../http/problem';
import { colourDomain, heatmap, hexbins, hexCellIncidents, timeSeries } from '../incidents/aggregation';
import { importBatch, importBatchStream, parseBatch } from '../incidents/batchImport';
import { incidentCategories } from '../incidents/categories';
import { cellSizeM, cellSizeQuery } from '../incidents/cellSize';
import { incidentFilterQuery, regionCodeParam } from '../incidents/filters';
import { incidentDetail } from '../incidents/incidentDetail';
import { kpiReport } from '../incidents/kpis';
import { reportIncident } from '../incidents/report';
import { escalate, extendDeadline, setSuspended, transition } from '../incidents/transitions';

const idParam = z.object({ id: integerString('id', 1, 2_000_000_000) });
const stageEnum = z.enum(INCIDENT_STAGES, { message: `阶段只能取 ${INCIDENT_STAGES.join('、')}` });
const escalationEnum = z.enum(Object.keys(ESCALATION_LEVELS) as [EscalationLevel, ...EscalationLevel[]], { message: '处置层级只能取 grid、community、street、department' });
const actor = z.string().trim().min(1, '请填写操作人').max(50, '操作人不超过 50 个字');
const when = z.iso.datetime({ offset: true, message: '时间应为 ISO 8601（含时区），如 2026-05-01T08:00:00+08:00' }).transform((v) => new Date(v)).optional();

const transitionBody = z.object({
  to: stageEnum,
  expectedStage: stageEnum,
  actor,
  note: z.string().max(500, '备注不超过 500 个字').optional(),
  at: when,
  escalation: escalationEnum.optional(),
  satisfaction: z.number().int('满意度应为整数').min(1, '满意度应为 1~5').max(5, '满意度应为 1~5').optional(),
});
const extensionBody = z.object({ hours: z.number().int('延期时长应为整数小时').min(1, '延期至少 1 小时').max(720, '延期最多 720 小时'), reason: z.string().trim().min(1, '请填写延期理由').max(500), actor, expectedStage: stageEnum, at: when });
const escalationBody = z.object({ level: escalationEnum, reason: z.string().max(500).optional(), actor, expectedStage: stageEnum, at: when });
const suspensionBody = z.object({ suspended: z.boolean({ message: 'suspended 应为 true 或 false' }), reason: z.string().trim().min(1, '请填写缓办理由').max(500), actor, expectedStage: stageEnum, at: when });

const bucketParam = z.enum(['day', 'week', 'month'], { message: 'bucket 只能取 day、week、month' });
const hexQuery = z.object({ ...incidentFilterQuery.shape, ...cellSizeQuery.shape });
const cellQuery = z.object({
  ...hexQuery.shape,
  i: z.string().regex(/^-?\d{1,7}$/, 'i 应为整数').transform(Number),
  j: z.string().regex(/^-?\d{1,7}$/, 'j 应为整数').transform(Number),
  page: integerString('page', 1, 100_000).optional(),
  pageSize: integerString('pageSize', 1, 200).optional(),
});
const timeSeriesQuery = z.object({ ...incidentFilterQuery.shape, bucket: bucketParam.optional() });
const domainQuery = z.object({ ...hexQuery.shape, bucket: bucketParam.optional(), layer: z.enum(['hexbin', 'heatmap'], { message: 'layer 只能取 hexbin 或 heatmap' }).optional() });
const kpiQuery = z
  .object({
    region: regionCodeParam,
    from: z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'from 应为 ISO 8601 日期时间').transform((v) => new Date(v)),
    to: z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'to 应为 ISO 8601 日期时间').transform((v) => new Date(v)),
    children: z.enum(['0', '1'], { message: 'children 只能取 0 或 1' }).optional(),
  })
  .refine((q) => q.from < q.to, { message: 'from 应早于 to', path: ['to'] });

export const incidentsRoute = new Hono<AppEnv>()
  .get('/categories', async (c) => c.json({ categories: await incidentCategories(c.var.db) }, 200))
  /** One incident (JSON). Bad input → 422 with every failing field. */
  .post('/', async (c) => c.json(await reportIncident(c.var.db, await c.req.text()), 201))
  /** A CSV or GeoJSON batch; see the header comment for the NDJSON progress stream. */
  .post('/batch', async (c) => {
    const rows = parseBatch(await c.req.text(), c.req.query('format'), c.req.header('content-type'));
    if (!(c.req.header('accept') ?? '').includes('application/x-ndjson')) return c.json(await importBatch(c.var.db, rows), 200);
    return c.body(importBatchStream(c.var.db, rows), 200, { 'Content-Type': 'application/x-ndjson; charset=utf-8', 'Cache-Control': 'no-store' });
  })
  .get('/kpis', zValidator('query', kpiQuery, invalidInput), async (c) => {
    const { region, from, to, children } = c.req.valid('query');
    return c.json(await kpiReport(c.var.db, region, from, to, children === '1'), 200);
  })
  .get('/hexbins', zValidator('query', hexQuery, invalidInput), async (c) => {
    const q = c.req.valid('query');
    return c.json(await hexbins(c.var.db, q, cellSizeM(q, 'hexbin')), 200);
  })
  .get('/hexbins/cell', zValidator('query', cellQuery, invalidInput), async (c) => {
    const q = c.req.valid('query');
    return c.json(await hexCellIncidents(c.var.db, q, { sizeM: cellSizeM(q, 'hexbin'), i: q.i, j: q.j }, { page: q.page ?? 1, pageSize: q.pageSize ?? 20 }), 200);
  })
  .get('/heatmap', zValidator('query', hexQuery, invalidInput), async (c) => {
    const q = c.req.valid('query');
    return c.json(await heatmap(c.var.db, q, cellSizeM(q, 'heatmap')), 200);
  })
  .get('/timeseries', zValidator('query', timeSeriesQuery, invalidInput), async (c) => {
    const q = c.req.valid('query');
    return c.json(await timeSeries(c.var.db, q, q.bucket ?? 'week'), 200);
  })
  /** Stable colour domain for playback: max per cell per frame over the whole filtered period. */
  .get('/domain', zValidator('query', domainQuery, invalidInput), async (c) => {
    const q = c.req.valid('query');
    const layer = q.layer ?? 'hexbin';
    return c.json(await colourDomain(c.var.db, q, layer, cellSizeM(q, layer), q.bucket ?? 'week'), 200);
  })
  .get('/:id', zValidator('param', idParam, invalidInput), async (c) => c.json(await incidentDetail(c.var.db, c.req.valid('param').id), 200))
  .post('/:id/transitions', zValidator('param', idParam, invalidInput), zValidator('json', transitionBody, invalidInput), async (c) =>
    c.json(await transition(c.var.db, c.req.valid('param').id, c.req.valid('json')), 200),
  )
  .post('/:id/extension', zValidator('param', idParam, invalidInput), zValidator('json', extensionBody, invalidInput), async (c) =>
    c.json(await extendDeadline(c.var.db, c.req.valid('param').id, c.req.valid('json')), 200),
  )
  .post('/:id/escalation', zValidator('param', idParam, invalidInput), zValidator('json', escalationBody, invalidInput), async (c) =>
    c.json(await escalate(c.var.db, c.req.valid('param').id, c.req.valid('json')), 200),
  )
  .post('/:id/suspension', zValidator('param', idParam, invalidInput), zValidator('json', suspensionBody, invalidInput), async (c) =>
    c.json(await setSuspended(c.var.db, c.req.valid('param').id, c.req.valid('json')), 200),
  );
