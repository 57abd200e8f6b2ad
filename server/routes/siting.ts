/**
 * 选址分析 (issue 19): what-if candidates, suggested sites, the priority map and
 * named scenarios (per user). Nothing here changes facilities or coverage.
 *   POST /what-if                 { candidates: [{ name, kind, position }], kind?, speed? }
 *   GET  /suggest?kind=&count=&categories=&incidentWeight=&region=&maxCandidates=&source=nodes|estates|hexagons&hexM=
 *   GET  /priority?kind=&categories=&region=&format=json|csv
 *   GET/POST /scenarios, GET /scenarios/compare?ids=1,2, GET/DELETE /scenarios/:id,
 *   GET  /scenarios/:id/export?format=csv|geojson
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { facilityKindParam } from '../coverage/centres';
import { decimalString, integerList, jsonBody, regionCodeParam, speedParam } from '../coverage/requestInput';
import { DEFAULT_SPEED_M_PER_MIN } from '../coverage/walking';
import { integerString } from '../http/params';
import { invalidInput } from '../http/problem';
import { priorityCommunities } from '../siting/priority';
import { candidatesSchema, deleteScenario, getScenario, listScenarios, saveScenario, scenarioBody } from '../siting/scenarios';
import { scenarioCsv, scenarioGeoJson, priorityCsv } from '../siting/sitingExports';
import { CANDIDATE_SOURCES, DEFAULT_HEX_M, suggestSites } from '../siting/suggest';
import { whatIf } from '../siting/whatIf';

const kindFilter = z
  .union([z.literal('all'), facilityKindParam])
  .optional()
  .transform((v) => (v === 'all' ? undefined : v));
const categoriesParam = z
  .string()
  .regex(/^[0-9A-Za-z_-]+(,[0-9A-Za-z_-]+)*$/, 'categories 应为逗号分隔的事件类别代码')
  .optional()
  .transform((v) => (v ? v.split(',') : []));
const whatIfBody = z.strictObject({ candidates: candidatesSchema, kind: kindFilter, speed: z.number().min(20).max(200).optional() });
const suggestQuery = z.object({
  kind: facilityKindParam,
  count: integerString('count', 1, 50)
    .optional()
    .transform((v) => v ?? 5),
  categories: categoriesParam,
  incidentWeight: decimalString('incidentWeight', 0, 1000)
    .optional()
    .transform((v) => v ?? 1),
  region: regionCodeParam.optional(),
  maxCandidates: integerString('maxCandidates', 1, 20_000)
    .optional()
    .transform((v) => v ?? 5000),
  source: z
    .enum(CANDIDATE_SOURCES, { error: 'source 应为 nodes（路网节点）、estates（小区中心）或 hexagons（六边形网格）' })
    .optional()
    .transform((v) => v ?? 'nodes'),
  hexM: integerString('hexM', 100, 5000)
    .optional()
    .transform((v) => v ?? DEFAULT_HEX_M),
  speed: speedParam,
});
const priorityQuery = z.object({ kind: kindFilter, categories: categoriesParam, region: regionCodeParam.optional(), speed: speedParam, format: z.enum(['json', 'csv'], { error: 'format 应为 json 或 csv' }).optional() });
const idParam = z.object({ id: integerString('id', 1, 2_147_483_647) });
const compareQuery = z.object({ ids: integerList('ids', 1, 2_147_483_647, 6), kind: kindFilter });
const exportQuery = z.object({ format: z.enum(['csv', 'geojson'], { error: 'format 应为 csv 或 geojson' }), kind: kindFilter });

const owner = (c: { var: { user: { username: string } | null } }) => c.var.user?.username ?? '(未登录)';

export const sitingRoute = new Hono<AppEnv>()
  .post('/what-if', jsonBody(whatIfBody), async (c) => {
    const { candidates, kind, speed } = c.req.valid('json');
    return c.json(await whatIf(c.var.db, candidates, { kind, speedMPerMin: speed ?? DEFAULT_SPEED_M_PER_MIN }), 200);
  })
  .get('/suggest', zValidator('query', suggestQuery, invalidInput), async (c) => {
    const q = c.req.valid('query');
    return c.json(await suggestSites(c.var.db, { ...q, speedMPerMin: q.speed, exactUpTo: 3 }), 200);
  })
  .get('/priority', zValidator('query', priorityQuery, invalidInput), async (c) => {
    const q = c.req.valid('query');
    const rows = await priorityCommunities(c.var.db, { kind: q.kind, categories: q.categories, region: q.region, speedMPerMin: q.speed, incidentWeight: 0 });
    if (q.format === 'csv') return c.body(priorityCsv(rows), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="priority.csv"' });
    return c.json({ kind: q.kind ?? 'all', categories: q.categories, rows }, 200);
  })
  .get('/scenarios', async (c) => c.json({ scenarios: await listScenarios(c.var.db, owner(c)) }, 200))
  .post('/scenarios', jsonBody(scenarioBody), async (c) => c.json(await saveScenario(c.var.db, owner(c), c.req.valid('json')), 201))
  .get('/scenarios/compare', zValidator('query', compareQuery, invalidInput), async (c) => {
    const { ids, kind } = c.req.valid('query');
    const rows = [];
    for (const id of ids) {
      const scenario = await getScenario(c.var.db, owner(c), id);
      const result = await whatIf(c.var.db, scenario.candidates, { kind, speedMPerMin: DEFAULT_SPEED_M_PER_MIN });
      rows.push({ scenario, total: result.total, communities: result.communities, streets: result.streets });
    }
    return c.json({ scenarios: rows }, 200);
  })
  .get('/scenarios/:id', zValidator('param', idParam, invalidInput), async (c) => c.json(await getScenario(c.var.db, owner(c), c.req.valid('param').id), 200))
  .get('/scenarios/:id/export', zValidator('param', idParam, invalidInput), zValidator('query', exportQuery, invalidInput), async (c) => {
    const scenario = await getScenario(c.var.db, owner(c), c.req.valid('param').id);
    const { format, kind } = c.req.valid('query');
    const result = await whatIf(c.var.db, scenario.candidates, { kind, speedMPerMin: DEFAULT_SPEED_M_PER_MIN });
    const file = `scenario-${scenario.id}`;
    if (format === 'csv') return c.body(scenarioCsv(result), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${file}.csv"` });
    return c.body(JSON.stringify(scenarioGeoJson(scenario.name, result)), 200, { 'content-type': 'application/geo+json', 'content-disposition': `attachment; filename="${file}.geojson"` });
  })
  .delete('/scenarios/:id', zValidator('param', idParam, invalidInput), async (c) => {
    await deleteScenario(c.var.db, owner(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
