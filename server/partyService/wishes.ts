/**
 * 为民红绳 / 微心愿 (issue 16 point 5): a community posts (its own form, or 转为微心愿
 * from an incident), a unit or member claims it, does it, the community confirms.
 * Every move is decided by kernel/wishFlow.ts inside one transaction that locks the
 * wish, writes its new state and the history row; actor from the session, time from
 * the database server's clock. Matching: resources of the same category, nearest first.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import type { ServiceCategory } from '../../kernel/partyService';
import type { SessionUser } from '../../kernel/roles';
import { allowedWishActions, decideWish, mayPostWish, type WishAction, type WishKind, type WishStatus } from '../../kernel/wishFlow';
import { PartyServiceProblem } from './errors';
import { requireRegion } from './regionScope';

export interface WishInput {
  kind: WishKind;
  title: string;
  description?: string | null | undefined;
  category: ServiceCategory;
}

type Tx = Parameters<Parameters<DbHandle['db']['transaction']>[0]>[0];
const txRows = async <T>(tx: Tx, q: ReturnType<typeof sql>) => ((await tx.execute(q)) as unknown as { rows: T[] }).rows;

export async function postWish(db: DbHandle, user: SessionUser, community: string, input: WishInput, incidentId: number | null = null): Promise<{ id: number }> {
  await requireRegion(db, community, 'communityCode', true);
  if (!mayPostWish(user, community)) throw new PartyServiceProblem(403, 'communityCode', '只有本社区的工作人员（规划员、受理员）或管理员可以发布心愿');
  return db.db.transaction(async (tx) => {
    const [row] = await txRows<{ id: number }>(
      tx,
      sql`INSERT INTO service_wishes (community_code, kind, title, description, category, location, incident_id, posted_by)
          VALUES (${community}, ${input.kind}, ${input.title}, ${input.description ?? null}, ${input.category},
                  ${incidentId === null ? sql`(SELECT label_point FROM regions WHERE code = ${community})` : sql`(SELECT geom FROM incidents WHERE id = ${incidentId})`},
                  ${incidentId}, ${user.username})
          RETURNING id`,
    );
    await tx.execute(sql`INSERT INTO service_wish_events (wish_id, action, from_status, to_status, actor, actor_user_id) VALUES (${row!.id}, 'post', NULL, 'open', ${user.username}, ${user.id || null})`);
    return { id: Number(row!.id) };
  });
}

/** 转为微心愿: the incident's community, description and place become a wish of that community. */
export async function wishFromIncident(db: DbHandle, user: SessionUser, incidentId: number, input: Partial<WishInput>): Promise<{ id: number }> {
  const [incident] = await db.rows<{ community_code: string | null; description: string | null; category: string | null; taken: boolean }>(sql`
    SELECT i.community_code, i.description, c.minor AS category, EXISTS (SELECT 1 FROM service_wishes w WHERE w.incident_id = i.id) AS taken
    FROM incidents i LEFT JOIN incident_categories c ON c.code = i.category_code WHERE i.id = ${incidentId}`);
  if (!incident) throw new PartyServiceProblem(404, 'incidentId', `事件 ${incidentId} 不存在`);
  if (!incident.community_code) throw new PartyServiceProblem(422, 'incidentId', '该事件不在任何社区内，不能转为微心愿');
  if (incident.taken) throw new PartyServiceProblem(409, 'incidentId', '该事件已转为微心愿');
  const title = input.title ?? (incident.description ?? `事件 ${incidentId}`).slice(0, 40);
  return postWish(db, user, incident.community_code, { kind: input.kind ?? 'wish', title, description: input.description ?? incident.description, category: input.category ?? '维修服务' }, incidentId);
}

export interface ClaimInput {
  unitId?: number | null | undefined;
  memberId?: number | null | undefined;
  note?: string | null | undefined;
  expectedStatus?: WishStatus | undefined;
}

/** Takes `action` on the wish: one transaction, the row locked; 403/409 per kernel/wishFlow.ts. */
export async function actOnWish(db: DbHandle, user: SessionUser, id: number, action: WishAction, input: ClaimInput) {
  return db.db.transaction(async (tx) => {
    const [w] = await txRows<{ status: WishStatus; community_code: string; claimed_by_user_id: number | null }>(tx, sql`SELECT status, community_code, claimed_by_user_id FROM service_wishes WHERE id = ${id} FOR UPDATE`);
    if (!w) throw new PartyServiceProblem(404, 'id', `心愿 ${id} 不存在`);
    if (input.expectedStatus && input.expectedStatus !== w.status) throw new PartyServiceProblem(409, 'expectedStatus', '心愿状态已被他人更新，请刷新后重试');
    const decision = decideWish(user, { status: w.status, communityCode: w.community_code, claimedByUserId: w.claimed_by_user_id === null ? null : Number(w.claimed_by_user_id) }, action);
    if (!decision.ok) throw new PartyServiceProblem(decision.status, 'action', decision.reason);
    if (action === 'claim') {
      if (!input.unitId === !input.memberId) throw new PartyServiceProblem(422, 'unitId', '认领须指定一个报到单位（unitId）或一名在职党员（memberId）');
      const [claimant] = input.unitId
        ? await txRows(tx, sql`SELECT 1 FROM party_units WHERE id = ${input.unitId}`)
        : await txRows(tx, sql`SELECT 1 FROM party_members WHERE id = ${input.memberId ?? null} AND reported_on IS NOT NULL`);
      if (!claimant) throw new PartyServiceProblem(422, input.unitId ? 'unitId' : 'memberId', input.unitId ? `报到单位 ${input.unitId} 不存在` : `在职党员 ${input.memberId} 不存在或尚未到社区报到`);
      await tx.execute(sql`UPDATE service_wishes SET status = 'claimed', claimant_unit_id = ${input.unitId ?? null}, claimant_member_id = ${input.memberId ?? null},
        claimed_by_user_id = ${user.id}, claimed_by = ${user.username}, claimed_at = now(), version = version + 1 WHERE id = ${id}`);
    } else if (action === 'release') {
      await tx.execute(
        sql`UPDATE service_wishes SET status = 'open', claimant_unit_id = NULL, claimant_member_id = NULL, claimed_by_user_id = NULL, claimed_by = NULL, claimed_at = NULL, version = version + 1 WHERE id = ${id}`,
      );
    } else if (action === 'complete') {
      await tx.execute(sql`UPDATE service_wishes SET status = 'done', done_note = ${input.note ?? null}, done_at = now(), version = version + 1 WHERE id = ${id}`);
    } else if (action === 'reopen') {
      await tx.execute(sql`UPDATE service_wishes SET status = 'claimed', done_at = NULL, version = version + 1 WHERE id = ${id}`);
    } else {
      await tx.execute(sql`UPDATE service_wishes SET status = 'confirmed', confirmed_by = ${user.username}, confirmed_at = now(), version = version + 1 WHERE id = ${id}`);
    }
    await tx.execute(sql`INSERT INTO service_wish_events (wish_id, action, from_status, to_status, actor, actor_user_id, note)
      VALUES (${id}, ${action}, ${w.status}, ${decision.to}, ${user.username}, ${user.id || null}, ${input.note ?? null})`);
    return { id, status: decision.to };
  });
}

/** The board of one community: every wish with its claimant and the reader's allowed actions. */
export async function wishBoard(db: DbHandle, reader: SessionUser, community: string) {
  const region = await requireRegion(db, community, 'community', true);
  const rows = await db.rows<{
    id: number;
    kind: WishKind;
    title: string;
    description: string | null;
    category: string;
    status: WishStatus;
    incident_id: number | null;
    posted_by: string;
    posted_at: string;
    claimant_unit: string | null;
    claimant_member_unit: string | null;
    claimed_by_user_id: number | null;
    claimed_by: string | null;
    claimed_at: string | null;
    done_note: string | null;
    done_at: string | null;
    confirmed_by: string | null;
    confirmed_at: string | null;
  }>(sql`
    SELECT w.id, w.kind, w.title, w.description, w.category, w.status, w.incident_id, w.posted_by, w.posted_at,
           cu.name AS claimant_unit, mu.name AS claimant_member_unit, w.claimed_by_user_id, w.claimed_by, w.claimed_at, w.done_note, w.done_at, w.confirmed_by, w.confirmed_at
    FROM service_wishes w
    LEFT JOIN party_units cu ON cu.id = w.claimant_unit_id
    LEFT JOIN party_members cm ON cm.id = w.claimant_member_id LEFT JOIN party_units mu ON mu.id = cm.unit_id
    WHERE w.community_code = ${community} ORDER BY w.posted_at DESC, w.id DESC LIMIT 500`);
  const iso = (v: string | null) => (v === null ? null : new Date(v).toISOString());
  return {
    community: { code: region.code, name: region.name },
    mayPost: mayPostWish(reader, community),
    wishes: rows.map((r) => {
      const claimedByUserId = r.claimed_by_user_id === null ? null : Number(r.claimed_by_user_id);
      return {
        id: Number(r.id),
        kind: r.kind,
        title: r.title,
        description: r.description,
        category: r.category,
        status: r.status,
        incidentId: r.incident_id === null ? null : Number(r.incident_id),
        postedBy: r.posted_by,
        postedAt: iso(r.posted_at),
        // A member claimant is shown by their unit: members' names are personal data.
        claimant: r.claimant_unit ?? (r.claimant_member_unit ? `${r.claimant_member_unit}党员` : null),
        claimedBy: r.claimed_by,
        claimedAt: iso(r.claimed_at),
        doneNote: r.done_note,
        doneAt: iso(r.done_at),
        confirmedBy: r.confirmed_by,
        confirmedAt: iso(r.confirmed_at),
        allowedActions: allowedWishActions(reader, { status: r.status, communityCode: community, claimedByUserId }),
      };
    }),
  };
}

/** Resources of the wish's category, nearest first from where the wish is (its community's label point by default). */
export async function wishSuggestions(db: DbHandle, id: number) {
  const [w] = await db.rows<{ category: string }>(sql`SELECT category FROM service_wishes WHERE id = ${id}`);
  if (!w) throw new PartyServiceProblem(404, 'id', `心愿 ${id} 不存在`);
  const rows = await db.rows<{ id: number; title: string; community_code: string; community_name: string; unit_id: number | null; unit_name: string | null; distance_m: number | null }>(sql`
    SELECT i.id, i.title, i.community_code, r.name AS community_name, i.unit_id, u.name AS unit_name,
           ST_Distance(coalesce(i.location, r.label_point)::geography, coalesce(w.location, wr.label_point)::geography) AS distance_m
    FROM service_wishes w JOIN regions wr ON wr.code = w.community_code
    JOIN community_list_items i ON i.list = 'resource' AND i.status <> 'closed' AND i.category = w.category
    JOIN regions r ON r.code = i.community_code LEFT JOIN party_units u ON u.id = i.unit_id
    WHERE w.id = ${id}
    ORDER BY distance_m NULLS LAST, i.id LIMIT 10`);
  return {
    category: w.category,
    suggestions: rows.map((r) => ({
      resourceId: Number(r.id),
      title: r.title,
      communityCode: r.community_code,
      communityName: r.community_name,
      unitId: r.unit_id === null ? null : Number(r.unit_id),
      unitName: r.unit_name,
      distanceM: r.distance_m === null ? null : Math.round(Number(r.distance_m)),
    })),
  };
}
