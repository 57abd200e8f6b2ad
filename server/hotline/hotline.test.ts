/**
 * The 12345 hotline link (issue 14, point 7) against a small fake hotline — a
 * node:http server on 127.0.0.1 — on both engines: keys (created once, hashed,
 * revocable), a case pushed twice → one incident, a status update → one history row
 * (the same status again → none), location by community name or refusal, and the
 * webhooks: a status change here → a signed POST to the fake hotline, which answers
 * 500 first → retried with backoff and delivered, logged, continued after a restart.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { createApp } from '../app';
import { describeEachEngine } from '../testing/databases';
import { TEST_ADMIN } from '../testing/principals';
import { postJsonAs, requestAs } from '../testing/requestAs';
import { HotlineWebhooks, retryDelayMs, type WebhookConfig } from './webhooks';

const SECRET = 'fake-hotline-secret-0123456789';

/** The fake 12345 system: records every webhook and answers `failFirst` of them with 500. */
class FakeHotline {
  readonly received: { headers: IncomingHttpHeaders; body: string; status: number; at: number }[] = [];
  failFirst = 0;
  private server: Server | null = null;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        body += chunk;
      });
      req.on('end', () => {
        const status = this.failFirst > 0 ? 500 : 200;
        if (this.failFirst > 0) this.failFirst--;
        this.received.push({ headers: req.headers, body, status, at: Date.now() });
        res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ok: status === 200 }));
      });
    });
    await new Promise<void>((done) => this.server?.listen(0, '127.0.0.1', done));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhooks/dangjian`;
  }

  stop(): Promise<void> {
    return new Promise((done) => this.server?.close(() => done()) ?? done());
  }
}

/** Pushes as the hotline: no session, only the key (the app has no stand-in user). */
function push(db: DbHandle, key: string | null, body: unknown, header: 'bearer' | 'x-api-key' = 'bearer') {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (key && header === 'bearer') headers.Authorization = `Bearer ${key}`;
  if (key && header === 'x-api-key') headers['X-Api-Key'] = key;
  return createApp(db).request('/api/hotline/cases', { method: 'POST', headers, body: JSON.stringify(body) });
}

describeEachEngine('12345 hotline link', (db) => {
  const hotline = new FakeHotline();
  let key = '';
  let community = { code: '', name: '' };

  beforeAll(async () => {
    await hotline.start();
    const res = await postJsonAs(db(), TEST_ADMIN, '/api/hotline/keys', { name: '玉林12345' });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { key: string; prefix: string; id: number };
    key = created.key;
    expect(key.startsWith(created.prefix)).toBe(true);
    const [stored] = await db().rows<{ key_hash: string }>(sql`SELECT key_hash FROM hotline_keys WHERE id = ${created.id}`);
    expect(stored?.key_hash).not.toContain(key);
    const list = (await (await requestAs(db(), TEST_ADMIN, '/api/hotline/keys')).json()) as { keys: Record<string, unknown>[] };
    expect(JSON.stringify(list)).not.toContain(key);
    const [row] = await db().rows<{ code: string; name: string }>(sql`SELECT code, name FROM regions WHERE level = 'community' AND code LIKE '450902005%' ORDER BY code LIMIT 1`);
    community = row!;
  });
  afterAll(() => hotline.stop());

  it('refuses pushes without a valid key, and non-admins the key admin', async () => {
    const body = { caseNo: 'YL-KEY-1', category: 'SR01', address: community.name };
    const none = await push(db(), null, body);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { title: string }).title).toBe('接口密钥无效');
    expect((await push(db(), 'hl_not-a-key', body)).status).toBe(401);
    const leader = { ...TEST_ADMIN, username: 'hl-leader', role: 'leader' as const };
    expect((await postJsonAs(db(), leader, '/api/hotline/keys', { name: 'x' })).status).toBe(403);
    expect((await requestAs(db(), leader, '/api/hotline/deliveries')).status).toBe(403);
  });

  it('a case pushed twice is one incident; a status change is one history row', async () => {
    const body = { caseNo: 'YL20261202-0001', category: 'SR01', description: '楼道堆放杂物', address: `玉州区${community.name}3栋附近`, reporter: '李女士', status: '已派单' };
    const first = await push(db(), key, body);
    expect(first.status).toBe(201);
    const created = (await first.json()) as { created: boolean; matchedBy: string; incident: { id: number; gridCode: string; communityCode: string; caseNo: string } };
    expect(created.created).toBe(true);
    expect(created.incident.communityCode).toBe(community.code);
    expect(created.matchedBy).toContain(community.name);

    const again = await push(db(), key, body, 'x-api-key');
    expect(again.status).toBe(200);
    const repeated = (await again.json()) as typeof created & { statusRecorded: boolean };
    expect(repeated).toMatchObject({ created: false, statusRecorded: false, incident: { id: created.incident.id } });
    const [count] = await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM incidents WHERE external_ref = ${body.caseNo}`);
    expect(count?.n).toBe(1);

    const urged = (await (await push(db(), key, { ...body, status: '催办', statusNote: '市民再次来电' })).json()) as { statusRecorded: boolean };
    expect(urged.statusRecorded).toBe(true);
    expect(((await (await push(db(), key, { ...body, status: '催办' })).json()) as { statusRecorded: boolean }).statusRecorded).toBe(false);
    const history = await db().rows<{ action: string; note: string; actor_username: string; from_stage: string; to_stage: string }>(
      sql`SELECT action, note, actor_username, from_stage, to_stage FROM incident_transitions WHERE incident_id = ${created.incident.id} ORDER BY id`,
    );
    expect(history.map((h) => h.action)).toEqual(['report', 'hotline_status']);
    expect(history[1]).toMatchObject({ note: '12345 热线状态：催办（市民再次来电）', actor_username: 'hotline:玉林12345', from_stage: 'collect', to_stage: 'collect' });
    const [incident] = await db().rows<{ source: string; hotline_status: string; reporter: string }>(sql`SELECT source, hotline_status, reporter FROM incidents WHERE id = ${created.incident.id}`);
    expect(incident).toEqual({ source: 'hotline', hotline_status: '催办', reporter: '李女士' });
  });

  it('locates by a point; refuses an address it cannot place, and server-recorded fields', async () => {
    const [grid] = await db().rows<{ code: string; lon: number; lat: number }>(sql`SELECT code, ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM grids ORDER BY code LIMIT 1`);
    const byPoint = await push(db(), key, { caseNo: 'YL-POINT-1', category: 'SR01', lon: grid!.lon, lat: grid!.lat });
    expect(byPoint.status).toBe(201);
    expect(((await byPoint.json()) as { incident: { gridCode: string } }).incident.gridCode).toBe(grid!.code);

    const nowhere = await push(db(), key, { caseNo: 'YL-NOWHERE', category: 'SR01', address: '火星基地一号楼' });
    expect(nowhere.status).toBe(422);
    const problem = (await nowhere.json()) as { title: string; errors: { field: string }[] };
    expect(problem.title).toBe('无法定位工单');
    expect(problem.errors[0]?.field).toBe('address');
    const backdated = await push(db(), key, { caseNo: 'YL-AT', category: 'SR01', address: community.name, at: '2020-01-01T00:00:00Z' });
    expect(backdated.status).toBe(400);
    expect(((await backdated.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain('at');
    const [none] = await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM incidents WHERE external_ref IN ('YL-NOWHERE', 'YL-AT')`);
    expect(none?.n).toBe(0);
  });

  it('webhooks a status change signed, retries after a 500, logs it, and continues after a restart', async () => {
    const config: WebhookConfig = { url: hotline.url, secret: SECRET, scope: 'hotline', maxAttempts: 5, baseDelayMs: 300, pollMs: 100, timeoutMs: 5_000 };
    let worker = new HotlineWebhooks(db(), config);
    await worker.tick(); // records its starting position
    const pushed = (await (await push(db(), key, { caseNo: 'YL-HOOK-1', category: 'SR01', address: community.name })).json()) as { incident: { id: number } };
    const id = pushed.incident.id;
    hotline.failFirst = 1;
    hotline.received.length = 0;
    worker.start();

    const moved = await postJsonAs(db(), TEST_ADMIN, `/api/incidents/${id}/transitions`, { to: 'register', expectedStage: 'collect', note: '已受理' });
    expect(moved.status).toBe(200);
    await expect.poll(() => hotline.received.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    expect(hotline.received[0]?.status).toBe(500);
    // A restart while the retry is pending: the next process continues from the table.
    await worker.stop();
    worker = new HotlineWebhooks(db(), config);
    worker.start();
    try {
      await expect.poll(() => hotline.received.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    } finally {
      await worker.stop();
    }
    const [failed, delivered] = hotline.received;
    expect(delivered?.status).toBe(200);
    expect(delivered!.at - failed!.at).toBeGreaterThanOrEqual(retryDelayMs(config.baseDelayMs, 1) - 50);
    const body = JSON.parse(delivered!.body) as Record<string, unknown>;
    expect(body).toMatchObject({ event: 'incident.transition', caseNo: 'YL-HOOK-1', incidentId: id, action: 'stage', fromStage: 'collect', stage: 'register', note: '已受理' });
    expect(delivered!.headers['x-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(delivered!.body).digest('hex')}`);
    expect(Math.abs(Number(delivered!.headers['x-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    // Only our change went out: not the hotline's own push (its 信息收集 row).
    expect(hotline.received.every((r) => JSON.parse(r.body).transitionId === body.transitionId)).toBe(true);

    const log = (await (await requestAs(db(), TEST_ADMIN, '/api/hotline/deliveries?caseNo=YL-HOOK-1')).json()) as { total: number; items: Record<string, unknown>[] };
    expect(log.total).toBe(1);
    expect(log.items[0]).toMatchObject({ status: 'delivered', attempts: 2, lastStatusCode: 200, incidentId: id, caseNo: 'YL-HOOK-1' });
    expect(delivered!.headers['x-delivery-id']).toBe(String(log.items[0]?.id));
  });

  it('a revoked key is refused at once', async () => {
    const res = await postJsonAs(db(), TEST_ADMIN, '/api/hotline/keys', { name: '临时密钥' });
    const made = (await res.json()) as { id: number; key: string };
    expect((await requestAs(db(), TEST_ADMIN, `/api/hotline/keys/${made.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await push(db(), made.key, { caseNo: 'YL-REVOKED', category: 'SR01', address: community.name })).status).toBe(401);
  });
});
