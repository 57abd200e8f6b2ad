/**
 * POST /api/exports/imports?dryRun=true|false&format=geojson|shp|gpkg&mapping=code:WGBM,name:WGMC
 * Body: the file, raw (any content type) or as multipart/form-data field `file`.
 * 200 with the report for a dry run or a successful commit; 422 with the report
 * when the file has errors (nothing written); 400/403/413/415 for unusable input.
 * The work is in server/exports/imports/; its errors are DomainErrors. The body
 * is not read here: it streams to the import worker (413 past IMPORT_MAX_BYTES).
 */
import { Hono } from 'hono';
import type { AppEnv } from '../appEnv';
import { importGrids } from '../exports/imports/importGrids';
import { importParameters, uploadStream } from '../exports/imports/upload';

export const importsRoute = new Hono<AppEnv>().post('/', async (c) => {
  const parameters = importParameters(c.req.query());
  const user = c.var.user;
  const report = await importGrids(c.var.db, uploadStream(c.req.raw), { ...parameters, actor: user?.displayName ?? user?.username ?? '未知用户', user });
  return c.json(report, 200);
});
