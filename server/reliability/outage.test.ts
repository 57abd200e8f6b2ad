/**
 * PostgreSQL going away while requests run: the server answers 503 problem details
 * meanwhile and serves again once the database is back, without being restarted.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type DbHandle } from '../../db/client';
import { openPostgisCopy, type TestDatabase } from '../testing/databases';
import { request } from '../testing/request';
import { startTcpProxy, type TcpProxy } from './tcpProxy';

// The embedded engine has no network to lose; CI always has PostGIS (globalSetup insists).
const onPostgis = inject('postgisTemplateUrl') !== null ? describe : describe.skip;

onPostgis('database outage on PostGIS', () => {
  let copy: TestDatabase;
  let proxy: TcpProxy;
  let db: DbHandle;

  beforeAll(async () => {
    copy = await openPostgisCopy();
    const target = new URL(copy.url!);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const viaProxy = new URL(copy.url!);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    db = await openDatabase({ databaseUrl: viaProxy.toString(), poolSize: 4 });
  });

  afterAll(async () => {
    await db?.close().catch(() => {});
    await proxy?.close();
    await copy?.dispose();
  });

  it('answers 503 while the database is unreachable and recovers by itself', async () => {
    const path = '/api/grids/450902005001001';
    const statuses = async (n: number) => Promise.all(Array.from({ length: n }, async () => (await request(db, path)).status));
    expect(await statuses(6)).toEqual(Array(6).fill(200));

    // Requests already in flight when the connection drops, and requests during the outage.
    const inFlight = statuses(6);
    await proxy.cut();
    const during = await statuses(6);
    const flight = await inFlight;
    expect(during.every((s) => s === 503)).toBe(true);
    expect(flight.every((s) => s === 200 || s === 503)).toBe(true);
    const res = await request(db, path);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ title: '服务暂不可用', status: 503 });

    await proxy.restore();
    await expect.poll(async () => (await request(db, path)).status, { timeout: 15_000, interval: 250 }).toBe(200);
    expect(await statuses(6)).toEqual(Array(6).fill(200));
  });
});
