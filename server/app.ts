/**
 * The HTTP API. Each router is a small module mounted here; the chained type
 * `AppType` gives the web client (hc<AppType>) the same request/response types.
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ClientErrorStatusCode } from 'hono/utils/http-status';
import type { DbHandle } from '../db/client';
import type { AppEnv } from './appEnv';
import { auditMiddleware } from './audit/auditMiddleware';
import { authMiddleware } from './auth/authMiddleware';
import type { SessionUser } from '../kernel/roles';
import { parseTrustProxy } from './auth/clientAddress';
import { LoginLimiter } from './auth/loginLimiter';
import { basemapFromEnv } from './routes/config';
import { bodyLimits, jsonBodiesOnly, jsonDepthGuard, securityHeaders } from './http/hardening';
import { malformedJsonFrom } from './http/malformedJson';
import { sameOriginWrites } from './http/origin';
import { DomainError } from './http/domainError';
import { problem } from './http/problem';
import { auditRoute } from './routes/audit';
import { authRoute } from './routes/auth';
import { usersRoute } from './routes/users';
import { calendarRoute } from './routes/calendar';
import { categoryDeadlinesRoute } from './routes/categoryDeadlines';
import { centresRoute } from './routes/centres';
import { configRoute } from './routes/config';
import { coverageRoute } from './routes/coverage';
import { sitingRoute } from './routes/siting';
import { demonstrationsRoute } from './routes/demonstrations';
import { exportsRoute } from './routes/exports';
import { buildingsRoute } from './routes/buildings';
import { gridEditsRoute } from './routes/gridEdits';
import { gridsRoute } from './routes/grids';
import { levelsRoute } from './routes/levels';
import { fusionRoute } from './routes/fusion';
import { foreignImportsRoute } from './routes/foreignImports';
import { historyRoute } from './routes/history';
import { healthRoute } from './routes/health';
import { importsRoute } from './routes/imports';
import { dataImportsRoute } from './routes/dataImports';
import { partyRoute } from './routes/party';
import { publicGridsRoute } from './routes/publicGrids';
import { hotlineRoute } from './routes/hotline';
import { incidentsRoute } from './routes/incidents';
import { photosRoute } from './routes/photos';
import { patrolsRoute } from './routes/patrols';
import { visitsRoute } from './routes/visits';
import { meRoute } from './routes/me';
import { departmentsRoute } from './routes/departments';
import { publicRevisitRoute } from './routes/publicRevisit';
import { liveRoute } from './routes/live';
import { regionsRoute } from './routes/regions';
import { screenRoute } from './routes/screen';
import { figuresRoute } from './routes/figures';
import { scorecardsRoute } from './routes/scorecards';
import { briefingsRoute } from './routes/briefings';
import { tilesRoute } from './routes/tiles';
import { dualReportRoute } from './routes/dualReport';
import { serviceListsRoute } from './routes/serviceLists';
import { starsRoute } from './routes/stars';
import { wishesRoute } from './routes/wishes';
import { sharedTileCache, type TileCache } from './tiles/tileCache';

/** Errors that mean "the database is not reachable right now", not "your request was wrong". */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006']);
const UNAVAILABLE_MESSAGES = /Connection terminated|connection error|Connection refused|server closed the connection|timeout exceeded when trying to connect/i;

export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err as { code?: string; message?: string; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if ((e.code && UNAVAILABLE_CODES.has(e.code)) || (e.message && UNAVAILABLE_MESSAGES.test(e.message))) return true;
  }
  return false;
}

export interface AppOptions {
  /**
   * Proxies whose X-Forwarded-For is believed (addresses/CIDRs, as in TRUST_PROXY, which
   * is the default); from anyone else the header is ignored and the socket address counts.
   */
  trustProxy?: string;
  /** Tests only: a sign-in limiter with its own clock. */
  loginLimiter?: LoginLimiter;
  /**
   * Tests and benchmarks only: who a request without a session counts as. Production
   * (server/main.ts) never sets it, so there every data route needs a signed-in user.
   */
  anonymousUser?: SessionUser | null;
  /**
   * The rendered-tile cache; default: the process's cache for this database, configured by
   * TILE_CACHE_MB / TILE_CACHE_DIR (server/tiles/tileCache.ts). null renders every request.
   */
  tileCache?: TileCache | null;
}

export function createApp(db: DbHandle, options: AppOptions = {}) {
  const trustedProxies = parseTrustProxy(options.trustProxy ?? process.env.TRUST_PROXY);
  const limiter = options.loginLimiter ?? new LoginLimiter();
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    c.set('db', db);
    c.set('user', null);
    await next();
  });
  const basemap = basemapFromEnv();
  app.use(securityHeaders(basemap.tiles?.map((t) => new URL(t.replace(/\{[a-z]\}/g, '0')).origin) ?? []));
  // Audit wraps access control and the request checks, so refused attempts (403, 413, 415, too deep) are recorded too.
  app.use('/api/*', auditMiddleware());
  app.use(authMiddleware(options.anonymousUser ?? null));
  app.use(sameOriginWrites());
  app.use('/api/*', bodyLimits(), jsonBodiesOnly(), jsonDepthGuard());
  app.onError(async (thrown, c) => {
    // Hono's json validator says "Malformed JSON" in English; the same refusal in our words.
    const err = (await malformedJsonFrom(thrown, c)) ?? thrown;
    if (err instanceof DomainError) return problem(c, err.status, err.title, err.message, err.extra);
    if (err instanceof HTTPException && err.status < 500) return problem(c, err.status as ClientErrorStatusCode, '请求无效', err.message || '请求格式错误');
    if (err instanceof RangeError && /call stack/i.test(err.message)) return problem(c, 400, '请求参数无效', '请求内容嵌套过深');
    if (isDatabaseUnavailable(err)) return problem(c, 503, '服务暂不可用', '数据库暂时无法连接，请稍后重试');
    console.error(`${c.req.method} ${c.req.path}:`, err);
    // No stack traces or SQL reach the client.
    return problem(c, 500, '服务器内部错误', '请求处理失败，请稍后重试');
  });
  app.notFound((c) => problem(c, 404, '未找到', `没有 ${c.req.path} 这个地址`));
  return (
    app
      .route('/api/auth', authRoute({ limiter, trustedProxies }))
      .route('/api/users', usersRoute)
      .route('/api/audit', auditRoute)
      .route('/api/health', healthRoute)
      .route('/api/config', configRoute)
      .route('/api/regions', regionsRoute)
      .route('/api/grids', gridsRoute)
      .route('/api/grids', gridEditsRoute)
      .route('/api/buildings', buildingsRoute)
      .route('/api/centres', centresRoute)
      .route('/api/coverage', coverageRoute)
      .route('/api/siting', sitingRoute)
      .route('/api/incidents/categories', categoryDeadlinesRoute)
      // Before /api/incidents, whose /:id would take `events` for an id.
      .route('/api/incidents/events', liveRoute)
      .route('/api/incidents', incidentsRoute)
      .route('/api', photosRoute)
      .route('/api/departments', departmentsRoute)
      .route('/api/public/revisit', publicRevisitRoute)
      .route('/api/calendar', calendarRoute)
      .route('/api/hotline', hotlineRoute)
      .route('/api/exports', exportsRoute)
      .route('/api/exports/imports/networks', foreignImportsRoute)
      .route('/api/exports/imports', importsRoute)
      .route('/api/imports', dataImportsRoute)
      .route('/api/party', partyRoute)
      .route('/api/public/grids', publicGridsRoute)
      .route('/api/levels', levelsRoute)
      .route('/api/fusion', fusionRoute)
      .route('/api/history', historyRoute)
      .route('/api/screen', screenRoute)
      .route('/api/demonstrations', demonstrationsRoute)
      .route('/api/patrols', patrolsRoute)
      .route('/api/visits', visitsRoute)
      .route('/api/me', meRoute)
      .route('/api/dual-report', dualReportRoute)
      .route('/api/service-lists', serviceListsRoute)
      .route('/api/wishes', wishesRoute)
      .route('/api/stars', starsRoute)
      .route('/api/figures', figuresRoute)
      .route('/api/scorecards', scorecardsRoute)
      .route('/api/briefings', briefingsRoute)
      .route('/tiles', tilesRoute(options.tileCache === undefined ? sharedTileCache(db) : options.tileCache))
  );
}

export type AppType = ReturnType<typeof createApp>;
