import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { describeEachEngine } from '../testing/databases';
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

const post = (db: DbHandle, path: string, body: unknown) =>
  request(db, path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describeEachEngine('incident closed loop API', (db) => {
  it('accepts every legal transition and rejects every illegal one with 422 and the allowed next stages', async () => {
    const id = await newIncident(db(), 'SM all pairs');
    for (const [from, to] of ALL_PAIRS) {
      await db().db.execute(sql`UPDATE incidents SET stage = ${from}, closed_at = NULL, rework_count = 0, satisfaction = NULL WHERE id = ${id}`);
      const res = await post(db(), `/api/incidents/${id}/transitions`, {
        to,
        expectedStage: from,
        actor: '测试员',
        at: '2026-05-01T10:00:00+08:00',
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

  it('walks the whole loop with rework, recording who and when for each step', async () => {
    const id = await newIncident(db(), 'SM walk');
    const steps: [IncidentStage, IncidentStage, string, Record<string, unknown>?][] = [
      ['collect', 'register', '社区网格工作站'],
      ['register', 'dispatch', '街道综治中心', { escalation: 'community' }],
      ['dispatch', 'handle', '城管中队'],
      ['handle', 'feedback', '城管中队'],
      ['feedback', 'handle', '社区网格工作站'], // rework
      ['handle', 'feedback', '城管中队'],
      ['feedback', 'close', '社区网格工作站'],
      ['close', 'evaluate', '群众', { satisfaction: 4 }],
    ];
    let hour = 1;
    for (const [from, to, actor, extra] of steps) {
      const res = await post(db(), `/api/incidents/${id}/transitions`, { to, expectedStage: from, actor, at: `2026-05-01T${String(hour++).padStart(2, '0')}:00:00Z`, ...extra });
      expect(res.status, `${from} → ${to}`).toBe(200);
    }
    const detail = (await (await request(db(), `/api/incidents/${id}`)).json()) as {
      stage: string;
      reworkCount: number;
      closedAt: string;
      escalation: string;
      satisfaction: number;
      overdue: boolean;
      allowedNext: string[];
      transitions: { from: string | null; to: string; actor: string; at: string; action: string }[];
    };
    expect(detail).toMatchObject({ stage: 'evaluate', reworkCount: 1, closedAt: '2026-05-01T07:00:00.000Z', escalation: 'community', satisfaction: 4, overdue: false, allowedNext: [] });
    const moves = detail.transitions.filter((t) => t.action === 'stage' || t.action === 'rework');
    expect(moves.map((t) => [t.from, t.to, t.actor])).toEqual(steps.map(([f, t, a]) => [f, t, a]));
    expect(detail.transitions.filter((t) => t.action === 'rework')).toHaveLength(1);
    expect(detail.transitions.find((t) => t.action === 'escalation')?.actor).toBe('街道综治中心');
  });

  it('answers 409 with the current stage when the expected stage is stale; only one of two racing moves wins', async () => {
    const id = await newIncident(db(), 'SM race');
    const stale = await post(db(), `/api/incidents/${id}/transitions`, { to: 'dispatch', expectedStage: 'register', actor: 'A' });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ currentStage: 'collect', allowedNext: ['register'] });

    const racing = await Promise.all([
      post(db(), `/api/incidents/${id}/transitions`, { to: 'register', expectedStage: 'collect', actor: 'A' }),
      post(db(), `/api/incidents/${id}/transitions`, { to: 'register', expectedStage: 'collect', actor: 'B' }),
    ]);
    expect(racing.map((r) => r.status).sort()).toEqual([200, 409]);
    const [count] = await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM incident_transitions WHERE incident_id = ${id} AND to_stage = 'register'`);
    expect(count!.n).toBe(1);
  });

  it('requires a satisfaction score only for 评价 and only lets escalation go up', async () => {
    const id = await newIncident(db(), 'SM rules');
    await db().db.execute(sql`UPDATE incidents SET stage = 'close', closed_at = '2026-05-02T00:00:00Z' WHERE id = ${id}`);
    const noScore = await post(db(), `/api/incidents/${id}/transitions`, { to: 'evaluate', expectedStage: 'close', actor: '群众' });
    expect(noScore.status).toBe(422);
    expect(((await noScore.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('satisfaction');
    const badScore = await post(db(), `/api/incidents/${id}/transitions`, { to: 'evaluate', expectedStage: 'close', actor: '群众', satisfaction: 9 });
    expect(badScore.status).toBe(400);

    const open = await newIncident(db(), 'SM escalation');
    expect((await post(db(), `/api/incidents/${open}/escalation`, { level: 'street', actor: '社区书记', reason: '吹哨', expectedStage: 'collect' })).status).toBe(200);
    const down = await post(db(), `/api/incidents/${open}/escalation`, { level: 'community', actor: '社区书记', expectedStage: 'collect' });
    expect(down.status).toBe(422);
    expect(((await down.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('level');
  });

  it('extends the deadline once (延期) and toggles 缓办', async () => {
    const id = await newIncident(db(), 'SM extension');
    const res = await post(db(), `/api/incidents/${id}/extension`, { hours: 24, reason: '需协调供电部门', actor: '街道', expectedStage: 'collect', at: '2026-05-02T00:00:00Z' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ extended: true, deadlineAt: '2026-05-04T00:00:00.000Z', deadlineExtendedAt: '2026-05-02T00:00:00.000Z' });
    const again = await post(db(), `/api/incidents/${id}/extension`, { hours: 24, reason: '再次', actor: '街道', expectedStage: 'collect' });
    expect(again.status).toBe(422);

    expect((await post(db(), `/api/incidents/${id}/suspension`, { suspended: true, reason: '待法院裁定', actor: '街道', expectedStage: 'collect' })).status).toBe(200);
    const [row] = await db().rows<{ suspended: boolean }>(sql`SELECT suspended FROM incidents WHERE id = ${id}`);
    expect(row!.suspended).toBe(true);
    expect((await post(db(), `/api/incidents/${id}/suspension`, { suspended: true, reason: '重复', actor: '街道', expectedStage: 'collect' })).status).toBe(422);

    await db().db.execute(sql`UPDATE incidents SET stage = 'close', closed_at = now() WHERE id = ${id}`);
    expect((await post(db(), `/api/incidents/${id}/extension`, { hours: 1, reason: 'x', actor: '街道', expectedStage: 'close' })).status).toBe(422);
  });

  it('answers 404 for unknown incidents and 400 for malformed bodies', async () => {
    expect((await post(db(), '/api/incidents/999999999/transitions', { to: 'register', expectedStage: 'collect', actor: 'A' })).status).toBe(404);
    expect((await request(db(), '/api/incidents/999999999')).status).toBe(404);
    const bad = await post(db(), '/api/incidents/1/transitions', { to: 'done', actor: '' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual(['actor', 'expectedStage', 'to']);
  });
});
