/**
 * The HTTP API. Each router is a small module mounted here; the chained type
 * `AppType` gives the web client (hc<AppType>) the same request/response types.
 */
import { Hono } from 'hono';
import type { DbHandle } from '../db/client';
import type { AppEnv } from './appEnv';
import { problem } from './http/problem';
import { centresRoute } from './routes/centres';
import { configRoute } from './routes/config';
import { coverageRoute } from './routes/coverage';
import { exportsRoute } from './routes/exports';
import { gridEditsRoute } from './routes/gridEdits';
import { gridsRoute } from './routes/grids';
import { healthRoute } from './routes/health';
import { incidentsRoute } from './routes/incidents';
import { regionsRoute } from './routes/regions';
import { tilesRoute } from './routes/tiles';

/** Errors that mean "the database is not reachable right now", not "your request was wrong". */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', '57P01', '57P02', '57P03', '08000', '08003', '08006']);

export function createApp(db: DbHandle) {
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    c.set('db', db);
    await next();
  });
  app.onError((err, c) => {
    const code = (err as { code?: string }).code ?? (err as { cause?: { code?: string } }).cause?.code;
    if (code && UNAVAILABLE_CODES.has(code)) return problem(c, 503, '服务暂不可用', '数据库暂时无法连接，请稍后重试');
    console.error(`${c.req.method} ${c.req.path}:`, err);
    // No stack traces or SQL reach the client.
    return problem(c, 500, '服务器内部错误', '请求处理失败，请稍后重试');
  });
  app.notFound((c) => problem(c, 404, '未找到', `没有 ${c.req.path} 这个地址`));
  return app
    .route('/api/health', healthRoute)
    .route('/api/config', configRoute)
    .route('/api/regions', regionsRoute)
    .route('/api/grids', gridsRoute)
    .route('/api/grids', gridEditsRoute)
    .route('/api/centres', centresRoute)
    .route('/api/coverage', coverageRoute)
    .route('/api/incidents', incidentsRoute)
    .route('/api/exports', exportsRoute)
    .route('/tiles', tilesRoute);
}

export type AppType = ReturnType<typeof createApp>;
