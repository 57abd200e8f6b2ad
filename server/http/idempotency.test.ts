/**
 * Idempotency-Key on the field app's writes (issue 15 point 6): a retried report,
 * action or photo upload replays the stored answer and writes nothing twice — also when
 * the first answer was lost after the commit — a reused key with another body is a 422,
 * concurrent requests with one key write once; and an offline action on a case that
 * changed meanwhile is a 409 naming the change.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { beforeAll, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import type { SessionUser } from '../../kernel/roles';
import { describeEachEngine } from '../testing/databases';
import { actAs, type LoopPeople, loopPeople, reportAs } from '../testing/loopPeople';
import { requestAs } from '../testing/requestAs';
import { purgeIdempotencyKeys } from './idempotency';

const post = (db: DbHandle, u: SessionUser, path: string, body: unknown, key?: string) =>
  requestAs(db, u, path, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(key ? { 'Idempotency-Key': key } : {}) }, body: JSON.stringify(body) });

const count = async (db: DbHandle, q: ReturnType<typeof sql>) => Number((await db.rows<{ n: number }>(q))[0]!.n);

describeEachEngine('idempotent writes and offline conflicts', (db) => {
  let p: LoopPeople;
  beforeAll(async () => {
    p = await loopPeople(db(), 'idem');
  });
  const report = (description: string) => ({ gridCode: p.grid, category: 'SR01', source: 'grid', description });
  const reportsWith = (description: string) => count(db(), sql`SELECT count(*)::int AS n FROM incidents WHERE description = ${description}`);

  it('replays a report retried with the same key: one incident, the same answer', async () => {
    const key = randomUUID();
    const first = await post(db(), p.users.gw1, '/api/incidents', report('幂等上报一'), key);
    expect(first.status).toBe(201);
    const firstBody = await first.json();
    const again = await post(db(), p.users.gw1, '/api/incidents', report('幂等上报一'), key);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotency-replayed')).toBe('true');
    expect(await again.json()).toEqual(firstBody);
    expect(await reportsWith('幂等上报一')).toBe(1);
    // Without the header, nothing changes: a second report is a second incident.
    await post(db(), p.users.gw1, '/api/incidents', report('无键上报'));
    await post(db(), p.users.gw1, '/api/incidents', report('无键上报'));
    expect(await reportsWith('无键上报')).toBe(2);
  });

  it('a retry after a lost answer (committed, response dropped) replays; 就地解决 too', async () => {
    const key = randomUUID();
    const body = { ...report('断线后重试'), onSpot: '现场已清理' };
    // The first attempt commits on the server; the phone never reads the answer (connection cut).
    const lost = await post(db(), p.users.gw1, '/api/incidents', body, key);
    await lost.body?.cancel();
    expect(await reportsWith('断线后重试')).toBe(1);
    const retry = await post(db(), p.users.gw1, '/api/incidents', body, key);
    expect(retry.status).toBe(201);
    const answer = (await retry.json()) as { id: number; stage: string };
    expect(answer.stage).toBe('close');
    expect(await reportsWith('断线后重试')).toBe(1);
    expect(await count(db(), sql`SELECT count(*)::int AS n FROM incident_transitions WHERE incident_id = ${answer.id}`)).toBe(2);
  });

  it('the same key with another body is a 422 problem; a bad key a 400; keys are per user', async () => {
    const key = randomUUID();
    expect((await post(db(), p.users.gw1, '/api/incidents', report('键复用甲'), key)).status).toBe(201);
    const other = await post(db(), p.users.gw1, '/api/incidents', report('键复用乙'), key);
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await other.json()) as { title: string; errors: { field: string }[] };
    expect(problem.title).toBe('幂等键已被使用');
    expect(problem.errors[0]!.field).toBe('Idempotency-Key');
    expect(await reportsWith('键复用乙')).toBe(0);
    // Another user's same key is another request.
    expect((await post(db(), p.users.gw2, '/api/incidents', report('键复用乙'), key)).status).toBe(201);
    const bad = await post(db(), p.users.gw1, '/api/incidents', report('坏键'), 'short');
    expect(bad.status).toBe(400);
    expect(await reportsWith('坏键')).toBe(0);
  });

  it('a refused request stores nothing: the key can be used once the body is right', async () => {
    const key = randomUUID();
    const refused = await post(db(), p.users.gw1, '/api/incidents', { ...report('先错后对'), category: 'NOPE' }, key);
    expect(refused.status).toBe(422);
    expect(await count(db(), sql`SELECT count(*)::int AS n FROM idempotency_keys WHERE key = ${key}`)).toBe(0);
    const fixed = await post(db(), p.users.gw1, '/api/incidents', report('先错后对'), key);
    expect(fixed.status).toBe(201);
  });

  it('concurrent requests with one key write once; the other replays or gets 409', async () => {
    const key = randomUUID();
    const answers = await Promise.all([1, 2, 3].map(() => post(db(), p.users.gw1, '/api/incidents', report('并发同键'), key)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    for (const s of statuses) expect([201, 409]).toContain(s);
    expect(await reportsWith('并发同键')).toBe(1);
  });

  it('replays a loop action and a photo upload retried with their keys', async () => {
    const { gw1, dispatcher } = p.users;
    const id = await reportAs(db(), gw1, p.grid, '幂等派遣');
    const key = randomUUID();
    const body = { action: 'dispatch', expectedStage: 'collect', departmentId: p.departments.cg };
    const first = await post(db(), dispatcher, `/api/incidents/${id}/actions`, body, key);
    expect(first.status).toBe(200);
    const second = await post(db(), dispatcher, `/api/incidents/${id}/actions`, body, key);
    expect(second.status).toBe(200);
    expect(((await second.json()) as { transitionId: number }).transitionId).toBe(((await first.json()) as { transitionId: number }).transitionId);
    expect(await count(db(), sql`SELECT count(*)::int AS n FROM incident_transitions WHERE incident_id = ${id} AND action = 'dispatch'`)).toBe(1);

    const png = new Uint8Array(
      await sharp({ create: { width: 40, height: 30, channels: 3, background: '#c33' } })
        .png()
        .toBuffer(),
    );
    const form = () => {
      const f = new FormData();
      f.append('files', new File([png], 'a.png', { type: 'image/png' }));
      return f;
    };
    const photoKey = randomUUID();
    const upload = () => requestAs(db(), gw1, `/api/incidents/${id}/photos`, { method: 'POST', body: form(), headers: { 'Idempotency-Key': photoKey } });
    const a = await upload();
    expect(a.status).toBe(201);
    const b = await upload();
    expect(b.status).toBe(201);
    expect(await b.json()).toEqual(await a.json());
    expect(await count(db(), sql`SELECT count(*)::int AS n FROM incident_photos WHERE incident_id = ${id}`)).toBe(1);
  });

  it('purges keys older than 7 days', async () => {
    await db().rows(sql`UPDATE idempotency_keys SET created_at = now() - interval '8 days' WHERE key IN (SELECT key FROM idempotency_keys ORDER BY created_at LIMIT 1)`);
    expect(await purgeIdempotencyKeys(db())).toBe(1);
    expect(await count(db(), sql`SELECT count(*)::int AS n FROM idempotency_keys WHERE created_at < now() - interval '7 days'`)).toBe(0);
  });

  it('an offline action on a case reassigned meanwhile is a 409 naming the change, and writes nothing', async () => {
    const { gw1, gw2, dispatcher } = p.users;
    const id = await reportAs(db(), dispatcher, p.grid, '离线冲突');
    await actAs(db(), dispatcher, id, { action: 'dispatch', expectedStage: 'collect', assigneeUserId: gw1.id });
    const seen = (await (await requestAs(db(), gw1, `/api/incidents/${id}`)).json()) as { timeline: { id: number }[] };
    const lastSeen = seen.timeline.at(-1)!.id;
    // While gw1's phone is offline the dispatcher reassigns the case to gw2.
    expect((await actAs(db(), dispatcher, id, { action: 'redispatch', expectedStage: 'dispatch', assigneeUserId: gw2.id, note: '人手调整' })).status).toBe(200);
    const before = await count(db(), sql`SELECT count(*)::int AS n FROM incident_transitions WHERE incident_id = ${id}`);
    const queued = await actAs(db(), gw1, id, { action: 'sign', expectedStage: 'dispatch', expectedTransitionId: lastSeen });
    expect(queued.status).toBe(409);
    expect(queued.body.detail).toBe(`该案件已改派给 ${gw2.displayName}，您的签收未提交`);
    expect(queued.body.changes.map((ch: { action: string }) => ch.action)).toEqual(['redispatch']);
    expect(await count(db(), sql`SELECT count(*)::int AS n FROM incident_transitions WHERE incident_id = ${id}`)).toBe(before);

    // gw2 signs and handles; gw2's stale copy of the timeline is now also out of date for a second try.
    const now = (await (await requestAs(db(), gw2, `/api/incidents/${id}`)).json()) as { timeline: { id: number }[] };
    const signed = await actAs(db(), gw2, id, { action: 'sign', expectedStage: 'dispatch', expectedTransitionId: now.timeline.at(-1)!.id });
    expect(signed.status).toBe(200);
    const stale = await actAs(db(), gw2, id, { action: 'sign', expectedStage: 'dispatch', expectedTransitionId: now.timeline.at(-1)!.id });
    expect(stale.status).toBe(409);
    expect(stale.body.detail).toBe(`该案件已由 ${gw2.displayName} 签收，您的签收未提交`);
  });
});
