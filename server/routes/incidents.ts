/**
 * /api/incidents — ingestion, the closed loop, KPIs and map aggregation.
 *
 * Ingestion progress: POST /batch answers with one JSON summary by default; with
 * `Accept: application/x-ndjson` it streams one JSON object per line instead:
 *   {"type":"progress","phase":"validate","done":5000,"total":12000}
 *   …
 *   {"type":"result","total":12000,"accepted":11990,"rejected":10,"errors":[…]}
 * (or a final {"type":"error",…} line if the write transaction failed — nothing written).
 */
import { zValidator } from '@hono/zod-validator';
import { sql } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { integerString } from '../http/params';
import { invalidInput, notFound, problem } from '../http/problem';
import { colourDomain, heatmap, hexbins, hexCellIncidents, timeSeries } from '../incidents/aggregation';
import { incidentFilterQuery, regionCodeParam } from '../incidents/filters';
import { ingest, IngestFormatError, parseCsv, parseGeoJson, type IngestProgress, type RawIncident } from '../incidents/ingest';
import { childRegionCodes, KPI_DEFINITIONS, regionKpis } from '../incidents/kpis';
import { allowedNext, describeStages, isOverdue } from '../incidents/stateMachine';
import { ESCALATION_LEVELS, INCIDENT_STAGES, STAGE_LABELS, type EscalationLevel, type IncidentStage } from '../../kernel/stages';
import { escalate, extendDeadline, incidentHistory, incidentState, setSuspended, transition, type IncidentState, type WriteOutcome } from '../incidents/transitions';
import { heatCellForZoom, hexSizeForZoom } from '../../kernel/webMercator';

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

/** Cell size from the map zoom (or given in metres, for reproducible requests). */
const sizing = z.object({
  zoom: z
    .string()
    .regex(/^\d{1,2}(\.\d+)?$/, 'zoom 应为 0~22 的数字')
    .transform(Number)
    .refine((z) => z >= 0 && z <= 22, 'zoom 应为 0~22 的数字')
    .optional(),
  size: z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'size 应为正数（米）')
    .transform(Number)
    .refine((s) => s >= 10 && s <= 200_000, 'size 应在 10 到 200000 米之间')
    .optional(),
});
const sizeOf = (q: { zoom?: number; size?: number }, fromZoom: (zoom: number) => number) => q.size ?? fromZoom(q.zoom ?? 12);

const bucketParam = z.enum(['day', 'week', 'month'], { message: 'bucket 只能取 day、week、month' });
const hexQuery = z.object({ ...incidentFilterQuery.shape, ...sizing.shape });
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

function stateJson(s: IncidentState, now = new Date()) {
  return {
    id: s.id,
    stage: s.stage,
    stageLabel: STAGE_LABELS[s.stage],
    escalation: s.escalation,
    reportedAt: s.reportedAt.toISOString(),
    deadlineAt: s.deadlineAt?.toISOString() ?? null,
    closedAt: s.closedAt?.toISOString() ?? null,
    reworkCount: s.reworkCount,
    extended: s.extended,
    deadlineExtendedAt: s.deadlineExtendedAt?.toISOString() ?? null,
    suspended: s.suspended,
    satisfaction: s.satisfaction,
    overdue: isOverdue(s, now),
    allowedNext: [...allowedNext(s.stage)],
  };
}

/** Maps a loop write's outcome to 200 / 404 / 409 / 422. */
function outcome(c: Context<AppEnv>, result: WriteOutcome<IncidentState>, id: number) {
  if (result.ok) return c.json(stateJson(result.value), 200);
  if (result.kind === 'not-found') return notFound(c, `事件 ${id} 不存在`);
  const allowed = [...result.allowed] as IncidentStage[];
  if (result.kind === 'conflict') {
    return problem(c, 409, '事件状态已变化', `事件当前处于「${STAGE_LABELS[result.currentStage]}」，与提交的 expectedStage 不符；请刷新后重试。可转到：${describeStages(allowed)}`, {
      currentStage: result.currentStage,
      allowedNext: allowed,
      errors: [{ field: 'expectedStage', reason: `当前阶段为 ${result.currentStage}` }],
    });
  }
  return problem(c, 422, '不允许的操作', `${result.reason}。当前阶段「${STAGE_LABELS[result.currentStage]}」可转到：${describeStages(allowed)}`, {
    currentStage: result.currentStage,
    allowedNext: allowed,
    errors: [{ field: result.field, reason: result.reason }],
  });
}

/** Connection-level failures keep their 503 from app.onError. */
const isUnavailable = (error: unknown) => /^(08|57P)/.test(String((error as { code?: unknown }).code ?? (error as { cause?: { code?: unknown } }).cause?.code ?? ''));

/** Drizzle's message repeats the whole query and its parameters; the cause is what matters. */
const briefly = (error: unknown) => String((error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message).slice(0, 300);

async function readBatch(c: Context<AppEnv>): Promise<RawIncident[]> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  const format = c.req.query('format') ?? (type.includes('csv') || type.startsWith('text/plain') ? 'csv' : type.includes('json') ? 'geojson' : '');
  const body = await c.req.text();
  if (format === 'csv') return parseCsv(body);
  if (format === 'geojson') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new IngestFormatError('GeoJSON 不是有效的 JSON');
    }
    return parseGeoJson(parsed);
  }
  throw new IngestFormatError('无法识别的格式：请以 text/csv 或 application/geo+json 提交，或加参数 format=csv|geojson');
}

export const incidentsRoute = new Hono<AppEnv>()
  .get('/categories', async (c) => {
    const rows = await c.var.db.rows<{ code: string; major: string; minor: string; deadline_hours: number }>(
      sql`SELECT code, major, minor, deadline_hours FROM incident_categories ORDER BY code`,
    );
    return c.json({ categories: rows.map((r) => ({ code: r.code, major: r.major, minor: r.minor, deadlineHours: Number(r.deadline_hours) })) });
  })
  /** One incident (JSON). Bad input → 422 with every failing field. */
  .post('/', async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return problem(c, 400, '请求体无效', '请求体应为 JSON 对象', { errors: [{ field: '(body)', reason: '不是有效的 JSON' }] });
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) return problem(c, 400, '请求体无效', '请求体应为 JSON 对象', { errors: [{ field: '(body)', reason: '应为 JSON 对象' }] });
    const result = await ingest(c.var.db, [{ ...(body as Omit<RawIncident, 'row'>), row: 1 }], { actor: '单条上报' });
    if (result.errors.length > 0) {
      const errors = result.errors.map((e) => ({ field: e.field, reason: e.reason }));
      return problem(c, 422, '事件信息无效', errors.map((e) => `${e.field}：${e.reason}`).join('；'), { errors });
    }
    const state = await incidentState(c.var.db, result.ids[0] as number);
    const [place] = await c.var.db.rows<{ grid_code: string; community_code: string; street_code: string }>(
      sql`SELECT grid_code, community_code, street_code FROM incidents WHERE id = ${result.ids[0] as number}`,
    );
    return c.json({ ...stateJson(state as IncidentState), gridCode: place!.grid_code, communityCode: place!.community_code, streetCode: place!.street_code }, 201);
  })
  /** A CSV or GeoJSON batch; see the header comment for the NDJSON progress stream. */
  .post('/batch', async (c) => {
    let rows: RawIncident[];
    try {
      rows = await readBatch(c);
    } catch (error) {
      if (error instanceof IngestFormatError) return problem(c, 400, '导入文件无效', error.message, { errors: [{ field: '(body)', reason: error.message }] });
      throw error;
    }
    const db = c.var.db;
    if (!(c.req.header('accept') ?? '').includes('application/x-ndjson')) {
      try {
        return c.json(await ingest(db, rows, { actor: '批量导入' }), 200);
      } catch (error) {
        if (isUnavailable(error)) throw error; // app.onError answers 503
        console.error('incident batch ingest failed:', briefly(error));
        return problem(c, 500, '导入失败', '写入数据库失败，本批次未导入任何记录');
      }
    }
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        const line = (value: unknown) => controller.enqueue(encoder.encode(`${JSON.stringify(value)}\n`));
        try {
          const result = await ingest(db, rows, { actor: '批量导入', onProgress: (p: IngestProgress) => line({ type: 'progress', ...p }) });
          line({ type: 'result', ...result });
        } catch (error) {
          console.error('incident batch ingest failed:', briefly(error));
          line({ type: 'error', title: '导入失败', detail: '写入数据库失败，本批次未导入任何记录' });
        }
        controller.close();
      },
    });
    return c.body(stream, 200, { 'Content-Type': 'application/x-ndjson; charset=utf-8', 'Cache-Control': 'no-store' });
  })
  .get('/kpis', zValidator('query', kpiQuery, invalidInput), async (c) => {
    const { region, from, to, children } = c.req.valid('query');
    const exists = await c.var.db.rows(sql`SELECT 1 FROM regions WHERE code = ${region} UNION ALL SELECT 1 FROM grids WHERE code = ${region} LIMIT 1`);
    if (exists.length === 0) return notFound(c, `区域编码 ${region} 不存在`);
    const kpis = await regionKpis(c.var.db, region, from, to);
    const childKpis = children === '1' ? await Promise.all((await childRegionCodes(c.var.db, region)).map((code) => regionKpis(c.var.db, code, from, to))) : undefined;
    return c.json({ kpis, children: childKpis ?? null, definitions: KPI_DEFINITIONS });
  })
  .get('/hexbins', zValidator('query', hexQuery, invalidInput), async (c) => {
    const q = c.req.valid('query');
    return c.json(await hexbins(c.var.db, q, sizeOf(q, hexSizeForZoom)));
  })
  .get('/hexbins/cell', zValidator('query', cellQuery, invalidInput), async (c) => {
    const q = c.req.valid('query');
    return c.json(await hexCellIncidents(c.var.db, q, { sizeM: sizeOf(q, hexSizeForZoom), i: q.i, j: q.j }, { page: q.page ?? 1, pageSize: q.pageSize ?? 20 }));
  })
  .get('/heatmap', zValidator('query', hexQuery, invalidInput), async (c) => {
    const q = c.req.valid('query');
    return c.json(await heatmap(c.var.db, q, sizeOf(q, heatCellForZoom)));
  })
  .get('/timeseries', zValidator('query', timeSeriesQuery, invalidInput), async (c) => {
    const q = c.req.valid('query');
    return c.json(await timeSeries(c.var.db, q, q.bucket ?? 'week'));
  })
  /** Stable colour domain for playback: max per cell per frame over the whole filtered period. */
  .get('/domain', zValidator('query', domainQuery, invalidInput), async (c) => {
    const q = c.req.valid('query');
    const layer = q.layer ?? 'hexbin';
    return c.json(await colourDomain(c.var.db, q, layer, sizeOf(q, layer === 'hexbin' ? hexSizeForZoom : heatCellForZoom), q.bucket ?? 'week'));
  })
  .get('/:id', zValidator('param', idParam, invalidInput), async (c) => {
    const { id } = c.req.valid('param');
    const state = await incidentState(c.var.db, id);
    if (!state) return notFound(c, `事件 ${id} 不存在`);
    const [detail] = await c.var.db.rows<{ category_code: string; major: string; minor: string; source: string; reporter: string | null; description: string | null; grid_code: string | null; community_code: string | null; street_code: string | null; lon: number; lat: number }>(sql`
      SELECT i.category_code, c.major, c.minor, i.source, i.reporter, i.description, i.grid_code, i.community_code, i.street_code, ST_X(i.geom) AS lon, ST_Y(i.geom) AS lat
      FROM incidents i JOIN incident_categories c ON c.code = i.category_code WHERE i.id = ${id}`);
    const d = detail!;
    return c.json({
      ...stateJson(state),
      category: { code: d.category_code, major: d.major, minor: d.minor },
      source: d.source,
      reporter: d.reporter,
      description: d.description,
      gridCode: d.grid_code,
      communityCode: d.community_code,
      streetCode: d.street_code,
      position: [Number(d.lon), Number(d.lat)] as [number, number],
      transitions: await incidentHistory(c.var.db, id),
    });
  })
  .post('/:id/transitions', zValidator('param', idParam, invalidInput), zValidator('json', transitionBody, invalidInput), async (c) => {
    const { id } = c.req.valid('param');
    return outcome(c, await transition(c.var.db, id, c.req.valid('json')), id);
  })
  .post('/:id/extension', zValidator('param', idParam, invalidInput), zValidator('json', extensionBody, invalidInput), async (c) => {
    const { id } = c.req.valid('param');
    return outcome(c, await extendDeadline(c.var.db, id, c.req.valid('json')), id);
  })
  .post('/:id/escalation', zValidator('param', idParam, invalidInput), zValidator('json', escalationBody, invalidInput), async (c) => {
    const { id } = c.req.valid('param');
    return outcome(c, await escalate(c.var.db, id, c.req.valid('json')), id);
  })
  .post('/:id/suspension', zValidator('param', idParam, invalidInput), zValidator('json', suspensionBody, invalidInput), async (c) => {
    const { id } = c.req.valid('param');
    return outcome(c, await setSuspended(c.var.db, id, c.req.valid('json')), id);
  });
