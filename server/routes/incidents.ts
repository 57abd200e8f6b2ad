/**
 * /api/incidents — ingestion, the closed loop, KPIs and map aggregation. The work
 * is in server/incidents/*; refusals are DomainErrors answered by app.onError.
 *
 * POST /batch answers with one JSON summary by default; with
 * `Accept: application/x-ndjson` it streams progress lines instead
 * (server/incidents/batchImport.ts describes them).
 *
 * Every write is signed by the signed-in user at the server's clock. The bodies are
 * strict: one that still names `actor` or `at` (an old client, or one signing as
 * someone else / back-dating a closing) is refused with a 400 naming the field —
 * refused rather than ignored, so no caller believes a time or name it sent was kept.
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import { noteText } from '../http/text';
import { ESCALATION_LEVELS, INCIDENT_STAGES, type EscalationLevel } from '../../kernel/stages';
import type { AppEnv } from '../appEnv';
import { integerString, isoInstantParam } from '../http/params';
import { invalidInput } from '../http/problem';
import { idempotent } from '../http/idempotency';
import { colourDomain, heatmap, hexbins, hexCellIncidents, timeSeries } from '../incidents/aggregation';
import { decodeBatch } from '../incidents/batchEncoding';
import { importBatch, importBatchStream } from '../incidents/batchImport';
import { incidentCategories } from '../incidents/categories';
import { cellSizeM, cellSizeQuery } from '../incidents/cellSize';
import { incidentFilterQuery, regionCodeParam } from '../incidents/filters';
import { incidentDetail } from '../incidents/incidentDetail';
import { actionBody, bulkDispatchBody, type ActionBody } from '../incidents/actionInput';
import { INBOX_TABS, inbox, inboxCounts } from '../incidents/inbox';
import { act, bulkDispatch } from '../incidents/loopWrites';
import { assigneesFor } from '../incidents/assignees';
import { createRevisitLink } from '../incidents/revisitLinks';
import { kpiReport } from '../incidents/kpis';
import { reportIncident } from '../incidents/report';
import { escalate, extendDeadline, setSuspended, transition } from '../incidents/transitions';
import { writerOf } from '../incidents/incidentWriter';

const idParam = z.object({ id: integerString('id', 1, 2_000_000_000) });
const stageEnum = z.enum(INCIDENT_STAGES, { message: `阶段只能取 ${INCIDENT_STAGES.join('、')}` });
const escalationEnum = z.enum(Object.keys(ESCALATION_LEVELS) as [EscalationLevel, ...EscalationLevel[]], { message: '处置层级只能取 grid、community、street、department' });
/**
 * A loop write's body: its own fields and nothing else. `actor` and `at` get their own
 * reason (the server records them); any other unknown field is refused by name.
 */
const loopBody = <S extends z.ZodRawShape>(shape: S) =>
  z.strictObject(
    {
      ...shape,
      actor: z.never({ error: '操作人由服务器按登录账号记录，请勿提交' }).optional(),
      at: z.never({ error: '时间由服务器时钟记录，请勿提交' }).optional(),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? `不允许的字段：${issue.keys.join('、')}` : undefined) },
  );

const transitionBody = loopBody({
  to: stageEnum,
  expectedStage: stageEnum,
  note: noteText('备注', 500).optional(),
  escalation: escalationEnum.optional(),
  satisfaction: z.number().int('满意度应为整数').min(1, '满意度应为 1~5').max(5, '满意度应为 1~5').optional(),
});
const extensionBody = loopBody({ hours: z.number().int('延期时长应为整数小时').min(1, '延期至少 1 小时').max(720, '延期最多 720 小时'), reason: noteText('延期理由', 500, { required: true }), expectedStage: stageEnum });
const escalationBody = loopBody({ level: escalationEnum, reason: noteText('上报理由', 500).optional(), expectedStage: stageEnum });
const suspensionBody = loopBody({ suspended: z.boolean({ message: 'suspended 应为 true 或 false' }), reason: noteText('缓办理由', 500, { required: true }), expectedStage: stageEnum });

const inboxQuery = z
  .object({
    ...incidentFilterQuery.shape,
    tab: z.enum(INBOX_TABS, { message: `tab 只能取 ${INBOX_TABS.join('、')}` }),
    department: integerString('department', 1, 2_000_000_000).optional(),
    page: integerString('page', 1, 100_000).optional(),
    pageSize: integerString('pageSize', 1, 200).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'from 应早于 to', path: ['to'] });

const bucketParam = z.enum(['day', 'week', 'month'], { message: 'bucket 只能取 day、week、month' });
const hexQuery = z.object({ ...incidentFilterQuery.shape, ...cellSizeQuery.shape });
const cellQuery = z.object({
  ...hexQuery.shape,
  i: z
    .string()
    .regex(/^-?\d{1,7}$/, 'i 应为整数')
    .transform(Number),
  j: z
    .string()
    .regex(/^-?\d{1,7}$/, 'j 应为整数')
    .transform(Number),
  page: integerString('page', 1, 100_000).optional(),
  pageSize: integerString('pageSize', 1, 200).optional(),
});
const timeSeriesQuery = z.object({ ...incidentFilterQuery.shape, bucket: bucketParam.optional() });
const domainQuery = z.object({ ...hexQuery.shape, bucket: bucketParam.optional(), layer: z.enum(['hexbin', 'heatmap'], { message: 'layer 只能取 hexbin 或 heatmap' }).optional() });
const kpiQuery = z
  .object({
    region: regionCodeParam,
    from: isoInstantParam('from'),
    to: isoInstantParam('to'),
    children: z.enum(['0', '1'], { message: 'children 只能取 0 或 1' }).optional(),
  })
  .refine((q) => q.from < q.to, { message: 'from 应早于 to', path: ['to'] });

export const incidentsRoute = new Hono<AppEnv>()
  .get('/categories', async (c) => c.json({ categories: await incidentCategories(c.var.db) }, 200))
  /** One incident (JSON). Bad input → 422 with every failing field. */
  .post('/', idempotent(), async (c) => c.json(await reportIncident(c.var.db, await c.req.text(), writerOf(c.var.user)), 201))
  /** A CSV (UTF-8 or GBK) or GeoJSON batch; see the header comment for the NDJSON progress stream. */
  .post('/batch', async (c) => {
    const batch = decodeBatch(new Uint8Array(await c.req.arrayBuffer()));
    const args = [c.var.db, batch, c.req.query('format'), c.req.header('content-type'), writerOf(c.var.user)] as const;
    if (!(c.req.header('accept') ?? '').includes('application/x-ndjson')) return c.json(await importBatch(...args), 200);
    return c.body(await importBatchStream(...args), 200, { 'Content-Type': 'application/x-ndjson; charset=utf-8', 'Cache-Control': 'no-store' });
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
  /** The workbench inbox: one tab of the signed-in user's work, by remaining time. */
  .get('/inbox', zValidator('query', inboxQuery, invalidInput), async (c) => {
    const { tab, page, pageSize, bbox: _bbox, ...filter } = c.req.valid('query');
    return c.json(await inbox(c.var.db, writerOf(c.var.user), tab, filter, page ?? 1, pageSize ?? 20), 200);
  })
  .get('/inbox/counts', async (c) => c.json(await inboxCounts(c.var.db, writerOf(c.var.user)), 200))
  /** 批量派遣: all or nothing, each refusal named. */
  .post('/bulk-dispatch', zValidator('json', bulkDispatchBody, invalidInput), async (c) => c.json(await bulkDispatch(c.var.db, c.req.valid('json'), writerOf(c.var.user)), 200))
  .get('/:id', zValidator('param', idParam, invalidInput), async (c) => c.json(await incidentDetail(c.var.db, c.req.valid('param').id, writerOf(c.var.user)), 200))
  /** One action of the loop (kernel/loopActions.ts); answers the updated detail and the new step's id. */
  .post('/:id/actions', idempotent(), zValidator('param', idParam, invalidInput), zValidator('json', actionBody, invalidInput), async (c) => {
    const { id } = c.req.valid('param');
    const user = writerOf(c.var.user);
    const transitionId = await act(c.var.db, id, c.req.valid('json') as ActionBody, user);
    return c.json({ transitionId, incident: await incidentDetail(c.var.db, id, user) }, 200);
  })
  /** A one-time 回访 link for the resident (dispatchers; the answer comes through /api/public/revisit/:token). */
  .post('/:id/revisit-link', zValidator('param', idParam, invalidInput), async (c) => c.json(await createRevisitLink(c.var.db, c.req.valid('param').id, writerOf(c.var.user)), 201))
  /** Candidates for 派遣/改派/吹哨: departments (the category's defaults first) and grid workers. */
  .get('/:id/assignees', zValidator('param', idParam, invalidInput), async (c) => c.json(await assigneesFor(c.var.db, c.req.valid('param').id, writerOf(c.var.user)), 200))
  .post('/:id/transitions', zValidator('param', idParam, invalidInput), zValidator('json', transitionBody, invalidInput), async (c) =>
    c.json(await transition(c.var.db, c.req.valid('param').id, c.req.valid('json'), writerOf(c.var.user)), 200),
  )
  .post('/:id/extension', zValidator('param', idParam, invalidInput), zValidator('json', extensionBody, invalidInput), async (c) =>
    c.json(await extendDeadline(c.var.db, c.req.valid('param').id, c.req.valid('json'), writerOf(c.var.user)), 200),
  )
  .post('/:id/escalation', zValidator('param', idParam, invalidInput), zValidator('json', escalationBody, invalidInput), async (c) =>
    c.json(await escalate(c.var.db, c.req.valid('param').id, c.req.valid('json'), writerOf(c.var.user)), 200),
  )
  .post('/:id/suspension', zValidator('param', idParam, invalidInput), zValidator('json', suspensionBody, invalidInput), async (c) =>
    c.json(await setSuspended(c.var.db, c.req.valid('param').id, c.req.valid('json'), writerOf(c.var.user)), 200),
  );
