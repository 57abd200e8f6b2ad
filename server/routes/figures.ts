/**
 * /api/figures — every figure of the big screen and the KPI dashboards, openable
 * (server/figures/*):
 *  GET /                              the registry (id, name, definition, where shown)
 *  GET /:id?scope=&from=&to=&month=&region=  definition + filter + value
 *  GET /:id/records?…&page=&pageSize=         the records behind it, paged
 *  GET /:id/export?…&format=csv|xlsx          exactly those records as a file
 * Without from/to the period is the current calendar month (China time), as on the screen.
 * A chart point opens with `month` (YYYY-MM, one of the trend's months; instead of from/to)
 * and a child bar with `region` (a region below `scope`), see server/figures/figureParams.ts;
 * a 示范评估 cell with `communities=<12-digit>,…&cohort=group|rest` and its window's from/to.
 * 400: malformed parameters; 422: a month or region that does not belong to the figure or
 * the scope; 403: records of a region outside the reader's jurisdiction; 404: unknown figure.
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { figureCsv, FIGURE_EXPORT_FORMATS, figureFileName, figureXlsx } from '../figures/figureExport';
import { figureExportRows, figureRecords, figureValue, PAGE_SIZE_MAX } from '../figures/figureQuery';
import { type FigureRequest, resolveFigureParams } from '../figures/figureParams';
import { FIGURES, type FigureParams } from '../figures/registry';
import { ForbiddenError } from '../http/domainError';
import { isoInstantParam } from '../http/params';
import { invalidInput } from '../http/problem';
import { regionCodeParam } from '../incidents/filters';

const idParam = z.object({ id: z.string().regex(/^[a-zA-Z0-9.]{1,60}$/, '指标编号只含字母、数字和点') });
const periodFields = {
  scope: regionCodeParam.optional(),
  from: isoInstantParam('from').optional(),
  to: isoInstantParam('to').optional(),
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month 应为 YYYY-MM（中国时间的月份），如 2026-05')
    .optional(),
  region: regionCodeParam.optional(),
  communities: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .refine((v) => v.length >= 1 && v.length <= 500 && v.every((x) => /^\d{12}$/.test(x)), 'communities 应为 12 位社区代码，逗号分隔，1 至 500 个')
    .optional(),
  cohort: z.enum(['group', 'rest'], { error: 'cohort 应为 group（示范社区）或 rest（其余社区）' }).optional(),
};
type Period = { from?: Date; to?: Date; month?: string; scope?: string; region?: string; communities?: string[]; cohort?: 'group' | 'rest' };
type Check = [(q: Period) => boolean, { message: string; path: string[] }];
const fromBeforeTo: Check = [(q) => !q.from || !q.to || q.from < q.to, { message: 'from 应早于 to', path: ['to'] }];
const monthOrPeriod: Check = [(q) => !q.month || (!q.from && !q.to), { message: 'month 与 from/to 不能同时给出', path: ['month'] }];
const cohortPair: Check = [(q) => (q.communities === undefined) === (q.cohort === undefined), { message: 'communities 与 cohort 应同时给出', path: ['cohort'] }];
const cohortAlone: Check = [(q) => !q.communities || (!q.scope && !q.region), { message: 'communities 与 scope/region 不能同时给出（示范社区属于全市）', path: ['communities'] }];
const figureQuery = z
  .object(periodFields)
  .refine(...fromBeforeTo)
  .refine(...monthOrPeriod)
  .refine(...cohortPair)
  .refine(...cohortAlone);
const recordsQuery = z
  .object({
    ...periodFields,
    page: z.coerce.number().int('page 应为整数').min(1, 'page 从 1 开始').default(1),
    pageSize: z.coerce.number().int('pageSize 应为整数').min(1).max(PAGE_SIZE_MAX, `pageSize 最大 ${PAGE_SIZE_MAX}`).default(50),
  })
  .refine(...fromBeforeTo)
  .refine(...monthOrPeriod)
  .refine(...cohortPair)
  .refine(...cohortAlone);
const exportQuery = z
  .object({ ...periodFields, format: z.enum(FIGURE_EXPORT_FORMATS, { error: 'format 应为 csv 或 xlsx' }).default('csv') })
  .refine(...fromBeforeTo)
  .refine(...monthOrPeriod)
  .refine(...cohortPair)
  .refine(...cohortAlone);

/** The one set of parameters of this request, on the server clock. */
const paramsOf = (c: { var: AppEnv['Variables'] }, id: string, q: FigureRequest): Promise<FigureParams> => resolveFigureParams(c.var.db, id, q, new Date());

const signedIn = (user: AppEnv['Variables']['user']) => {
  if (!user) throw new ForbiddenError('请先登录');
  return user;
};

export const figuresRoute = new Hono<AppEnv>()
  .get('/', (c) => c.json({ figures: FIGURES.map((f) => ({ id: f.id, name: f.name, kind: f.kind, shownOn: f.shownOn, definition: f.definition })) }, 200))
  .get('/:id', zValidator('param', idParam, invalidInput), zValidator('query', figureQuery, invalidInput), async (c) =>
    c.json(await figureValue(c.var.db, c.req.valid('param').id, await paramsOf(c, c.req.valid('param').id, c.req.valid('query'))), 200),
  )
  .get('/:id/records', zValidator('param', idParam, invalidInput), zValidator('query', recordsQuery, invalidInput), async (c) => {
    const { page, pageSize } = c.req.valid('query');
    const p = await paramsOf(c, c.req.valid('param').id, c.req.valid('query'));
    return c.json(await figureRecords(c.var.db, c.req.valid('param').id, p, signedIn(c.var.user), page, pageSize), 200);
  })
  .get('/:id/export', zValidator('param', idParam, invalidInput), zValidator('query', exportQuery, invalidInput), async (c) => {
    const { format } = c.req.valid('query');
    const id = c.req.valid('param').id;
    const p = await paramsOf(c, id, c.req.valid('query'));
    const { figure, columns, rows } = await figureExportRows(c.var.db, id, p, signedIn(c.var.user));
    const body = format === 'csv' ? figureCsv(columns, rows) : await figureXlsx(figure.name, columns, rows);
    const cohort = p.cohort ? (p.cohort.rest ? '-其余社区' : '-示范社区') : '';
    const display = `${figure.name}-${figure.filter.scopeName.split(' / ').pop()}${cohort}${p.month ? `-${p.month}` : ''}.${format}`;
    return c.body(new Uint8Array(body), 200, {
      'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="${figureFileName(id, p.scope, format, p.month)}"; filename*=UTF-8''${encodeURIComponent(display)}`,
      'X-Record-Count': String(rows.length),
      'Access-Control-Expose-Headers': 'Content-Disposition, X-Record-Count',
    });
  });
