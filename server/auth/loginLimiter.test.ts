/**
 * Nobody can lock anybody else out: sign-in is limited per socket address (a header
 * cannot change it unless a TRUST_PROXY proxy sent it), and failures for one account
 * only delay that account briefly. Clients are told apart the real way — a real
 * HTTP server on 127.0.0.1, each client bound to its own loopback source address.
 */
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { createApp, type AppOptions } from '../app';
import { describeEachEngine } from '../testing/databases';
import { LoginLimiter } from './loginLimiter';
import { ensureSampleUsers, SAMPLE_PASSWORD } from './users';

interface Reply {
  status: number;
  retryAfter: number | null;
  body: string;
}

async function startServer(db: DbHandle, options: AppOptions = {}) {
  const app = createApp(db, options);
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((done) => server.once('listening', () => done()));
  const { port } = server.address() as AddressInfo;
  const login = (from: string, username: string, password: string, headers: Record<string, string> = {}) =>
    new Promise<Reply>((resolve, reject) => {
      const body = JSON.stringify({ username, password });
      const req = httpRequest(
        { host: '127.0.0.1', port, localAddress: from, method: 'POST', path: '/api/auth/login', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const retry = res.headers['retry-after'];
            resolve({ status: res.statusCode ?? 0, retryAfter: retry === undefined ? null : Number(retry), body: Buffer.concat(chunks).toString('utf8') });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return { login, close: () => new Promise<void>((done) => server.close(() => done())) };
}

describeEachEngine('sign-in limiting by socket address', (db) => {
  beforeAll(async () => {
    await ensureSampleUsers(db());
  });

  let servers: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    servers = [];
  });
  const start = async (options: AppOptions = {}) => {
    const s = await startServer(db(), options);
    servers.push(s);
    return s;
  };

  it('failed logins for made-up names from one client do not lock the real leader out', async () => {
    const { login } = await start();
    const attacker = [];
    for (let i = 0; i < 25; i++) attacker.push((await login('127.0.0.2', `made-up-${i}`, 'wrong-password')).status);
    // The attacker's own address is slowed down …
    expect(attacker.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(attacker.at(-1)).toBe(429);
    // … the leader signing in from elsewhere is not.
    expect((await login('127.0.0.3', 'leader', SAMPLE_PASSWORD)).status).toBe(200);
  });

  it('a new X-Forwarded-For on each try does not escape the per-address limit', async () => {
    const { login } = await start();
    const statuses = [];
    for (let i = 0; i < 25; i++) statuses.push((await login('127.0.0.4', `spray-${i}`, 'wrong-password', { 'x-forwarded-for': `198.51.100.${i + 1}` })).status);
    const firstLimited = statuses.indexOf(429);
    expect(firstLimited).toBeGreaterThan(0);
    expect(statuses.slice(firstLimited).every((s) => s === 429)).toBe(true);
  });

  it('X-Forwarded-For is honoured only when a TRUST_PROXY address sent it', async () => {
    const { login } = await start({ trustProxy: '127.0.0.5, 10.0.0.0/8' });
    // Through the trusted proxy each forwarded client counts on its own …
    for (let i = 0; i < 25; i++) {
      expect((await login('127.0.0.5', `via-proxy-${i}`, 'wrong-password', { 'x-forwarded-for': `203.0.113.${i + 1}` })).status).toBe(401);
    }
    // … but one forwarded client is still limited like any other address …
    const same = [];
    for (let i = 0; i < 25; i++) same.push((await login('127.0.0.5', `one-client-${i}`, 'wrong-password', { 'x-forwarded-for': '203.0.113.200' })).status);
    expect(same.at(-1)).toBe(429);
    // … and from an untrusted address the header means nothing.
    const direct = [];
    for (let i = 0; i < 25; i++) direct.push((await login('127.0.0.6', `direct-${i}`, 'wrong-password', { 'x-forwarded-for': `203.0.113.${i + 1}` })).status);
    expect(direct.at(-1)).toBe(429);
  });

  it('failures for one account only delay that account briefly (429 + Retry-After), then the real user signs in', async () => {
    let now = Date.parse('2026-05-01T08:00:00Z');
    const { login } = await start({ loginLimiter: new LoginLimiter({ now: () => now }) });
    // The guesser waits out each delay and keeps guessing: 7 wrong passwords in a row.
    let failures = 0;
    for (let i = 0; i < 30 && failures < 7; i++) {
      const r = await login('127.0.0.7', 'leader', `guess-${i}`);
      expect([401, 429]).toContain(r.status);
      if (r.status === 401) failures++;
      else now += r.retryAfter! * 1000;
    }
    expect(failures).toBe(7);
    const early = await login('127.0.0.8', 'leader', SAMPLE_PASSWORD);
    expect(early.status).toBe(429);
    expect(JSON.parse(early.body)).toMatchObject({ status: 429, title: '尝试次数过多' });
    // Small enough that the real user gets in soon, from any address.
    expect(early.retryAfter).toBeGreaterThan(0);
    expect(early.retryAfter).toBeLessThanOrEqual(60);
    // Other accounts are untouched.
    expect((await login('127.0.0.8', 'analyst', SAMPLE_PASSWORD)).status).toBe(200);
    now += early.retryAfter! * 1000;
    expect((await login('127.0.0.8', 'leader', SAMPLE_PASSWORD)).status).toBe(200);
    // A success clears the account's delay: the next typo is not delayed.
    expect((await login('127.0.0.8', 'leader', 'a-typo')).status).toBe(401);
    expect((await login('127.0.0.8', 'leader', SAMPLE_PASSWORD)).status).toBe(200);
  });

  it('audits failed and refused sign-ins with the username tried and the socket address', async () => {
    let now = Date.parse('2026-05-01T09:00:00Z');
    const { login } = await start({ loginLimiter: new LoginLimiter({ now: () => now }) });
    expect((await login('127.0.0.9', 'Nobody-Audit', 'wrong-password', { 'x-forwarded-for': '192.0.2.1' })).status).toBe(401);
    let refused: Reply | undefined;
    for (let i = 0; i < 10 && !refused; i++) {
      const r = await login('127.0.0.9', 'mingshan', `guess-${i}`);
      if (r.status === 429) refused = r;
    }
    expect(refused?.status).toBe(429);
    now += 1;
    const rows = await db().rows<{ actor: string; action: string; entity: string; entity_id: string | null; ip: string | null; detail: { status: number; username: string } }>(sql`
      SELECT actor, action, entity, entity_id, ip, detail FROM audit_log WHERE action = 'LOGIN_FAILED' ORDER BY id`);
    expect(rows.find((r) => r.detail.username === 'Nobody-Audit')).toMatchObject({ entity: 'auth', entity_id: 'Nobody-Audit', ip: '127.0.0.9', detail: { status: 401 } });
    expect(rows.filter((r) => r.detail.username === 'mingshan').map((r) => r.detail.status)).toContain(429);
  });
});
