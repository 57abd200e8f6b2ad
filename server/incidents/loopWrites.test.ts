/**
 * The closed loop through POST /api/incidents/:id/actions (issue 14 point 2): the
 * whole loop by four people, 退单 with approval, 改派, 督办 counting, 延期 and 缓办
 * as requests, 吹哨报到 with two departments, and the refusals (403 not yours, 409
 * stage moved on, 422 rule broken / unknown department, 400 bad body) that write
 * nothing. Every step leaves its history row signed by the session's account.
 */
import { addWorkingTime } from '../../kernel/workCalendar';
import { loadWorkCalendar } from '../calendar/calendar';
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { describeEachEngine } from '../testing/databases';
import { postJsonAs, requestAs } from '../testing/requestAs';
import { actAs, type LoopPeople, loopPeople, reportAs } from '../testing/loopPeople';

const snapshot = async (db: DbHandle, id: number) => ({
  incident: (await db.rows(sql`SELECT * FROM incidents WHERE id = ${id}`))[0],
  history: await db.rows(sql`SELECT * FROM incident_transitions WHERE incident_id = ${id} ORDER BY id`),
  requests: await db.rows(sql`SELECT * FROM incident_requests WHERE incident_id = ${id} ORDER BY id`),
  summons: await db.rows(sql`SELECT * FROM incident_summons WHERE incident_id = ${id} ORDER BY id`),
});

const detailAs = async (db: DbHandle, u: LoopPeople['users'][keyof LoopPeople['users']], id: number) => {
  const res = await requestAs(db, u, `/api/incidents/${id}`);
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

describeEachEngine('closed loop actions', (db) => {
  let p: LoopPeople;
  beforeAll(async () => {
    p = await loopPeople(db(), 'lw');
  });

  it('walks the whole loop: grid worker reports → dispatcher dispatches → staff signs and handles → another grid worker verifies → dispatcher 回访 and 结案', async () => {
    const { gw1, gw2, dispatcher, staffCg } = p.users;
    const id = await reportAs(db(), gw1, p.grid, '占道经营');
    const reported = await db().rows<{ reporter_user_id: number }>(sql`SELECT reporter_user_id FROM incidents WHERE id = ${id}`);
    expect(Number(reported[0]!.reporter_user_id)).toBe(gw1.id);

    const seen = await detailAs(db(), dispatcher, id);
    expect(seen.status).toBe(200);
    expect(seen.body.allowedActions.map((a: { action: string }) => a.action)).toEqual(['register', 'dispatch']);
    expect(seen.body.timeline.map((t: { action: string }) => t.action)).toEqual(['report']);

    const steps: [typeof gw1, Record<string, unknown>, string][] = [
      [dispatcher, { action: 'dispatch', expectedStage: 'collect', departmentId: p.departments.cg }, 'dispatch'],
      [staffCg, { action: 'sign', expectedStage: 'dispatch' }, 'handle'],
      [staffCg, { action: 'handle', expectedStage: 'handle', note: '已清理' }, 'feedback'],
      [gw2, { action: 'verify', expectedStage: 'feedback' }, 'close'],
      [dispatcher, { action: 'revisit', expectedStage: 'close', satisfaction: 5, note: '电话回访，满意' }, 'close'],
      [dispatcher, { action: 'close', expectedStage: 'close' }, 'evaluate'],
    ];
    for (const [u, body, stage] of steps) {
      const res = await actAs(db(), u, id, body);
      expect({ action: body.action, status: res.status }).toEqual({ action: body.action, status: 200 });
      expect(res.body.incident.stage).toBe(stage);
      expect(res.body.transitionId).toBe(res.body.incident.timeline.at(-1).id);
    }
    const history = await db().rows<{ action: string; actor_username: string; actor_user_id: number; at: Date | string }>(
      sql`SELECT action, actor_username, actor_user_id, at FROM incident_transitions WHERE incident_id = ${id} ORDER BY id`,
    );
    expect(history.map((h) => [h.action, h.actor_username])).toEqual([
      ['report', gw1.username],
      ['register', dispatcher.username],
      ['dispatch', dispatcher.username],
      ['sign', staffCg.username],
      ['handle', staffCg.username],
      ['verify', gw2.username],
      ['revisit', dispatcher.username],
      ['close', dispatcher.username],
    ]);
    for (const h of history) expect(Math.abs(Date.now() - new Date(h.at).getTime())).toBeLessThan(60_000);
    const done = await detailAs(db(), dispatcher, id);
    expect(done.body).toMatchObject({ stage: 'evaluate', satisfaction: 5, department: { id: p.departments.cg, name: '城管' }, allowedActions: [] });
    expect(done.body.timeline.find((t: { action: string }) => t.action === 'sign').onTime).toBe(true);
  });

  it('refuses what the table refuses — 403 not yours, 409 moved on, 422 not now — and writes nothing', async () => {
    const { gw1, dispatcher, farDispatcher, staffCg, staffZj, leader } = p.users;
    const id = await reportAs(db(), gw1, p.grid);
    await actAs(db(), dispatcher, id, { action: 'dispatch', expectedStage: 'collect', departmentId: p.departments.cg });
    const before = await snapshot(db(), id);
    const cases: [typeof gw1, Record<string, unknown>, number, string][] = [
      [staffZj, { action: 'sign', expectedStage: 'dispatch' }, 403, 'id'],
      [farDispatcher, { action: 'urge', expectedStage: 'dispatch' }, 403, 'id'],
      [leader, { action: 'urge', expectedStage: 'dispatch' }, 403, 'action'],
      [gw1, { action: 'sign', expectedStage: 'dispatch' }, 403, 'action'],
      [staffCg, { action: 'sign', expectedStage: 'handle' }, 409, 'expectedStage'],
      [staffCg, { action: 'handle', expectedStage: 'dispatch', note: '好了' }, 422, 'action'],
      [dispatcher, { action: 'return_approved', expectedStage: 'dispatch' }, 422, 'action'],
      [dispatcher, { action: 'whistle', expectedStage: 'dispatch', departmentIds: [999_999], note: '吹哨' }, 422, 'departmentIds'],
      [dispatcher, { action: 'redispatch', expectedStage: 'dispatch', departmentId: 999_999, note: '改派' }, 422, 'departmentId'],
      [staffCg, { action: 'return', expectedStage: 'dispatch' }, 400, 'note'],
      [staffCg, { action: 'sign', expectedStage: 'dispatch', actor: '别人' }, 400, 'actor'],
      [staffCg, { action: 'fly', expectedStage: 'dispatch' }, 400, 'action'],
    ];
    for (const [u, body, status, field] of cases) {
      const res = await actAs(db(), u, id, body);
      expect({ who: u.username, action: body.action, status: res.status }).toEqual({ who: u.username, action: body.action, status });
      expect(res.body.title).toMatch(/[\u4e00-\u9fa5]/);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(await snapshot(db(), id)).toEqual(before);
  });

  it('退单: the staff asks, the dispatcher refuses once, approves the second time; the case goes back to 立案 and can be dispatched again', async () => {
    const { gw1, dispatcher, staffCg, staffZj } = p.users;
    const id = await reportAs(db(), gw1, p.grid);
    await actAs(db(), dispatcher, id, { action: 'dispatch', expectedStage: 'collect', departmentId: p.departments.cg });
    expect((await actAs(db(), staffCg, id, { action: 'return', expectedStage: 'dispatch', note: '不属本单位职责' })).status).toBe(200);
    const pending = await detailAs(db(), dispatcher, id);
    expect(pending.body.pendingRequest).toMatchObject({ kind: 'return', reason: '不属本单位职责' });
    expect(pending.body.allowedActions.map((a: { action: string }) => a.action)).toEqual(expect.arrayContaining(['redispatch', 'return_approved', 'return_refused']));
    expect((await actAs(db(), staffCg, id, { action: 'sign', expectedStage: 'dispatch' })).status).toBe(422);
    expect((await actAs(db(), dispatcher, id, { action: 'return_refused', expectedStage: 'dispatch', note: '属城管职责' })).status).toBe(200);
    expect((await actAs(db(), staffCg, id, { action: 'return', expectedStage: 'dispatch', note: '确非本单位' })).status).toBe(200);
    const approved = await actAs(db(), dispatcher, id, { action: 'return_approved', expectedStage: 'dispatch' });
    expect(approved.body.incident).toMatchObject({ stage: 'register', department: null, pendingRequest: null });
    expect(approved.body.incident.requests.map((r: { decision: string }) => r.decision)).toEqual(['refused', 'approved']);
    const again = await actAs(db(), dispatcher, id, { action: 'dispatch', expectedStage: 'register', departmentId: p.departments.zj });
    expect(again.status).toBe(200);
    expect((await actAs(db(), staffZj, id, { action: 'sign', expectedStage: 'dispatch' })).status).toBe(200);
    // 城管 was dispatched once: it still reads the case (dispatched … or was), but cannot act.
    expect((await detailAs(db(), staffCg, id)).body.allowedActions).toEqual([]);
  });

  it('改派 while a 退单 is open supersedes it; 督办 is counted; 延期 and 缓办 are requests the dispatcher decides', async () => {
    const { gw1, gwNeighbour, dispatcher, staffCg } = p.users;
    const id = await reportAs(db(), gw1, p.grid);
    await actAs(db(), dispatcher, id, { action: 'dispatch', expectedStage: 'collect', departmentId: p.departments.cg });
    await actAs(db(), staffCg, id, { action: 'return', expectedStage: 'dispatch', note: '非本单位' });
    const re = await actAs(db(), dispatcher, id, { action: 'redispatch', expectedStage: 'dispatch', assigneeUserId: gwNeighbour.id, note: '网格内处理' });
    expect(re.body.incident).toMatchObject({ stage: 'dispatch', assignee: { id: gwNeighbour.id }, department: null, pendingRequest: null });
    expect(re.body.incident.requests[0].decision).toBe('superseded');
    expect((await actAs(db(), dispatcher, id, { action: 'redispatch', expectedStage: 'dispatch', assigneeUserId: gw1.id, note: '给上报人' })).status).toBe(422);
    await actAs(db(), gwNeighbour, id, { action: 'sign', expectedStage: 'dispatch' });
    for (let k = 0; k < 2; k++) await actAs(db(), dispatcher, id, { action: 'urge', expectedStage: 'handle', note: '请加快' });
    const deadlineBefore = (await detailAs(db(), dispatcher, id)).body.deadlineAt as string;
    await actAs(db(), gwNeighbour, id, { action: 'extension_request', expectedStage: 'handle', hours: 24, note: '需协调' });
    expect((await actAs(db(), gwNeighbour, id, { action: 'suspension_request', expectedStage: 'handle', note: '再申请' })).status).toBe(422);
    const ext = await actAs(db(), dispatcher, id, { action: 'extension_approved', expectedStage: 'handle' });
    // 24 working hours on the stored working calendar (not 24 wall-clock hours).
    const extended = addWorkingTime(new Date(deadlineBefore), { hours: 24 }, await loadWorkCalendar(db()));
    expect(new Date(ext.body.incident.deadlineAt).toISOString()).toBe(extended.toISOString());
    expect(extended.getTime() - new Date(deadlineBefore).getTime()).toBeGreaterThan(24 * 3_600_000);
    expect(ext.body.incident).toMatchObject({ urgeCount: 2, extended: true });
    await actAs(db(), gwNeighbour, id, { action: 'suspension_request', expectedStage: 'handle', note: '等待业主' });
    const sus = await actAs(db(), dispatcher, id, { action: 'suspension_approved', expectedStage: 'handle' });
    expect(sus.body.incident.suspended).toBe(true);
    expect((await actAs(db(), gwNeighbour, id, { action: 'handle', expectedStage: 'handle', note: '好了' })).status).toBe(422);
    await actAs(db(), dispatcher, id, { action: 'resumption', expectedStage: 'handle' });
    expect((await actAs(db(), gwNeighbour, id, { action: 'handle', expectedStage: 'handle', note: '好了' })).status).toBe(200);
    const actions = (await db().rows<{ action: string }>(sql`SELECT action FROM incident_transitions WHERE incident_id = ${id} ORDER BY id`)).map((r) => r.action);
    expect(actions).toEqual([
      'report',
      'register',
      'dispatch',
      'return',
      'redispatch',
      'sign',
      'urge',
      'urge',
      'extension_request',
      'extension_approved',
      'suspension_request',
      'suspension_approved',
      'resumption',
      'handle',
    ]);
  });

  it('吹哨报到: two departments summoned, each reports in once within its deadline; the handler cannot verify their own work', async () => {
    const { gw1, dispatcher, staffCg, staffZj, staffSj } = p.users;
    const id = await reportAs(db(), gw1, p.grid);
    await actAs(db(), dispatcher, id, { action: 'dispatch', expectedStage: 'collect', assigneeUserId: p.users.gw2.id });
    const w = await actAs(db(), dispatcher, id, { action: 'whistle', expectedStage: 'dispatch', departmentIds: [p.departments.cg, p.departments.zj], hours: 4, note: '多部门联合' });
    expect(w.status).toBe(200);
    expect(w.body.incident.escalation).toBe('department');
    expect(w.body.incident.summons.map((s: { department: { id: number } }) => s.department.id)).toEqual([p.departments.cg, p.departments.zj]);
    expect((await actAs(db(), dispatcher, id, { action: 'whistle', expectedStage: 'dispatch', departmentIds: [p.departments.cg], note: '再吹' })).status).toBe(422);
    expect((await actAs(db(), staffSj, id, { action: 'report_in', expectedStage: 'dispatch' })).status).toBe(403);
    expect((await detailAs(db(), staffCg, id)).body.allowedActions.map((a: { action: string }) => a.action)).toEqual(['report_in']);
    expect((await actAs(db(), staffCg, id, { action: 'report_in', expectedStage: 'dispatch', note: '已到场' })).status).toBe(200);
    expect((await actAs(db(), staffCg, id, { action: 'report_in', expectedStage: 'dispatch' })).status).toBe(403);
    const zj = await actAs(db(), staffZj, id, { action: 'report_in', expectedStage: 'dispatch' });
    expect(zj.body.incident.summons.every((s: { reportedAt: string | null; status: { met: boolean } }) => s.reportedAt !== null && s.status.met)).toBe(true);
    await actAs(db(), p.users.gw2, id, { action: 'sign', expectedStage: 'dispatch' });
    await actAs(db(), p.users.gw2, id, { action: 'handle', expectedStage: 'handle', note: '联合处置完毕' });
    const self = await actAs(db(), p.users.gw2, id, { action: 'verify', expectedStage: 'feedback' });
    expect(self.status).toBe(403);
    expect(self.body.errors[0].reason).toMatch(/处置人以外/);
    const reporter = await actAs(db(), gw1, id, { action: 'verify', expectedStage: 'feedback' });
    expect(reporter.status).toBe(403);
    expect((await actAs(db(), dispatcher, id, { action: 'rework', expectedStage: 'feedback', note: '未清理干净' })).body.incident).toMatchObject({ stage: 'handle', reworkCount: 1 });
  });

  it('bulk dispatch writes all or nothing and names each refusal', async () => {
    const { gw1, dispatcher, farDispatcher } = p.users;
    const a = await reportAs(db(), gw1, p.grid);
    const b = await reportAs(db(), gw1, p.grid);
    const far = await reportAs(db(), p.users.gwFar, p.farGrid);
    const refused = await postJsonAs(db(), dispatcher, '/api/incidents/bulk-dispatch', { ids: [a, far, b], departmentId: p.departments.cg, expectedStage: 'collect' });
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['ids.1']);
    const stages = async () => (await db().rows<{ stage: string }>(sql`SELECT stage FROM incidents WHERE id IN (${a}, ${b}) ORDER BY id`)).map((r) => r.stage);
    expect(await stages()).toEqual(['collect', 'collect']);
    const ok = await postJsonAs(db(), dispatcher, '/api/incidents/bulk-dispatch', { ids: [a, b], departmentId: p.departments.cg, expectedStage: 'collect' });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { dispatched: unknown[] }).dispatched).toHaveLength(2);
    expect(await stages()).toEqual(['dispatch', 'dispatch']);
    expect((await postJsonAs(db(), farDispatcher, '/api/incidents/bulk-dispatch', { ids: [far], expectedStage: 'collect' })).status).toBe(400);
  });
});
