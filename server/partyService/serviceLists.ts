/**
 * 三清单 of a community (issue 16 point 4): 需求清单 and 资源清单 items (a resource is
 * offered by a reporting unit or an in-service member, with a category) and the
 * 共建项目清单 — projects linking a need and a resource, 计划 → 进行中 → 完成. Written
 * by the community's staff (isCommunityStaff), read by every signed-in user.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import type { ListKind, ProjectStatus, ServiceCategory } from '../../kernel/partyService';
import type { SessionUser } from '../../kernel/roles';
import { isCommunityStaff } from '../../kernel/wishFlow';
import { PartyServiceProblem } from './errors';
import { requireRegion } from './regionScope';

const staffOnly = (user: SessionUser, community: string) => {
  if (!isCommunityStaff(user, community)) throw new PartyServiceProblem(403, 'communityCode', '只有本社区的工作人员（规划员、受理员）或管理员可以维护三清单');
};

export async function communityLists(db: DbHandle, community: string) {
  const region = await requireRegion(db, community, 'community', true);
  const items = await db.rows<{
    id: number;
    list: ListKind;
    title: string;
    category: string;
    description: string | null;
    status: string;
    unit_id: number | null;
    unit_name: string | null;
    member_id: number | null;
    created_at: string;
  }>(sql`
    SELECT i.id, i.list, i.title, i.category, i.description, i.status, i.unit_id, u.name AS unit_name, i.member_id, i.created_at
    FROM community_list_items i LEFT JOIN party_units u ON u.id = i.unit_id
    WHERE i.community_code = ${community} ORDER BY i.list, i.id`);
  const projects = await db.rows<{
    id: number;
    title: string;
    need_id: number | null;
    resource_id: number | null;
    unit_id: number | null;
    unit_name: string | null;
    status: ProjectStatus;
    finished_on: string | null;
  }>(sql`
    SELECT p.id, p.title, p.need_id, p.resource_id, p.unit_id, u.name AS unit_name, p.status, to_char(p.finished_on, 'YYYY-MM-DD') AS finished_on
    FROM co_build_projects p LEFT JOIN party_units u ON u.id = p.unit_id WHERE p.community_code = ${community} ORDER BY p.id`);
  const item = (r: (typeof items)[number]) => ({
    id: Number(r.id),
    title: r.title,
    category: r.category,
    description: r.description,
    status: r.status,
    unitId: r.unit_id === null ? null : Number(r.unit_id),
    unitName: r.unit_name,
    memberId: r.member_id === null ? null : Number(r.member_id),
  });
  return {
    community: { code: region.code, name: region.name },
    needs: items.filter((r) => r.list === 'need').map(item),
    resources: items.filter((r) => r.list === 'resource').map(item),
    projects: projects.map((p) => ({
      id: Number(p.id),
      title: p.title,
      needId: p.need_id === null ? null : Number(p.need_id),
      resourceId: p.resource_id === null ? null : Number(p.resource_id),
      unitId: p.unit_id === null ? null : Number(p.unit_id),
      unitName: p.unit_name,
      status: p.status,
      finishedOn: p.finished_on,
    })),
  };
}

export interface ListItemInput {
  list: ListKind;
  title: string;
  category: ServiceCategory;
  description?: string | null | undefined;
  unitId?: number | null | undefined;
  memberId?: number | null | undefined;
}

export async function addListItem(db: DbHandle, user: SessionUser, community: string, input: ListItemInput): Promise<{ id: number }> {
  await requireRegion(db, community, 'community', true);
  staffOnly(user, community);
  if (input.list === 'need' && (input.unitId || input.memberId)) throw new PartyServiceProblem(422, 'unitId', '需求清单的条目不属于单位或党员');
  if (input.unitId) {
    const [u] = await db.rows(sql`SELECT 1 FROM party_units WHERE id = ${input.unitId}`);
    if (!u) throw new PartyServiceProblem(404, 'unitId', `报到单位 ${input.unitId} 不存在`);
  }
  if (input.memberId) {
    const [m] = await db.rows(sql`SELECT 1 FROM party_members WHERE id = ${input.memberId}`);
    if (!m) throw new PartyServiceProblem(404, 'memberId', `在职党员 ${input.memberId} 不存在`);
  }
  const [row] = await db.rows<{ id: number }>(sql`
    INSERT INTO community_list_items (community_code, list, title, category, description, unit_id, member_id, created_by, location)
    VALUES (${community}, ${input.list}, ${input.title}, ${input.category}, ${input.description ?? null}, ${input.unitId ?? null}, ${input.memberId ?? null}, ${user.username},
            (SELECT coalesce(u.location, r.label_point) FROM regions r LEFT JOIN party_units u ON u.id = ${input.unitId ?? null} WHERE r.code = ${community}))
    RETURNING id`);
  return { id: Number(row!.id) };
}

export interface ProjectInput {
  title: string;
  needId?: number | null | undefined;
  resourceId?: number | null | undefined;
  status?: ProjectStatus | undefined;
}

export async function addProject(db: DbHandle, user: SessionUser, community: string, input: ProjectInput): Promise<{ id: number }> {
  await requireRegion(db, community, 'community', true);
  staffOnly(user, community);
  return db.db.transaction(async (tx) => {
    const item = async (id: number | null | undefined, list: ListKind, field: string) => {
      if (!id) return null;
      const r = (await tx.execute(sql`SELECT list, unit_id FROM community_list_items WHERE id = ${id} AND community_code = ${community} FOR UPDATE`)) as unknown as { rows: { list: string; unit_id: number | null }[] };
      const found = r.rows[0];
      if (!found || found.list !== list) throw new PartyServiceProblem(422, field, `本社区${list === 'need' ? '需求' : '资源'}清单中没有条目 ${id}`);
      return found;
    };
    await item(input.needId, 'need', 'needId');
    const resource = await item(input.resourceId, 'resource', 'resourceId');
    const status = input.status ?? 'planned';
    const rows = (await tx.execute(sql`
      INSERT INTO co_build_projects (community_code, title, need_id, resource_id, unit_id, status, finished_on, created_by)
      VALUES (${community}, ${input.title}, ${input.needId ?? null}, ${input.resourceId ?? null}, ${resource?.unit_id ?? null}, ${status},
              CASE WHEN ${status} = 'done' THEN (now() AT TIME ZONE 'Asia/Shanghai')::date END, ${user.username})
      RETURNING id`)) as unknown as { rows: { id: number }[] };
    const ids = [input.needId, input.resourceId].filter((x): x is number => !!x);
    if (ids.length > 0) await tx.execute(sql`UPDATE community_list_items SET status = 'matched' WHERE id IN (${sql.join(ids, sql`, `)}) AND status = 'open'`);
    return { id: Number(rows.rows[0]!.id) };
  });
}

const ORDER: Record<ProjectStatus, number> = { planned: 0, ongoing: 1, done: 2 };

/** Moves a project forward (计划 → 进行中 → 完成); backwards is refused. */
export async function setProjectStatus(db: DbHandle, user: SessionUser, id: number, status: ProjectStatus): Promise<{ id: number; status: ProjectStatus }> {
  return db.db.transaction(async (tx) => {
    const r = (await tx.execute(sql`SELECT community_code, status FROM co_build_projects WHERE id = ${id} FOR UPDATE`)) as unknown as { rows: { community_code: string; status: ProjectStatus }[] };
    const p = r.rows[0];
    if (!p) throw new PartyServiceProblem(404, 'id', `共建项目 ${id} 不存在`);
    staffOnly(user, p.community_code);
    if (ORDER[status] <= ORDER[p.status]) throw new PartyServiceProblem(409, 'status', '项目状态只能向前推进（计划 → 进行中 → 完成）');
    await tx.execute(sql`UPDATE co_build_projects SET status = ${status}, finished_on = CASE WHEN ${status} = 'done' THEN (now() AT TIME ZONE 'Asia/Shanghai')::date END WHERE id = ${id}`);
    return { id, status };
  });
}
