/**
 * The inbox and the read rule through the API (issue 14 points 5 and 8, server side):
 * each role's tabs and counts hold exactly the work waiting for them, sorted by
 * remaining time; the SQL twin of mayReadIncident agrees with the kernel rule on every
 * incident of the sample for every role; and the authorization matrix — every user of
 * the loop × an incident in every stage × every action — is enforced by the server as
 * the detail's allowedActions says (refused: 403/422 and nothing written).
 */
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { mayReadIncident } from '../../kernel/incidentAccess';
import { allowedActions, LOOP_ACTIONS, type LoopAction } from '../../kernel/loopActions';
import type { SessionUser } from '../../kernel/roles';
import type { IncidentStage } from '../../kernel/stages';
import { describeEachEngine } from '../testing/databases';
import { actAs, type LoopPeople, loopPeople, reportAs } from '../testing/loopPeople';
import { requestAs } from '../testing/requestAs';
import { audiencesOf, readableBy } from './incidentAccess';
import { inboxCounts, tabImpliesReadable } from './inbox';
import { loadCase } from './loopCase';

const getAs = async (db: DbHandle, u: SessionUser, path: string) => {
  const res = await requestAs(db, u, path);
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

describeEachEngine('workbench inbox and read rule', (db) => {
  let p: LoopPeople;
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    p = await loopPeople(db(), 'ib');
    const { gw1, dispatcher, staffCg } = p.users;
    ids.fresh = await reportAs(db(), gw1, p.grid, '新上报');
    ids.toCg = await reportAs(db(), gw1, p.grid, '派城管');
    await actAs(db(), dispatcher, ids.toCg, { action: 'dispatch', expectedStage: 'collect', departmentId: p.departments.cg });
    ids.handling = await reportAs(db(), gw1, p.grid, '城管处置中');
    await actAs(db(), dispatcher, ids.handling, { action: 'dispatch', expectedStage: 'collect', departmentId: p.departments.cg });
    await actAs(db(), staffCg, ids.handling, { action: 'sign', expectedStage: 'dispatch' });
    await actAs(db(), dispatcher, ids.handling, { action: 'urge', expectedStage: 'handle' });
    ids.toWorker = await reportAs(db(), gw1, p.grid, '派网格员');
    await actAs(db(), dispatcher, ids.toWorker, { action: 'dispatch', expectedStage: 'collect', assigneeUserId: p.users.gwNeighbour.id });
    await actAs(db(), dispatcher, ids.toWorker, { action: 'whistle', expectedStage: 'dispatch', departmentIds: [p.departments.zj], note: '联合' });
    ids.feedback = await reportAs(db(), gw1, p.grid, '待核实');
    await actAs(db(), dispatcher, ids.feedback, { action: 'dispatch', expectedStage: 'collect', departmentId: p.departments.cg });
    await actAs(db(), staffCg, ids.feedback, { action: 'sign', expectedStage: 'dispatch' });
    await actAs(db(), staffCg, ids.feedback, { action: 'handle', expectedStage: 'handle', note: '完成' });
    // An overdue one: its deadline already passed.
    ids.overdue = await reportAs(db(), gw1, p.grid, '已超期');
    await db().db.execute(sql`UPDATE incidents SET deadline_at = now() - interval '1 hour' WHERE id = ${ids.overdue}`);
  });

  const tab = async (u: SessionUser, name: string, extra = '') => {
    const res = await getAs(db(), u, `/api/incidents/inbox?tab=${name}&pageSize=200${extra}`);
    expect(res.status).toBe(200);
    return res.body as { items: { id: number; deadline: { level: string; remainingMs: number | null }; summons: unknown[]; urgeCount: number }[]; total: number };
  };
  const idsOf = (t: { items: { id: number }[] }) => t.items.map((i) => i.id);

  it("holds each role's work in its tabs", async () => {
    const { gw1, gw2, dispatcher, farDispatcher, staffCg, staffZj, gwNeighbour } = p.users;
    expect(idsOf(await tab(staffCg, 'to_sign'))).toEqual([ids.toCg]);
    expect(idsOf(await tab(staffCg, 'to_handle'))).toEqual([ids.handling]);
    expect(idsOf(await tab(staffZj, 'to_sign'))).toEqual([ids.toWorker]);
    expect(idsOf(await tab(gwNeighbour, 'to_sign'))).toEqual([ids.toWorker]);
    expect(idsOf(await tab(gw2, 'to_verify'))).toContain(ids.feedback);
    expect(idsOf(await tab(gw1, 'to_verify'))).not.toContain(ids.feedback);
    expect(idsOf(await tab(gw1, 'mine')).sort()).toEqual(Object.values(ids).sort());
    const toDispatch = idsOf(await tab(dispatcher, 'to_dispatch'));
    expect(toDispatch).toEqual(expect.arrayContaining([ids.fresh, ids.overdue]));
    expect(toDispatch).not.toContain(ids.toCg);
    expect(idsOf(await tab(farDispatcher, 'to_dispatch'))).not.toContain(ids.fresh);
    const supervised = await tab(dispatcher, 'supervised');
    expect(supervised.items.find((i) => i.id === ids.handling)?.urgeCount).toBe(1);
    const overdue = await tab(dispatcher, 'overdue');
    expect(overdue.items.find((i) => i.id === ids.overdue)?.deadline.level).toBe('red');
    expect((await tab(staffZj, 'to_sign')).items[0]!.summons).toHaveLength(1);
  });

  it('sorts by remaining time, filters, pages, and counts the tabs of the role', async () => {
    const { dispatcher, gw1 } = p.users;
    const all = await tab(dispatcher, 'to_dispatch');
    const remaining = all.items.map((i) => i.deadline.remainingMs ?? Number.POSITIVE_INFINITY);
    expect(remaining).toEqual([...remaining].sort((a, b) => a - b));
    const page2 = await getAs(db(), dispatcher, '/api/incidents/inbox?tab=to_dispatch&page=2&pageSize=1');
    expect(page2.body).toMatchObject({ total: all.total, page: 2, pageSize: 1 });
    expect(page2.body.items.map((i: { id: number }) => i.id)).toEqual(idsOf(all).slice(1, 2));
    const filtered = await tab(dispatcher, 'mine');
    expect(filtered.total).toBe(0);
    const byDept = await tab(p.users.admin, 'to_sign', `&department=${p.departments.cg}`);
    expect(idsOf(byDept)).toEqual([ids.toCg]);
    const counts = await getAs(db(), gw1, '/api/incidents/inbox/counts');
    expect(counts.body.tabs).toEqual(['to_sign', 'to_handle', 'to_verify', 'mine', 'supervised', 'overdue']);
    expect(counts.body.counts.mine).toBe(Object.keys(ids).length);
    const dc = await getAs(db(), dispatcher, '/api/incidents/inbox/counts');
    expect(dc.body.counts.to_dispatch).toBe(all.total);
  });

  it('tabs that skip the read rule (tabImpliesReadable) count exactly what the rule would leave, and 我上报的 is newest first', async () => {
    let implied = 0;
    for (const user of Object.values(p.users)) {
      const fast = await inboxCounts(db(), user);
      const ruled = await inboxCounts(db(), user, new Date(), 'always');
      expect({ user: user.username, counts: fast.counts }).toEqual({ user: user.username, counts: ruled.counts });
      for (const t of fast.tabs) if (tabImpliesReadable(t, user)) implied += fast.counts[t] ?? 0;
    }
    // The shortcut is exercised: work sits in tabs that skip the rule.
    expect(implied).toBeGreaterThan(5);
    const mine = (await tab(p.users.gw1, 'mine')).items as unknown as { id: number; reportedAt: string }[];
    const times = mine.map((i) => Date.parse(i.reportedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('refuses bad inbox queries with Chinese problem details', async () => {
    for (const q of ['tab=everything', 'tab=mine&pageSize=1000', 'tab=mine&stage=done', 'tab=mine&from=2026-13-01', 'tab=mine&department=x']) {
      const res = await getAs(db(), p.users.dispatcher, `/api/incidents/inbox?${q}`);
      expect({ q, status: res.status }).toEqual({ q, status: 400 });
      expect(res.body.title).toMatch(/[\u4e00-\u9fa5]/);
    }
  });

  it('the SQL read rule agrees with the kernel rule on every incident for every role', async () => {
    const audiences = await audiencesOf(db());
    expect(audiences.size).toBeGreaterThan(1000);
    for (const user of Object.values(p.users)) {
      const rows = await db().rows<{ id: number }>(sql`SELECT i.id FROM incidents i WHERE ${readableBy(user)}`);
      const sqlIds = new Set(rows.map((r) => Number(r.id)));
      const kernelIds = [...audiences].filter(([, a]) => mayReadIncident(user, a)).map(([id]) => id);
      expect({ user: user.username, n: sqlIds.size }).toEqual({ user: user.username, n: kernelIds.length });
      expect(kernelIds.every((id) => sqlIds.has(id))).toBe(true);
    }
    // dept staff read what was dispatched or whistled to them, and nothing else.
    const zj = await db().rows<{ id: number }>(sql`SELECT i.id FROM incidents i WHERE ${readableBy(p.users.staffZj)}`);
    expect(zj.map((r) => Number(r.id))).toEqual([ids.toWorker]);
    expect((await getAs(db(), p.users.staffSj, `/api/incidents/${ids.toCg}`)).status).toBe(403);
    expect((await getAs(db(), p.users.gwFar, `/api/incidents/${ids.toCg}`)).status).toBe(403);
    const detail = await getAs(db(), p.users.staffCg, `/api/incidents/${ids.toCg}`);
    expect(detail.status).toBe(200);
    // The detail names its place, not only its codes.
    const [names] = await db().rows<{ grid: string; community: string; street: string }>(sql`
      SELECT g.name AS grid, rc.name AS community, rs.name AS street FROM grids g JOIN regions rc ON rc.code = g.community_code JOIN regions rs ON rs.code = g.street_code WHERE g.code = ${detail.body.gridCode}`);
    expect(detail.body.placeNames).toEqual(names);
  });

  it('authorization matrix: every user × an incident in every stage × every action, enforced as allowedActions says', async () => {
    const { gw1, gwNeighbour, dispatcher } = p.users;
    const id = await reportAs(db(), gw1, p.grid, '矩阵');
    const reportRow = Number((await db().rows<{ id: number }>(sql`SELECT min(id) AS id FROM incident_transitions WHERE incident_id = ${id}`))[0]!.id);
    const arrange = async (stage: IncidentStage) => {
      await db().db.execute(sql`DELETE FROM incident_transitions WHERE incident_id = ${id} AND id > ${reportRow}`);
      await db().db.execute(sql`DELETE FROM incident_requests WHERE incident_id = ${id}`);
      await db().db.execute(sql`DELETE FROM incident_summons WHERE incident_id = ${id}`);
      const dept = stage === 'dispatch' ? p.departments.cg : null;
      const worker = stage === 'handle' || stage === 'feedback' ? gwNeighbour.id : null;
      await db().db.execute(sql`UPDATE incidents SET stage = ${stage}, department_id = ${dept}, assignee_user_id = ${worker},
        handler_user_id = ${stage === 'feedback' ? gwNeighbour.id : null}, pending_request = ${stage === 'handle' ? 'extension' : null},
        satisfaction = NULL, suspended = false, extended = false, urge_count = 0, closed_at = NULL, escalation = 'grid' WHERE id = ${id}`);
      if (stage === 'handle') await db().db.execute(sql`INSERT INTO incident_requests (incident_id, kind, reason, hours, requested_by, requested_at) VALUES (${id}, 'extension', '矩阵', 8, 'x', now())`);
      if (stage === 'dispatch')
        await db().db.execute(sql`INSERT INTO incident_summons (incident_id, department_id, deadline_at, summoned_at, summoned_by) VALUES (${id}, ${p.departments.zj}, now() + interval '1 day', now(), 'x')`);
    };
    const body = (action: LoopAction, stage: IncidentStage) => ({
      action,
      expectedStage: stage,
      note: '矩阵测试',
      ...(action === 'dispatch' || action === 'redispatch' ? { departmentId: p.departments.sj } : {}),
      ...(action === 'extension_request' || action === 'whistle' ? { hours: 8 } : {}),
      ...(action === 'whistle' ? { departmentIds: [p.departments.sj] } : {}),
      ...(action === 'revisit' ? { satisfaction: 4 } : {}),
    });
    const users = [dispatcher, p.users.farDispatcher, p.users.gw2, gwNeighbour, p.users.gwFar, p.users.staffCg, p.users.staffZj, p.users.leader, p.users.admin];
    const stages: IncidentStage[] = ['collect', 'register', 'dispatch', 'handle', 'feedback', 'close', 'evaluate'];
    const shown: Record<string, string[]> = {};
    for (const stage of stages) {
      await arrange(stage);
      const c = (await loadCase(db().db, id, false))!;
      const before = await db().rows(sql`SELECT count(*)::int AS n FROM incident_transitions WHERE incident_id = ${id}`);
      for (const user of users) {
        const detail = await getAs(db(), user, `/api/incidents/${id}`);
        const buttons: string[] = detail.status === 200 ? detail.body.allowedActions.map((a: { action: string }) => a.action) : [];
        expect(buttons, `${user.username} @${stage}`).toEqual(allowedActions(user, c).map((a) => a.action));
        shown[`${user.username.replace('ib-', '')}@${stage}`] = buttons;
        for (const action of LOOP_ACTIONS) {
          if (buttons.includes(action)) continue;
          const res = await actAs(db(), user, id, body(action, stage));
          expect([403, 422], `${user.username} ${action} @${stage}: ${res.status}`).toContain(res.status);
        }
        expect(await db().rows(sql`SELECT count(*)::int AS n FROM incident_transitions WHERE incident_id = ${id}`)).toEqual(before);
        for (const action of buttons) {
          const res = await actAs(db(), user, id, body(action as LoopAction, stage));
          expect({ who: user.username, action, stage, status: res.status }).toEqual({ who: user.username, action, stage, status: 200 });
          await arrange(stage);
        }
      }
    }
    // The matrix by hand for the facts issue 14 names.
    expect(shown['staff-zj@dispatch']).toEqual(['report_in']);
    expect(shown['staff-cg@dispatch']).toEqual(['sign', 'return', 'extension_request', 'suspension_request']);
    expect(shown['staff-cg@handle']).toEqual([]);
    expect(shown['gw-far@feedback']).toEqual([]);
    expect(shown['gw2@feedback']).toEqual(['verify', 'rework']);
    expect(shown['gw-neighbour@feedback']).toEqual([]);
    expect(shown['far-dispatcher@collect']).toEqual([]);
    expect(shown['dispatcher@collect']).toEqual(['register', 'dispatch']);
    expect(shown['leader@handle']).toEqual([]);
    expect(shown['dispatcher@evaluate']).toEqual([]);
    // ~1,400 requests: minutes on a loaded machine.
  }, 600_000);
});
