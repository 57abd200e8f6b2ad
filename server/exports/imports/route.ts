/**
 * POST /api/exports/imports?dryRun=true|false&format=geojson|shp|gpkg&mapping=code:WGBM,name:WGMC
 * Body: the file, raw (any content type) or as multipart/form-data field `file`.
 * 200 with the report for a dry run or a successful commit; 422 with the report
 * when the file has errors (nothing written); 400/413/415 for unreadable input.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../../appEnv';
import { problem } from '../../http/problem';
import { ImportError } from './importError';
import { importGrids } from './importGrids';
import { parseMapping } from './prepare';

export const IMPORT_MAX_BYTES = 50 * 1024 * 1024;

export const importRoute = new Hono<AppEnv>().post(
  '/',
  bodyLimit({
    maxSize: IMPORT_MAX_BYTES,
    onError: (c) =>
      problem(c, 413, '文件过大', `导入文件不能超过 ${IMPORT_MAX_BYTES / 1024 / 1024} MB`, { errors: [{ field: 'file', reason: '文件过大' }] }),
  }),
  async (c) => {
    const dryRunText = c.req.query('dryRun') ?? 'true';
    if (dryRunText !== 'true' && dryRunText !== 'false') {
      return problem(c, 400, '请求参数无效', 'dryRun 应为 true 或 false', { errors: [{ field: 'dryRun', reason: 'dryRun 应为 true 或 false' }] });
    }
    const mapping = parseMapping(c.req.query('mapping'));
    if (typeof mapping === 'string') return problem(c, 400, '请求参数无效', mapping, { errors: [{ field: 'mapping', reason: mapping }] });

    let bytes: Uint8Array;
    let fileName: string | undefined;
    if ((c.req.header('content-type') ?? '').startsWith('multipart/form-data')) {
      const form = await c.req.formData().catch(() => null);
      const file = form?.get('file');
      if (!file || typeof file === 'string') {
        return problem(c, 400, '请求参数无效', '表单中缺少文件字段 file', { errors: [{ field: 'file', reason: '缺少文件' }] });
      }
      bytes = new Uint8Array(await file.arrayBuffer());
      fileName = file.name;
    } else {
      bytes = new Uint8Array(await c.req.arrayBuffer());
    }
    if (bytes.length === 0) return problem(c, 400, '请求参数无效', '没有上传文件', { errors: [{ field: 'file', reason: '文件为空' }] });

    try {
      const report = await importGrids(c.var.db, bytes, {
        dryRun: dryRunText === 'true',
        format: c.req.query('format') || undefined,
        mapping,
        actor: c.var.user?.displayName ?? c.var.user?.username ?? '未知用户',
        user: c.var.user,
        fileName,
      });
      if (report.errors > 0) return problem(c, 422, '导入文件有错误', `${report.errors} 个错误，未写入任何数据`, { report });
      return c.json(report);
    } catch (err) {
      if (err instanceof ImportError) return problem(c, err.status, err.title, err.message, { errors: err.errors });
      throw err;
    }
  },
);
