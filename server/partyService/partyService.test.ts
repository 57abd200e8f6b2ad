/**
 * 双报到, 三清单, 为民红绳/微心愿 and 星级 through the API on both engines: the claim
 * flow with wrong actors and double claims refused, the star review flow with its
 * 公示 period rules, masking of units' and members' personal data per role, and the
 * figures (报到率, services done) against values computed by hand on a small fixture.
 */
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import type { Role, SessionUser } from '../../kernel/roles';
import { describeEachEngine } from '../testing/databases';
import { requestAs } from '../testing/requestAs';

const COMMUNITY = '450902005001';
const OTHER_COMMUNITY = '450902003001';
const STREET = '450902005';

const user = (id: number, username: string, role: Role, extra: Partial<SessionUser> = {}): SessionUser => ({
  id,
  username,
  displayName: username,
  role,
  jurisdictionCode: null,
  gridCodes: [],
  departmentId: null,
  ...extra,
});
const admin = user(9001, 'ps-admin', 'admin');
const communityPlanner = user(9002, 'ps-community', 'planner', { jurisdictionCode: COMMUNITY });
const streetPlanner = user(9003, 'ps-street', 'planner', { jurisdictionCode: STREET });
const otherPlanner = user(9004, 'ps-other', 'planner', { jurisdictionCode: '450902003' });
const claimerA = user(9005, 'ps-staff-a', 'dept_staff', { departmentId: 1 });
const claimerB = user(9006, 'ps-gw-b', 'grid_worker', { gridCodes: [`${OTHER_COMMUNITY}001`] });
const leader = user(9007, 'ps-leader', 'leader');
const analyst = user(9008, 'ps-analyst', 'analyst');

const send = async (db: DbHandle, u: SessionUser, method: string, path: string, body?: unknown) => {
  const res = await requestAs(db, u, path, { method, headers: { 'Content-Type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

describeEachEngine('party service: 双报到, 三清单, 微心愿, 星级', (db) => {
  const ids = { units: [] as number[], members: [] as number[] };

  beforeAll(async () => {
    // The fixture community starts empty of party-service rows (the sample fills every community).
    await db().rows(sql`DELETE FROM service_wishes WHERE community_code = ${COMMUNITY}`);
    await db().rows(sql`DELETE FROM co_build_projects WHERE community_code = ${COMMUNITY}`);
    await db().rows(sql`DELETE FROM community_list_items WHERE community_code = ${COMMUNITY}`);
    await db().rows(sql`DELETE FROM party_members WHERE community_code = ${COMMUNITY} OR unit_id IN (SELECT id FROM party_units WHERE community_code = ${COMMUNITY})`);
    await db().rows(sql`DELETE FROM party_units WHERE community_code = ${COMMUNITY}`);
    await db().rows(sql`DELETE FROM star_ratings WHERE org_code LIKE ${`${COMMUNITY}%`}`);
    // Two units: 10 and 5 members who should report.
    for (const [name, kind, members] of [
      ['市第一中学', '事业单位', 10],
      ['玉林供电局', '企业', 5],
    ] as const) {
      const r = await send(db(), communityPlanner, 'POST', '/api/dual-report/units', {
        name,
        kind,
        communityCode: COMMUNITY,
        contactName: '张联络',
        contactPhone: '13812341234',
        memberCount: members,
        reportedOn: '2026-03-01',
      });
      expect(r.status).toBe(201);
      ids.units.push(r.body.id);
    }
    // Unit 1: 4 members reported here, 1 elsewhere (OTHER_COMMUNITY), 1 not yet; unit 2: 2 reported here.
    const members: [number, string | null][] = [
      [0, COMMUNITY],
      [0, COMMUNITY],
      [0, COMMUNITY],
      [0, COMMUNITY],
      [0, OTHER_COMMUNITY],
      [0, null],
      [1, COMMUNITY],
      [1, COMMUNITY],
    ];
    for (const [k, community] of members) {
      const writer = community === OTHER_COMMUNITY ? admin : communityPlanner;
      const r = await send(db(), writer, 'POST', '/api/dual-report/members', {
        name: `党员${ids.members.length + 1}`,
        unitId: ids.units[k],
        phone: '13900001111',
        communityCode: community,
        reportedOn: community ? '2026-04-01' : null,
      });
      expect(r.status).toBe(201);
      ids.members.push(r.body.id);
    }
  });

  it('registers units and members only inside the staff member’s jurisdiction', async () => {
    const refused = await send(db(), otherPlanner, 'POST', '/api/dual-report/units', { name: '某单位', kind: '机关', communityCode: COMMUNITY, memberCount: 3, reportedOn: '2026-03-01' });
    expect(refused.status).toBe(403);
    expect((await send(db(), claimerA, 'POST', '/api/dual-report/units', { name: '某单位', kind: '机关', communityCode: COMMUNITY, memberCount: 3, reportedOn: '2026-03-01' })).status).toBe(403);
    const bad = await send(db(), admin, 'POST', '/api/dual-report/units', { name: '某单位', kind: '外星', communityCode: COMMUNITY, memberCount: -1, reportedOn: '3月1日' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['kind', 'memberCount', 'reportedOn']);
    const halfMember = await send(db(), admin, 'POST', '/api/dual-report/members', { name: '王五', unitId: ids.units[0], communityCode: COMMUNITY });
    expect(halfMember.status).toBe(422);
  });

  it('masks contacts and members per role', async () => {
    const asAdmin = (await send(db(), admin, 'GET', `/api/dual-report/units?region=${COMMUNITY}`)).body.units[0];
    expect(asAdmin).toMatchObject({ contactName: '张联络', contactPhone: '138****1234', personalDataWithheld: false });
    const asPlanner = (await send(db(), communityPlanner, 'GET', `/api/dual-report/members?region=${COMMUNITY}`)).body.members;
    expect(asPlanner.find((m: { id: number }) => m.id === ids.members[0])).toMatchObject({ name: '党员1', phone: '139****1111' });
    const asOther = (await send(db(), otherPlanner, 'GET', `/api/dual-report/members?region=${COMMUNITY}`)).body.members;
    expect(asOther.find((m: { id: number }) => m.id === ids.members[0])).toMatchObject({ name: null, phone: null, personalDataWithheld: true });
    const asAnalyst = (await send(db(), analyst, 'GET', `/api/dual-report/units?region=${COMMUNITY}`)).body.units[0];
    expect(asAnalyst).toMatchObject({ contactName: null, contactPhone: null, personalDataWithheld: true, name: '市第一中学' });
    const asLeader = (await send(db(), leader, 'GET', `/api/dual-report/units?region=${COMMUNITY}`)).body.units[0];
    expect(asLeader).toMatchObject({ contactName: '张联络', contactPhone: '138****1234' });
  });

  it('runs the claim flow: post → claim → done → confirm, refusing wrong actors and double claims', async () => {
    const refusedPost = await send(db(), otherPlanner, 'POST', '/api/wishes', { communityCode: COMMUNITY, kind: 'wish', title: '帮独居老人修水龙头', category: '维修服务' });
    expect(refusedPost.status).toBe(403);
    const posted = await send(db(), communityPlanner, 'POST', '/api/wishes', { communityCode: COMMUNITY, kind: 'wish', title: '帮独居老人修水龙头', category: '维修服务' });
    expect(posted.status).toBe(201);
    const id = posted.body.id as number;
    const act = (u: SessionUser, body: Record<string, unknown>) => send(db(), u, 'POST', `/api/wishes/${id}/actions`, body);
    expect((await act(leader, { action: 'claim', unitId: ids.units[0] })).status).toBe(403);
    expect((await act(claimerA, { action: 'claim' })).status).toBe(422);
    expect((await act(claimerA, { action: 'complete' })).status).toBe(409);
    expect((await act(claimerA, { action: 'claim', unitId: ids.units[0] })).body).toEqual({ id, status: 'claimed' });
    const second = await act(claimerB, { action: 'claim', memberId: ids.members[6] });
    expect(second.status).toBe(409);
    expect(second.body.detail).toBe('该心愿已被认领');
    expect((await act(claimerB, { action: 'complete', note: '已修好' })).status).toBe(403);
    expect((await act(claimerA, { action: 'confirm' })).status).toBe(409);
    expect((await act(claimerA, { action: 'complete', note: '已更换水龙头' })).body.status).toBe('done');
    expect((await act(claimerA, { action: 'confirm' })).status).toBe(403);
    expect((await act(otherPlanner, { action: 'confirm' })).status).toBe(403);
    expect((await act(communityPlanner, { action: 'confirm' })).body.status).toBe('confirmed');
    const board = (await send(db(), communityPlanner, 'GET', `/api/wishes/board/${COMMUNITY}`)).body;
    const wish = board.wishes.find((w: { id: number }) => w.id === id);
    expect(wish).toMatchObject({ status: 'confirmed', claimant: '市第一中学', claimedBy: 'ps-staff-a', doneNote: '已更换水龙头', confirmedBy: 'ps-community', allowedActions: [] });
    const events = await db().rows<{ action: string; actor: string }>(sql`SELECT action, actor FROM service_wish_events WHERE wish_id = ${id} ORDER BY id`);
    expect(events.map((e) => `${e.action}:${e.actor}`)).toEqual(['post:ps-community', 'claim:ps-staff-a', 'complete:ps-staff-a', 'confirm:ps-community']);
  });

  it('lets two claimers race for one wish: exactly one wins', async () => {
    const { id } = (await send(db(), communityPlanner, 'POST', '/api/wishes', { communityCode: COMMUNITY, kind: 'red_rope', title: '陪老人就医', category: '医疗健康' })).body;
    const results = await Promise.all([
      send(db(), claimerA, 'POST', `/api/wishes/${id}/actions`, { action: 'claim', unitId: ids.units[1] }),
      send(db(), claimerB, 'POST', `/api/wishes/${id}/actions`, { action: 'claim', memberId: ids.members[0] }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const [row] = await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM service_wish_events WHERE wish_id = ${id} AND action = 'claim'`);
    expect(Number(row!.n)).toBe(1);
  });

  it('suggests resources of the wish’s category, nearest first', async () => {
    const near = await send(db(), communityPlanner, 'POST', `/api/service-lists/${COMMUNITY}/items`, { list: 'resource', title: '志愿维修队', category: '维修服务', unitId: ids.units[1] });
    expect(near.status).toBe(201);
    const { id } = (await send(db(), communityPlanner, 'POST', '/api/wishes', { communityCode: COMMUNITY, kind: 'wish', title: '修理楼道灯', category: '维修服务' })).body;
    const s = (await send(db(), claimerA, 'GET', `/api/wishes/${id}/suggestions`)).body;
    expect(s.suggestions.length).toBeGreaterThan(0);
    expect(s.suggestions.every((x: { distanceM: number }, k: number, all: { distanceM: number }[]) => k === 0 || all[k - 1]!.distanceM <= x.distanceM)).toBe(true);
    expect(s.suggestions[0]).toMatchObject({ resourceId: near.body.id, communityCode: COMMUNITY, distanceM: 0 });
    const categories = await db().rows<{ category: string }>(
      sql`SELECT DISTINCT category FROM community_list_items WHERE id IN (${sql.join(
        s.suggestions.map((x: { resourceId: number }) => x.resourceId),
        sql`, `,
      )})`,
    );
    expect(categories.map((c) => c.category)).toEqual(['维修服务']);
  });

  it('computes 报到率 and services done as counted by hand', async () => {
    const need = await send(db(), communityPlanner, 'POST', `/api/service-lists/${COMMUNITY}/items`, { list: 'need', title: '老旧小区路灯维修', category: '维修服务' });
    const resource = (await send(db(), communityPlanner, 'GET', `/api/service-lists/${COMMUNITY}`)).body.resources[0];
    const project = await send(db(), communityPlanner, 'POST', `/api/service-lists/${COMMUNITY}/projects`, { title: '共建路灯', needId: need.body.id, resourceId: resource.id });
    expect(project.status).toBe(201);
    expect((await send(db(), communityPlanner, 'PATCH', `/api/service-lists/projects/${project.body.id}`, { status: 'done' })).status).toBe(200);
    expect((await send(db(), communityPlanner, 'PATCH', `/api/service-lists/projects/${project.body.id}`, { status: 'ongoing' })).status).toBe(409);
    const lists = (await send(db(), leader, 'GET', `/api/service-lists/${COMMUNITY}`)).body;
    expect(lists.needs[0]).toMatchObject({ status: 'matched' });
    const f = (await send(db(), leader, 'GET', `/api/dual-report/figures?region=${COMMUNITY}`)).body.figures;
    // Units 10 + 5 = 15 members who should report; reported: unit 1 five (4 here + 1 elsewhere), unit 2 two → 7 / 15.
    // Reported here: 4 + 2 = 6. Services: 1 confirmed wish (the flow above) + 1 done project.
    expect(f).toMatchObject({ units: 2, membersReported: 6, unitMembers: 15, unitMembersReported: 7, wishesConfirmed: 1, projectsDone: 1, servicesDone: 2 });
    expect(f.reportRate).toBeCloseTo(7 / 15, 10);
    const street = (await send(db(), leader, 'GET', `/api/dual-report/figures?region=${STREET}`)).body;
    const child = street.children.find((c: { code: string }) => c.code === COMMUNITY);
    expect(child).toMatchObject({ units: 2, membersReported: 6, servicesDone: 2 });
    expect(street.figures.units).toBe(street.children.reduce((n: number, c: { units: number }) => n + c.units, 0));
  });

  it('runs the star review: self → review → 公示 → final, with the period and objection rules', async () => {
    const scores = { leadership: 19, members: 18, mechanism: 18, performance: 17, masses: 19 };
    expect((await send(db(), otherPlanner, 'POST', '/api/stars', { orgCode: COMMUNITY, year: 2026, scores })).status).toBe(403);
    expect((await send(db(), communityPlanner, 'POST', '/api/stars', { orgCode: COMMUNITY, year: 2026, scores: { ...scores, masses: 25 } })).status).toBe(400);
    const self = await send(db(), communityPlanner, 'POST', '/api/stars', { orgCode: COMMUNITY, year: 2026, scores });
    expect(self.status).toBe(201);
    const id = self.body.id as number;
    const act = (u: SessionUser, body: Record<string, unknown>) => send(db(), u, 'POST', `/api/stars/${id}/actions`, body);
    // The community may not review itself; the street reviews (total 84 → four stars).
    expect((await act(communityPlanner, { action: 'review', scores })).status).toBe(403);
    expect((await act(streetPlanner, { action: 'publish', days: 7 })).status).toBe(409);
    const reviewed = await act(streetPlanner, { action: 'review', scores: { ...scores, performance: 10 } });
    expect(reviewed.body).toEqual({ id, status: 'review', stars: 4 });
    expect((await act(streetPlanner, { action: 'publish', days: 2 })).status).toBe(400);
    expect((await act(streetPlanner, { action: 'publish', days: 7 })).body.status).toBe('public');
    // During 公示: final refused before the period ends; objections allowed.
    const early = await act(streetPlanner, { action: 'finalise' });
    expect(early.status).toBe(422);
    expect(early.body.detail).toMatch(/期满后才能认定/);
    const objection = await act(leader, { action: 'object', text: '群众反映得分偏高' });
    expect(objection.status).toBe(200);
    await db().rows(sql`UPDATE star_ratings SET public_until = now() - interval '1 second' WHERE id = ${id}`);
    const blocked = await act(streetPlanner, { action: 'finalise' });
    expect(blocked.status).toBe(422);
    expect(blocked.body.detail).toMatch(/异议未处理/);
    expect((await act(claimerA, { action: 'object', text: '太晚了' })).status).toBe(422);
    const [open] = await db().rows<{ id: number }>(sql`SELECT id FROM star_objections WHERE rating_id = ${id} AND decision IS NULL`);
    expect((await act(communityPlanner, { action: 'decide_objection', objectionId: open!.id, decision: 'dismissed' })).status).toBe(403);
    expect((await act(streetPlanner, { action: 'decide_objection', objectionId: open!.id, decision: 'dismissed' })).status).toBe(200);
    expect((await act(streetPlanner, { action: 'finalise' })).body.status).toBe('final');
    expect((await act(streetPlanner, { action: 'review', scores })).status).toBe(409);
    expect((await send(db(), communityPlanner, 'POST', '/api/stars', { orgCode: COMMUNITY, year: 2026, scores })).status).toBe(409);
    const history = (await send(db(), leader, 'GET', `/api/stars/history/${COMMUNITY}`)).body.history;
    expect(history[0]).toMatchObject({ year: 2026, status: 'final', stars: 4, reviewedBy: 'ps-street' });
    expect(history[0].objections).toEqual([expect.objectContaining({ text: '群众反映得分偏高', decision: 'dismissed' })]);
  });

  it('sends an upheld objection back to review', async () => {
    const scores = { leadership: 15, members: 14, mechanism: 14, performance: 14, masses: 14 };
    const { id } = (await send(db(), communityPlanner, 'POST', '/api/stars', { orgCode: COMMUNITY, year: 2025, scores })).body;
    const act = (body: Record<string, unknown>) => send(db(), streetPlanner, 'POST', `/api/stars/${id}/actions`, body);
    expect((await act({ action: 'review', scores })).body.stars).toBe(3);
    await act({ action: 'publish', days: 5 });
    await send(db(), claimerB, 'POST', `/api/stars/${id}/actions`, { action: 'object', text: '自评材料不实' });
    const [open] = await db().rows<{ id: number }>(sql`SELECT id FROM star_objections WHERE rating_id = ${id}`);
    expect((await act({ action: 'decide_objection', objectionId: open!.id, decision: 'upheld' })).body.status).toBe('review');
    expect((await act({ action: 'review', scores: { ...scores, masses: 4 } })).body.stars).toBe(2);
  });

  it('shows the final stars by year with the year-on-year change', async () => {
    const d = (await send(db(), leader, 'GET', `/api/stars/distribution?region=${COMMUNITY}&year=2026`)).body;
    expect(d).toMatchObject({ year: 2026, current: [0, 0, 0, 1, 0], previous: [0, 0, 0, 0, 0], change: [0, 0, 0, 1, 0], threeStarOrBetter: 1, threeStarOrBetterChange: 1 });
  });

  it('puts the figures on the big screen and refreshes them after a write (data_changes)', async () => {
    const screen = async () => (await send(db(), leader, 'GET', `/api/screen/summary?region=${COMMUNITY}`)).body.party;
    const before = await screen();
    const [w] = await db().rows<Record<string, number>>(sql`SELECT count(*)::int AS posted, count(*) FILTER (WHERE status <> 'open')::int AS claimed,
      count(*) FILTER (WHERE status IN ('done', 'confirmed'))::int AS completed, count(*) FILTER (WHERE status = 'confirmed')::int AS confirmed FROM service_wishes WHERE community_code = ${COMMUNITY}`);
    expect(before.wishes).toEqual({ posted: Number(w!.posted), claimed: Number(w!.claimed), completed: Number(w!.completed), confirmed: Number(w!.confirmed) });
    expect(before.dualReport).toMatchObject({ units: 2, membersReported: 6, servicesDone: 2 });
    expect(before.dualReport.reportRate).toBeCloseTo(7 / 15, 10);
    expect(before.stars).toMatchObject({ year: 2026, current: [0, 0, 0, 1, 0] });
    expect((await send(db(), communityPlanner, 'POST', '/api/wishes', { communityCode: COMMUNITY, kind: 'wish', title: '送书上门', category: '文体活动' })).status).toBe(201);
    expect((await screen()).wishes.posted).toBe(before.wishes.posted + 1);
  });

  it('turns an incident into a 微心愿 of its community once (转为微心愿)', async () => {
    const [incident] = await db().rows<{ id: number }>(sql`SELECT id FROM incidents WHERE community_code = ${COMMUNITY} ORDER BY id LIMIT 1`);
    const path = `/api/wishes/from-incident/${incident!.id}`;
    expect((await send(db(), otherPlanner, 'POST', path, {})).status).toBe(403);
    const made = await send(db(), communityPlanner, 'POST', path, { category: '环境整治' });
    expect(made.status).toBe(201);
    expect((await send(db(), communityPlanner, 'POST', path, {})).status).toBe(409);
    const [w] = await db().rows<{ community_code: string; incident_id: number; status: string; category: string }>(
      sql`SELECT community_code, incident_id, status, category FROM service_wishes WHERE id = ${made.body.id}`,
    );
    expect(w).toEqual({ community_code: COMMUNITY, incident_id: incident!.id, status: 'open', category: '环境整治' });
  });
});
