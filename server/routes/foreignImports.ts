/**
 * POST /api/exports/imports/networks?name=&department=综治|城管|公安|其他&format=geojson|shp|gpkg
 * Body: the file (raw or multipart field `file`), read by the grid import's readers and stored
 * as it is as a new foreign network (server/fusion/networks.ts). Under the imports path, so the
 * upload limits and the editors-only write rule of the grid import apply.
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../appEnv';
import { FOREIGN_DEPARTMENTS, importForeignNetwork } from '../fusion/networks';
import { safeName } from '../http/params';
import { invalidInput } from '../http/problem';

const query = z.object({
  name: safeName('网格体系名称', 60),
  department: z.enum(FOREIGN_DEPARTMENTS, { message: `department 应为 ${FOREIGN_DEPARTMENTS.join('、')}` }),
  format: z.enum(['geojson', 'shp', 'gpkg'], { message: 'format 应为 geojson、shp 或 gpkg' }).optional(),
});

export const foreignImportsRoute = new Hono<AppEnv>().post('/', zValidator('query', query, invalidInput), async (c) => {
  const { name, department, format } = c.req.valid('query');
  const user = c.var.user;
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  return c.json(await importForeignNetwork(c.var.db, bytes, c.req.header('content-type') ?? '', { name, department, format, actor: user?.displayName ?? user?.username ?? '未知用户' }), 200);
});
