/**
 * /api/imports — table imports of the registered entities (server/imports/registry.ts):
 * GET / lists them with their columns; GET /:entity/template?format=csv|xlsx downloads a
 * template; POST /:entity?dryRun=true|false takes the file (raw body, or multipart field
 * `file`) and answers the report — 200 for a dry run or a commit, 422 when rows are bad.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../appEnv';
import { NotFoundError } from '../http/domainError';
import { IngestFormatError } from '../incidents/ingest';
import { IMPORT_ENTITIES, importEntity } from '../imports/registry';
import { runImport } from '../imports/runImport';
import { templateCsv, templateXlsx } from '../imports/templates';

function entityOr404(key: string) {
  const entity = importEntity(key);
  if (!entity) throw new NotFoundError(`没有可导入的对象“${key}”`);
  return entity;
}

async function uploadedBytes(req: Request): Promise<Uint8Array> {
  if ((req.headers.get('content-type') ?? '').startsWith('multipart/form-data')) {
    const form = await req.formData();
    const file = form.get('file');
    if (!(file instanceof Blob)) throw new IngestFormatError('表单缺少文件字段 file');
    return new Uint8Array(await file.arrayBuffer());
  }
  return new Uint8Array(await req.arrayBuffer());
}

export const dataImportsRoute = new Hono<AppEnv>()
  .get('/', (c) =>
    c.json(
      IMPORT_ENTITIES.map((e) => ({ key: e.key, label: e.label, columns: e.columns.map((col) => ({ key: col.key, header: col.header, required: !!col.required, note: col.note ?? null, example: col.example })) })),
      200,
    ),
  )
  .get('/:entity/template', async (c) => {
    const entity = entityOr404(c.req.param('entity'));
    const format = c.req.query('format') === 'xlsx' ? 'xlsx' : 'csv';
    const filename = encodeURIComponent(`${entity.label}导入模板.${format}`);
    const disposition = `attachment; filename="${entity.key}-template.${format}"; filename*=UTF-8''${filename}`;
    if (format === 'xlsx')
      return c.body((await templateXlsx(entity)) as unknown as ArrayBuffer, 200, { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'Content-Disposition': disposition });
    return c.body(templateCsv(entity), 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': disposition });
  })
  .post('/:entity', async (c) => {
    const entity = entityOr404(c.req.param('entity'));
    const dryRun = c.req.query('dryRun') !== 'false';
    const report = await runImport(c.var.db, entity, await uploadedBytes(c.req.raw), { dryRun, user: c.var.user ?? null });
    return c.json(report, 200);
  });
