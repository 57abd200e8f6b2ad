/**
 * 责任单位 (issue 14 point 1): the departments incidents are dispatched and whistled
 * to — code, name, level, the region they serve, a contact — managed by admins, and
 * the category map (事件小类 → default departments) that puts the right departments
 * first when dispatching. Every write is one transaction; a refused one writes nothing.
 * A department that incidents or accounts refer to is deactivated, never deleted, so
 * history keeps its name.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { maskPhone } from '../../kernel/personalData';
import type { SessionUser } from '../../kernel/roles';
import { DomainError, NotFoundError } from '../http/domainError';

export class DepartmentProblem extends DomainError {
  constructor(status: 409 | 422, field: string, reason: string) {
    super(status, status === 409 ? '责任单位冲突' : '责任单位信息无效', reason, { errors: [{ field, reason }] });
  }
}

export const DEPARTMENT_LEVELS = ['city', 'district', 'street', 'community'] as const;
export type DepartmentLevel = (typeof DEPARTMENT_LEVELS)[number];

export interface DepartmentInput {
  code: string;
  name: string;
  level: DepartmentLevel;
  serviceRegionCode?: string | null | undefined;
  contactName?: string | null | undefined;
  contactPhone?: string | null | undefined;
  active?: boolean | undefined;
}

interface DepartmentRow {
  id: number;
  code: string;
  name: string;
  level: DepartmentLevel;
  service_region_code: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  active: boolean;
  categories: string[] | string | null;
}

const textArray = (v: string[] | string | null): string[] => (Array.isArray(v) ? v : !v || v === '{}' ? [] : v.replace(/^\{|\}$/g, '').split(','));

/** Contact phones in full for those who call departments (admins, dispatchers), masked for the others. */
const seesPhones = (reader: SessionUser | null) => reader?.role === 'admin' || reader?.role === 'dispatcher';

export async function listDepartments(db: DbHandle, reader: SessionUser | null) {
  const rows = await db.rows<DepartmentRow>(sql`
    SELECT d.id, d.code, d.name, d.level, d.service_region_code, d.contact_name, d.contact_phone, d.active,
      ARRAY(SELECT cd.category_code FROM category_departments cd WHERE cd.department_id = d.id ORDER BY cd.category_code) AS categories
    FROM departments d ORDER BY d.active DESC, d.code`);
  return {
    departments: rows.map((r) => ({
      id: Number(r.id),
      code: r.code,
      name: r.name,
      level: r.level,
      serviceRegionCode: r.service_region_code,
      contactName: r.contact_name,
      contactPhone: r.contact_phone === null ? null : seesPhones(reader) ? r.contact_phone : maskPhone(r.contact_phone),
      active: r.active,
      categories: textArray(r.categories),
    })),
  };
}

async function checkRegion(db: DbHandle, code: string | null | undefined) {
  if (!code) return;
  const [r] = await db.rows(sql`SELECT 1 FROM regions WHERE code = ${code}`);
  if (!r) throw new DepartmentProblem(422, 'serviceRegionCode', `区域 ${code} 不存在`);
}

async function checkCodeFree(db: DbHandle, code: string, exceptId: number | null) {
  const [r] = await db.rows<{ id: number }>(sql`SELECT id FROM departments WHERE code = ${code}`);
  if (r && Number(r.id) !== exceptId) throw new DepartmentProblem(409, 'code', `单位编码 ${code} 已被使用`);
}

export async function createDepartment(db: DbHandle, input: DepartmentInput): Promise<{ id: number }> {
  await checkRegion(db, input.serviceRegionCode);
  await checkCodeFree(db, input.code, null);
  const [row] = await db.rows<{ id: number }>(sql`
    INSERT INTO departments (code, name, level, service_region_code, contact_name, contact_phone, active)
    VALUES (${input.code}, ${input.name}, ${input.level}, ${input.serviceRegionCode ?? null}, ${input.contactName ?? null}, ${input.contactPhone ?? null}, ${input.active ?? true})
    RETURNING id`);
  return { id: Number(row?.id) };
}

export async function updateDepartment(db: DbHandle, id: number, change: Partial<DepartmentInput>): Promise<{ id: number }> {
  const [current] = await db.rows<{ id: number }>(sql`SELECT id FROM departments WHERE id = ${id}`);
  if (!current) throw new NotFoundError(`责任单位 ${id} 不存在`);
  if (change.serviceRegionCode !== undefined) await checkRegion(db, change.serviceRegionCode);
  if (change.code !== undefined) await checkCodeFree(db, change.code, id);
  const has = (k: keyof DepartmentInput) => change[k] !== undefined;
  await db.db.execute(sql`UPDATE departments SET
    code = CASE WHEN ${has('code')} THEN ${change.code ?? null} ELSE code END,
    name = CASE WHEN ${has('name')} THEN ${change.name ?? null} ELSE name END,
    level = CASE WHEN ${has('level')} THEN ${change.level ?? null}::region_level ELSE level END,
    service_region_code = CASE WHEN ${has('serviceRegionCode')} THEN ${change.serviceRegionCode ?? null} ELSE service_region_code END,
    contact_name = CASE WHEN ${has('contactName')} THEN ${change.contactName ?? null} ELSE contact_name END,
    contact_phone = CASE WHEN ${has('contactPhone')} THEN ${change.contactPhone ?? null} ELSE contact_phone END,
    active = CASE WHEN ${has('active')} THEN ${change.active ?? null}::boolean ELSE active END
    WHERE id = ${id}`);
  return { id };
}

/** Deletes an unused department; one that incidents or accounts name is refused (409: deactivate it). */
export async function deleteDepartment(db: DbHandle, id: number): Promise<{ id: number; deleted: true }> {
  return db.db.transaction(async (tx) => {
    const rows = (await tx.execute(sql`SELECT
        EXISTS (SELECT 1 FROM departments WHERE id = ${id}) AS found,
        EXISTS (SELECT 1 FROM incidents WHERE department_id = ${id})
          OR EXISTS (SELECT 1 FROM incident_transitions WHERE department_id = ${id})
          OR EXISTS (SELECT 1 FROM incident_summons WHERE department_id = ${id}) AS in_history,
        EXISTS (SELECT 1 FROM users WHERE department_id = ${id}) AS has_staff`)) as unknown as { rows: { found: boolean; in_history: boolean; has_staff: boolean }[] };
    const r = rows.rows[0];
    if (!r?.found) throw new NotFoundError(`责任单位 ${id} 不存在`);
    if (r.in_history) throw new DepartmentProblem(409, 'id', '该单位已处置过事件，不能删除，请改为停用（active: false）');
    if (r.has_staff) throw new DepartmentProblem(409, 'id', '该单位还有处置人员账号，请先调整账号或改为停用');
    await tx.execute(sql`DELETE FROM departments WHERE id = ${id}`);
    return { id, deleted: true as const };
  });
}

export async function categoryMap(db: DbHandle) {
  const rows = await db.rows<{ code: string; major: string; minor: string; departments: number[] | string | null }>(sql`
    SELECT c.code, c.major, c.minor, ARRAY(SELECT cd.department_id FROM category_departments cd WHERE cd.category_code = c.code ORDER BY cd.department_id) AS departments
    FROM incident_categories c ORDER BY c.code`);
  return {
    map: rows.map((r) => ({ categoryCode: r.code, label: `${r.major}/${r.minor}`, departmentIds: textArray(r.departments as string[] | string | null).map(Number) })),
  };
}

/** Replaces the whole map (categories not listed keep no defaults). */
export async function putCategoryMap(db: DbHandle, map: { categoryCode: string; departmentIds: number[] }[]) {
  const categories = new Set((await db.rows<{ code: string }>(sql`SELECT code FROM incident_categories`)).map((r) => r.code));
  const departments = new Set((await db.rows<{ id: number }>(sql`SELECT id FROM departments`)).map((r) => Number(r.id)));
  const errors: { field: string; reason: string }[] = [];
  const seen = new Set<string>();
  map.forEach((m, k) => {
    if (!categories.has(m.categoryCode)) errors.push({ field: `map.${k}.categoryCode`, reason: `事件小类 ${m.categoryCode} 不存在` });
    if (seen.has(m.categoryCode)) errors.push({ field: `map.${k}.categoryCode`, reason: `事件小类 ${m.categoryCode} 重复` });
    seen.add(m.categoryCode);
    for (const d of m.departmentIds) if (!departments.has(d)) errors.push({ field: `map.${k}.departmentIds`, reason: `责任单位 ${d} 不存在` });
  });
  if (errors.length > 0) throw new DomainError(422, '对应关系无效', errors.map((e) => e.reason).join('；'), { errors });
  await db.db.transaction(async (tx) => {
    await tx.execute(sql`DELETE FROM category_departments`);
    for (const m of map) {
      for (const d of new Set(m.departmentIds)) await tx.execute(sql`INSERT INTO category_departments (category_code, department_id) VALUES (${m.categoryCode}, ${d})`);
    }
  });
  return categoryMap(db);
}
