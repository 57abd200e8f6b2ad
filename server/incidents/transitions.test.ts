import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { describeEachEngine } from '../testing/databases';
import { TEST_ADMIN } from '../testing/principals';
import { request } from '../testing/request';
import { allowedNext, isLegalTransition, isOverdue, isRework } from './stateMachine';
import { INCIDENT_STAGES, type IncidentStage } from '../../kernel/stages';

/** The loop written out by hand, independently of NEXT_STAGES. */
const LEGAL: [IncidentStage, IncidentStage][] = [
  ['collect', 'register'],
  ['register', 'dispatch'],
  ['dispatch', 'handle'],
  ['handle', 'feedback'],
  ['feedback', 'close'],
  ['feedback', 'handle'],
  ['close', 'evaluate'],
];
const isHandLegal = (from: IncidentStage, to: IncidentStage) => LEGAL.some(([f, t]) => f === from && t === to);
const ALL_PAIRS = INCIDENT_STAGES.flatMap((from) => INCIDENT_STAGES.map((to) => [from, to] as const));

describe('incident state machine', () => {
  it('allows exactly the seven moves of the closed loop (all 49 pairs checked)', () => {
    for (const [from, to] of ALL_PAIRS) expect(isLegalTransition(from, to), `${from} → ${to}`).toBe(isHandLegal(from, to));
    expect(allowedNext('feedback')).toEqual(['close', 'handle']);
    expect(allowedNext('evaluate')).toEqual([]);
  });

  it('counts only 反馈 → 处置 as rework', () => {
    for (const [from, to] of ALL_PAIRS) expect(isRework(from, to)).toBe(from === 'feedback' && to === 'handle');
  });

  it('flags overdue incidents: open past the deadline or closed after it, never when suspended', () => {
    const deadlineAt = new Date('2026-05-02T00:00:00Z');
    const now = new Date('2026-05-03T00:00:00Z');
    expect(isOverdue({ deadlineAt, closedAt: null, suspended: false }, now)).toBe(true);
    expect(isOverdue({ deadlineAt, closedAt: null, suspended: false }, new Date('2026-05-01T00:00:00Z'))).toBe(false);
    expect(isOverdue({ deadlineAt, closedAt: new Date('2026-05-01T23:00:00Z'), suspended: false }, now)).toBe(false);
    expect(isOverdue({ deadlineAt, closedAt: new Date('2026-05-02T01:00:00Z'), suspended: false }, now)).toBe(true);
    expect(isOverdue({ deadlineAt, closedAt: null, suspended: true }, now)).toBe(false);
  });
});

async function newIncident(db: DbHandle, tag: string): Promise<number> {
  const [row] = await db.rows<{ id: number }>(sql`
    INSERT INTO incidents (category_code, source, reporter, description, geom, grid_code, community_code, street_code, stage, reported_at, deadline_at)
    SELECT 'SR01', 'grid', '测试', ${tag}, label_point, code, community_code, street_code, 'collect',
           '2026-05-01T00:00:00Z', '2026-05-03T00:00:00Z'
    FROM grids ORDER BY code LIMIT 1
    RETURNING id`);
  return Number(row!.id);
}

const post = (db: DbHandle, path: string, body: unknown) => request(db, path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describeEachEngine('incident closed loop API', (db) => {
  it('accepts every legal transition and rejects every illegal one with 422 and the allowed next stages', async () => {
    const id = await newIncident(db(), 'SM all pairs');
    for (const [from, to] of ALL_PAIRS) {
      await db().db.execute(sql`UPDATE incidents SET stage = ${from}, closed_at = NULL, rework_count = 0, satisfaction = NULL WHERE id = ${id}`);
      const res = await post(db(), `/api/incidents/${id}/transitions`, {
        to,
        expectedStage: from,
        ...(to === 'evaluate' ? { satisfaction: 5 } : {}),
      });
      if (isHandLegal(from, to)) {
        expect(res.status, `${from} → ${to}`).toBe(200);
        expect(((await res.json()) as { stage: string }).stage).toBe(to);
      } else {
        expect(res.status, `${from} → ${to}`).toBe(422);
        const problem = (await res.json()) as { currentStage: string; allowedNext: string[]; errors: { field: string }[]; title: string };
        expect(problem.currentStage).toBe(from);
        expect(problem.allowedNext).toEqual(LEGAL.filter(([f]) => f === from).map(([, t]) => t));
        expect(problem.errors[0]!.field).toBe('to');
      }
    }
  });

  it('walks the whole loop with rework, recording who (the signed-in user) and when (the server clock) for each step', async () => {
    const id = await newIncident(db(), 'SM walk');
    // Steps are timed by the server's clock, so the deadline lies ahead of it.
    await db().db.execute(sql`UPDATE incidents SET deadline_at = now() + interval '1 day' WHERE id = ${id}`);
    const steps: [IncidentStage, IncidentStage, Record<string, unknown>?][] = [
      ['collect', 'register'],
      ['register', 'dispatch', { escalation: 'community' }],
      ['dispatch', 'handle'],
      ['handle', 'feedback'],
      ['feedback', 'handle'], // rework
      ['handle', 'feedback'],
      ['feedback', 'close'],
      ['close', 'evaluate', { satisfaction: 4 }],
    ];
    const started = Date.now();
    for (const [from, to, extra] of steps) {
      const res = await post(db(), `/api/incidents/${id}/transitions`, { to, expectedStage: from, ...extra });
      expect(res.status, `${from} → ${to}`).toBe(200);
    }
    const finished = Date.now();
    const detail = (await (await request(db(), `/api/incidents/${id}`)).json()) as {
      stage: string;
      reworkCount: number;
      closedAt: string;
      escalation: string;
      satisfaction: number;
      overdue: boolean;
      allowedNext: string[];
      transitions: { from: string | null; to: string; actor: string; actorUsername: string | null; at: string; action: string; imported: boolean }[];
    };
    expect(detail).toMatchObject({ stage: 'evaluate', reworkCount: 1, escalation: 'community', satisfaction: 4, overdue: false, allowedNext: [] });
    expect(Date.parse(detail.closedAt)).toBeGreaterThanOrEqual(started);
    expect(Date.parse(detail.closedAt)).toBeLessThanOrEqual(finished);
    const moves = detail.transitions.filter((t) => t.action === 'stage' || t.action === 'rework');
    expect(moves.map((t) => [t.from, t.to, t.actor, t.actorUsername, t.imported])).toEqual(steps.map(([f, t]) => [f, t, TEST_ADMIN.displayName, TEST_ADMIN.username, false]));
    for (const t of moves) expect(Date.parse(t.at)).toBeGreaterThanOrEqual(started);
    expect(detail.transitions.filter((t) => t.action === 'rework')).toHaveLength(1);
    expect(detail.transitions.find((t) => t.action === 'escalation')?.actor).toBe(TEST_ADMIN.displayName);
  });

  it('answers 409 with the current stage when the expected stage is stale; only one of two racing moves wins', async () => {
    const id = await newIncident(db(), 'SM race');
    const stale = await post(db(), `/api/incidents/${id}/transitions`, { to: 'dispatch', expectedStage: 'register' });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ currentStage: 'collect', allowedNext: ['register'] });

    const racing = await Promise.all([
      post(db(), `/api/incidents/${id}/transitions`, { to: 'register', expectedStage: 'collect' }),
      post(db(), `/api/incidents/${id}/transitions`, { to: 'register', expectedStage: 'collect' }),
    ]);
    expect(racing.map((r) => r.status).sort()).toEqual([200, 409]);
    const [count] = await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM incident_transitions WHERE incident_id = ${id} AND to_stage = 'register'`);
    expect(count!.n).toBe(1);
  });

  it('requires a satisfaction score only for 评价 and only lets escalation go up', async () => {
    const id = await newIncident(db(), 'SM rules');
    await db().db.execute(sql`UPDATE incidents SET stage = 'close', closed_at = '2026-05-02T00:00:00Z' WHERE id = ${id}`);
    const noScore = await post(db(), `/api/incidents/${id}/transitions`, { to: 'evaluate', expectedStage: 'close' });
    expect(noScore.status).toBe(422);
    expect(((await noScore.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('satisfaction');
    const badScore = await post(db(), `/api/incidents/${id}/transitions`, { to: 'evaluate', expectedStage: 'close', satisfaction: 9 });
    expect(badScore.status).toBe(400);

    const open = await newIncident(db(), 'SM escalation');
    expect((await post(db(), `/api/incidents/${open}/escalation`, { level: 'street', reason: '吹哨', expectedStage: 'collect' })).status).toBe(200);
    const down = await post(db(), `/api/incidents/${open}/escalation`, { level: 'community', expectedStage: 'collect' });
    expect(down.status).toBe(422);
    expect(((await down.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('level');
  });

  it('extends the deadline once (延期) and toggles 缓办', async () => {
    const id = await newIncident(db(), 'SM extension');
    const started = Date.now();
    const res = await post(db(), `/api/incidents/${id}/extension`, { hours: 24, reason: '需协调供电部门', expectedStage: 'collect' });
    expect(res.status).toBe(200);
    const extended = (await res.json()) as { deadlineExtendedAt: string };
    expect(extended).toMatchObject({ extended: true, deadlineAt: '2026-05-04T00:00:00.000Z' });
    expect(Date.parse(extended.deadlineExtendedAt)).toBeGreaterThanOrEqual(started);
    expect(Date.parse(extended.deadlineExtendedAt)).toBeLessThanOrEqual(Date.now());
    const again = await post(db(), `/api/incidents/${id}/extension`, { hours: 24, reason: '再次', expectedStage: 'collect' });
    expect(again.status).toBe(422);

    expect((await post(db(), `/api/incidents/${id}/suspension`, { suspended: true, reason: '待法院裁定', expectedStage: 'collect' })).status).toBe(200);
    const [row] = await db().rows<{ suspended: boolean }>(sql`SELECT suspended FROM incidents WHERE id = ${id}`);
    expect(row!.suspended).toBe(true);
    expect((await post(db(), `/api/incidents/${id}/suspension`, { suspended: true, reason: '重复', expectedStage: 'collect' })).status).toBe(422);

    await db().db.execute(sql`UPDATE incidents SET stage = 'close', closed_at = now() WHERE id = ${id}`);
    expect((await post(db(), `/api/incidents/${id}/extension`, { hours: 1, reason: 'x', expectedStage: 'close' })).status).toBe(422);
  });

  it('answers 404 for unknown incidents and 400 for malformed bodies', async () => {
    expect((await post(db(), '/api/incidents/999999999/transitions', { to: 'register', expectedStage: 'collect' })).status).toBe(404);
    expect((await request(db(), '/api/incidents/999999999')).status).toBe(404);
    const bad = await post(db(), '/api/incidents/1/transitions', { to: 'done', actor: '' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual(['actor', 'expectedStage', 'to']);
  });
});
