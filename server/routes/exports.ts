/**
 * Layer export and grid import (issue 7).
 *  GET  /api/exports/layers                 layers, field mapping (Shapefile names), formats, CRSs
 *  GET  /api/exports/:layer/count           feature count for a filter (progress bars)
 *  GET  /api/exports/:layer?format=&crs=&region=&from=&to=   streamed download
 *  POST /api/exports/imports?dryRun=true|false&format=&mapping=   grid import (see server/exports/imports)
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import type { AppEnv } from '../appEnv';
import { CRS_IDS, resolveCrs } from '../exports/crs/projections';
import { exportFileName, prepareExport, toReadableStream } from '../exports/exportLayer';
import { findFormat, FORMATS } from '../exports/formats';
import { importRoute } from '../exports/imports/route';
import { describeLayers, findLayer } from '../exports/layers';
import { exportQuery, layerParam } from '../exports/params';
import { invalidInput, problem } from '../http/problem';
import { countFeatures } from '../exports/source';

export const exportsRoute = new Hono<AppEnv>()
  .get('/layers', (c) =>
    c.json({
      layers: describeLayers(),
      formats: FORMATS.map((f) => ({ id: f.id, title: f.title, extension: f.extension, streaming: f.streaming })),
      crs: CRS_IDS.map((id) => {
        const crs = resolveCrs(id)!;
        return { id, epsg: crs.epsg, name: crs.name, geographic: crs.geographic };
      }),
    }),
  )
  .route('/imports', importRoute)
  .get('/:layer/count', zValidator('param', layerParam, invalidInput), zValidator('query', exportQuery, invalidInput), async (c) => {
    const layer = findLayer(c.req.valid('param').layer);
    if (!layer) return problem(c, 404, '未找到', `没有 ${c.req.valid('param').layer} 这个图层`);
    const { region, from, to } = c.req.valid('query');
    return c.json({ layer: layer.name, count: await countFeatures(c.var.db, layer, { region, from, to }) });
  })
  .get('/:layer', zValidator('param', layerParam, invalidInput), zValidator('query', exportQuery, invalidInput), async (c) => {
    const name = c.req.valid('param').layer;
    const layer = findLayer(name);
    if (!layer) return problem(c, 404, '未找到', `没有 ${name} 这个图层`);
    const query = c.req.valid('query');
    const format = findFormat(query.format)!;
    const crs = resolveCrs(query.crs)!;
    const rejected = format.rejectCrs(crs);
    if (rejected) return problem(c, 400, '请求参数无效', rejected, { errors: [{ field: 'crs', reason: rejected }] });
    if (!layer.timeFilter && (query.from || query.to)) {
      const reason = `图层 ${layer.title} 没有时间属性，不能按 from/to 筛选`;
      return problem(c, 400, '请求参数无效', reason, { errors: [{ field: query.from ? 'from' : 'to', reason }] });
    }
    const request = { layer, format, crs, filter: { region: query.region, from: query.from, to: query.to }, signal: c.req.raw.signal };
    const prepared = await prepareExport(c.var.db, request);
    const { fileName, displayName } = exportFileName(request);
    return c.body(toReadableStream(prepared.chunks), 200, {
      'Content-Type': format.contentType,
      'Content-Disposition': `attachment; filename="${fileName}"; filename*=UTF-8''${encodeURIComponent(displayName)}`,
      'X-Feature-Count': String(prepared.featureCount),
      'X-CRS': crs.epsg ? `EPSG:${crs.epsg}` : crs.name,
      'Access-Control-Expose-Headers': 'Content-Disposition, X-Feature-Count, X-CRS',
      'Cache-Control': 'no-store',
    });
  });
