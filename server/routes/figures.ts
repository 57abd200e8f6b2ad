/**
 * /api/figures — every figure of the big screen and the KPI dashboards, openable
 * (server/figures/*):
 *  GET /                              the registry (id, name, definition, where shown)
 *  GET /:id?scope=&from=&to=          definition + filter + value
 *  GET /:id/records?…&page=&pageSize= the records behind it, paged
 *  GET /:id/export?…&format=csv|xlsx  exactly those records as a file
 * Without from/to the period is the current calendar month (China time), as on the screen.
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { figureCsv, FIGURE_EXPORT_FORMATS, figureFileName, figureXlsx } from '../figures/figureExport';
import { figureExportRows, figureRecords, figureValue, PAGE_SIZE_MAX } from '../figures/figureQuery';
import { FIGURES, type FigureParams } from '../figures/registry';
import { rootRegionCode } from '../figures/rootRegion';
import { ForbiddenError } from '../http/domainError';
import { isoInstantParam } from '../http/params';
import { invalidInput } from '../http/problem';
import { regionCodeParam } from '../incidents/filters';
import { cstMonth } from '../screen/months';

const idParam = z.object({ id: z.string().regex(/^[a-zA-Z0-9.]{1,60}$/, '指标编号只含字母、数字和点') });
const periodFields = { scope: regionCodeParam.optional(), from: isoInstantParam('from').optional(), to: isoInstantParam('to').optional() };
const fromBeforeTo = [(q: { from?: Date; to?: Date }) => !q.from || !q.to || q.from < q.to, { message: 'from 应早于 to', path: ['to'] }] as [
  (q: { from?: Date; to?: Date }) => boolean,
  { message: string; path: string[] },
];
const figureQuery = z.object(periodFields).refine(...fromBeforeTo);
const recordsQuery = z
  .object({
    ...periodFields,
    page: z.coerce.number().int('page 应为整数').min(1, 'page 从 1 开始').default(1),
    pageSize: z.coerce.number().int('pageSize 应为整数').min(1).max(PAGE_SIZE_MAX, `pageSize 最大 ${PAGE_SIZE_MAX}`).default(50),
  })
  .refine(...fromBeforeTo);
const exportQuery = z.object({ ...periodFields, format: z.enum(FIGURE_EXPORT_FORMATS, { error: 'format 应为 csv 或 xlsx' }).default('csv') }).refine(...fromBeforeTo);

type Query = z.infer<typeof figureQuery>;

async function paramsOf(c: { var: AppEnv['Variables'] }, q: Query): Promise<FigureParams> {
  const now = new Date();
  const month = cstMonth(now);
  const scope = q.scope ?? (await rootRegionCode(c.var.db));
  return { scope, from: q.from ?? month.start, to: q.to ?? month.end, now };
}

const signedIn = (user: AppEnv['Variables']['user']) => {
  if (!user) throw new ForbiddenError('请先登录');
  return user;
};

export const figuresRoute = new Hono<AppEnv>()
  .get('/', (c) => c.json({ figures: FIGURES.map((f) => ({ id: f.id, name: f.name, kind: f.kind, shownOn: f.shownOn, definition: f.definition })) }, 200))
  .get('/:id', zValidator('param', idParam, invalidInput), zValidator('query', figureQuery, invalidInput), async (c) =>
    c.json(await figureValue(c.var.db, c.req.valid('param').id, await paramsOf(c, c.req.valid('query'))), 200),
  )
  .get('/:id/records', zValidator('param', idParam, invalidInput), zValidator('query', recordsQuery, invalidInput), async (c) => {
    const { page, pageSize } = c.req.valid('query');
    const p = await paramsOf(c, c.req.valid('query'));
    return c.json(await figureRecords(c.var.db, c.req.valid('param').id, p, signedIn(c.var.user), page, pageSize), 200);
  })
  .get('/:id/export', zValidator('param', idParam, invalidInput), zValidator('query', exportQuery, invalidInput), async (c) => {
    const { format } = c.req.valid('query');
    const p = await paramsOf(c, c.req.valid('query'));
    const id = c.req.valid('param').id;
    const { figure, columns, rows } = await figureExportRows(c.var.db, id, p, signedIn(c.var.user));
    const body = format === 'csv' ? figureCsv(columns, rows) : await figureXlsx(figure.name, columns, rows);
    const display = `${figure.name}-${figure.filter.scopeName.split(' / ').pop()}.${format}`;
    return c.body(new Uint8Array(body), 200, {
      'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="${figureFileName(id, p.scope, format)}"; filename*=UTF-8''${encodeURIComponent(display)}`,
      'X-Record-Count': String(rows.length),
      'Access-Control-Expose-Headers': 'Content-Disposition, X-Record-Count',
    });
  });
