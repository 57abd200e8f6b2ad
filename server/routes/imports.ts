/**
 * POST /api/exports/imports?dryRun=true|false&format=geojson|shp|gpkg&mapping=code:WGBM,name:WGMC
 * Body: the file, raw (any content type) or as multipart/form-data field `file`.
 * 200 with the report for a dry run or a successful commit; 422 with the report
 * when the file has errors (nothing written); 400/403/413/415 for unusable input.
 * The work is in server/exports/imports/; its errors are DomainErrors.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../appEnv';
import { importGrids } from '../exports/imports/importGrids';
import { IMPORT_MAX_BYTES, importParameters, readUpload, uploadTooLarge } from '../exports/imports/upload';

export const importsRoute = new Hono<AppEnv>().post(
  '/',
  bodyLimit({
    maxSize: IMPORT_MAX_BYTES,
    onError: () => {
      throw uploadTooLarge();
    },
  }),
  async (c) => {
    const parameters = importParameters(c.req.query());
    const { bytes, fileName } = await readUpload(c.req.raw);
    const user = c.var.user;
    const report = await importGrids(c.var.db, bytes, { ...parameters, actor: user?.displayName ?? user?.username ?? '未知用户', user, fileName });
    return c.json(report, 200);
  },
);
