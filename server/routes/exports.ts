/**
 * Layer export.
 *  GET  /api/exports/layers                 layers, field mapping (Shapefile names), formats, CRSs
 *  GET  /api/exports/:layer/count           feature count for a filter (progress bars)
 *  GET  /api/exports/:layer?format=&crs=&region=&from=&to=   streamed download
 * The grid import (POST /api/exports/imports) is routes/imports.ts. The work is in
 * server/exports/; refusals are DomainErrors answered by app.onError.
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import type { AppEnv } from '../appEnv';
import { exportCatalogue } from '../exports/catalogue';
import { toReadableStream } from '../exports/exportLayer';
import { countLayer, exportDownload, exportRequest } from '../exports/exportRequest';
import { exportQuery, layerParam } from '../exports/params';
import { invalidInput } from '../http/problem';

export const exportsRoute = new Hono<AppEnv>()
  .get('/layers', (c) => c.json(exportCatalogue(), 200))
  .get('/:layer/count', zValidator('param', layerParam, invalidInput), zValidator('query', exportQuery, invalidInput), async (c) => {
    const { region, from, to } = c.req.valid('query');
    return c.json(await countLayer(c.var.db, c.req.valid('param').layer, { region, from, to }), 200);
  })
  .get('/:layer', zValidator('param', layerParam, invalidInput), zValidator('query', exportQuery, invalidInput), async (c) => {
    const request = exportRequest(c.req.valid('param').layer, c.req.valid('query'), c.var.user, c.req.raw.signal);
    const { chunks, headers } = await exportDownload(c.var.db, request);
    return c.body(toReadableStream(chunks), 200, headers);
  });
