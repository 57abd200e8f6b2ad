/**
 * Node entry: opens the database (embedded PGlite unless DATABASE_URL is set),
 * loads sample data on first start, serves the API, tiles and the built web app,
 * and runs the background work: walking circles kept computed, the big screen's
 * city figures kept warm.
 */
import { serve } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../db/client';
import { ensureSampleData } from '../data/ensureSample';
import { createApp } from './app';
import { startHotlineWebhooks } from './hotline/webhooks';
import { ensureFirstAdmin, ensureSampleUsers, SAMPLE_PASSWORD, SAMPLE_USERS } from './auth/users';
import { startIsochroneJob } from './coverage/isochroneJob';
import { startSitingWarmer } from './siting/sitingWarmer';
import { startSummaryRefresher } from './screen/summaryCache';
import { startBriefingScheduler } from './briefings/briefingScheduler';
import { serveWeb } from './serveWeb';

const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '127.0.0.1';

const started = Date.now();
console.log(process.env.DATABASE_URL ? '连接 PostGIS 数据库…' : '启动内置数据库（PGlite + PostGIS）…');
const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL, embeddedDir: process.env.PGLITE_DIR });
await ensureSampleData(db, undefined, (line) => console.log(line));
await ensureFirstAdmin(db, process.env, (line) => console.log(line));
const [dataset] = await db.rows<{ value: { sample?: boolean } }>(sql`SELECT value FROM meta WHERE key = 'dataset'`);
if (dataset?.value.sample) {
  await ensureSampleUsers(db);
  console.log(`示例账号（仅用于示例数据，见 README）：${SAMPLE_USERS.map((u) => u.username).join(' / ')}，密码 ${SAMPLE_PASSWORD}`);
}

const app = createApp(db);
// Outbound 12345 webhooks, when HOTLINE_WEBHOOK_URL is set (server/hotline/webhooks.ts).
const webhooks = startHotlineWebhooks(db);
if (webhooks) console.log(`12345 热线回调已启用：${webhooks.config.url}`);
if (!serveWeb(app)) console.warn('web/dist 不存在：先运行 npm run build（npm start 会自动构建）');

const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
  console.log(`党建版图已启动（${db.kind === 'embedded' ? '内置数据库' : 'PostGIS'}，${((Date.now() - started) / 1000).toFixed(1)} 秒）：http://${host}:${info.port}/`);
});

// After the server listens: the first requests need not wait for either.
const circles = startIsochroneJob(db);
// 选址分析: the city's coverage state and the default suggestion's reach table, after the circles (server/siting/sitingWarmer.ts).
const siting = startSitingWarmer(db);
const stopRefresher = startSummaryRefresher(db);
// 月报: catch-up for missing past months now, then the 1st of each month (server/briefings/briefingScheduler.ts).
const stopBriefings = startBriefingScheduler(db);

const shutdown = async () => {
  server.close();
  await webhooks?.stop();
  stopRefresher();
  stopBriefings();
  await siting.stop();
  await circles.stop();
  await db.close();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
