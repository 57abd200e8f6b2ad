/**
 * 阵地 records (党群服务中心 and the other kinds of kernel/facilityKinds.ts): input schemas (Chinese messages), the checks that need
 * the database (region exists and fits the level, point inside the city), and
 * the writes — each in one transaction that checks the editor's jurisdiction,
 * drops the centre's cached isochrones and records before/after in audit_log;
 * after the commit the background job (isochroneJob.ts) computes its new circles.
 * Refusals throw: NotFoundError (404), ForbiddenError (403), CentreRejected (422).
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { FACILITY_KIND_INFO, FACILITY_KINDS, levelProblem, type FacilityKind } from '../../kernel/facilityKinds';
import { facilityNorm } from '../../kernel/facilityNorm';
import { executeRows, type Database, type DbHandle } from '../../db/client';
import { DomainError, NotFoundError } from '../http/domainError';
import type { FieldError } from '../http/problem';
import { nameText, noteText } from '../http/text';
import { assertWithinJurisdiction, editorName, mayEditCentre, type CentreEditor } from './centreJurisdiction';
import { isochroneJobStatus, READY_MINUTES, wakeIsochroneJob } from './isochroneJob';
import { forgetIsochronesSql } from './isochrones';
import { networkVersionSql } from './networkVersion';
import { intArray } from './sqlArrays';
import { DEFAULT_SPEED_M_PER_MIN } from './walking';

export const CENTRE_LEVELS = ['city', 'district', 'street', 'community', 'estate'] as const;
export type CentreLevel = (typeof CENTRE_LEVELS)[number];

export const CENTRE_LEVEL_NAMES: Record<CentreLevel, string> = { city: '市', district: '县区', street: '街道', community: '社区', estate: '小区' };

/** The region level a centre of each level belongs to (a 小区 station sits in its community). */
export const REGION_LEVEL_FOR: Record<CentreLevel, 'city' | 'district' | 'street' | 'community'> = {
  city: 'city',
  district: 'district',
  street: 'street',
  community: 'community',
  estate: 'community',
};
const REGION_LEVEL_NAMES = { city: '市（6 位）', district: '县区（6 位）', street: '街道（9 位）', community: '社区（12 位）' } as const;

export const facilityKindParam = z.enum(FACILITY_KINDS, { error: `类型应为 ${FACILITY_KINDS.map((k) => `${k}（${FACILITY_KIND_INFO[k].label}）`).join('、')} 之一` });

export const centreLevel = z.enum(CENTRE_LEVELS, { error: '级别应为 city、district、street、community、estate 之一（市/县区/街道/社区/小区）' });

const position = z.tuple(
  [
    z.number({ error: '经度应为数字' }).min(-180, '经度应在 -180 到 180 之间').max(180, '经度应在 -180 到 180 之间'),
    z.number({ error: '纬度应为数字' }).min(-90, '纬度应在 -90 到 90 之间').max(90, '纬度应在 -90 到 90 之间'),
  ],
  { error: 'position 应为 [经度, 纬度]' },
);

const fields = {
  name: nameText('名称', 100),
  kind: facilityKindParam,
  level: centreLevel,
  regionCode: z.string({ error: '区划代码应为文字' }).regex(/^\d{6}(\d{3}){0,2}$/, '区划代码应为 6、9 或 12 位数字'),
  areaM2: z.number({ error: '面积应为数字' }).gt(0, '面积应大于 0 平方米').max(1_000_000, '面积不能超过 1,000,000 平方米'),
  householdsServed: z.number({ error: '服务户数应为整数' }).int('服务户数应为整数').min(0, '服务户数不能为负数').max(10_000_000, '服务户数过大'),
  openingHours: noteText('开放时间', 100).nullable(),
  address: noteText('地址', 200).nullable(),
  position,
};

export const createCentreBody = z.strictObject({
  ...fields,
  kind: fields.kind.optional(),
  householdsServed: fields.householdsServed.optional(),
  openingHours: fields.openingHours.optional(),
  address: fields.address.optional(),
});
export const updateCentreBody = z
  .strictObject(fields)
  .partial()
  .refine((b) => Object.keys(b).length > 0, '请至少提供一个要修改的字段');

export type CreateCentre = z.infer<typeof createCentreBody>;
export type UpdateCentre = z.infer<typeof updateCentreBody>;

export interface CentreRecord {
  name: string;
  kind: FacilityKind;
  level: CentreLevel;
  regionCode: string;
  areaM2: number;
  householdsServed: number;
  openingHours: string | null;
  address: string | null;
  position: [number, number];
}

/** Input that is well-formed but contradicts the data: answered with 422 and the fields at fault. */
export class CentreRejected extends DomainError {
  constructor(readonly errors: FieldError[]) {
    super(422, '数据校验未通过', errors.map((e) => `${e.field}：${e.reason}`).join('；'), { errors });
  }
}

const notFound = (id: number) => new NotFoundError(`阵地 ${id} 不存在`);

/** Checks against the database: the region exists at the right level, the point lies within the city. */
async function checkAgainstData(tx: Database, centre: CentreRecord): Promise<void> {
  const [region] = await executeRows<{ level: string; name: string }>(tx, sql`SELECT level, name FROM regions WHERE code = ${centre.regionCode}`);
  const errors: FieldError[] = [];
  const wrongLevel = levelProblem(centre.kind, centre.level);
  if (wrongLevel) errors.push({ field: 'level', reason: wrongLevel });
  if (!region) {
    errors.push({ field: 'regionCode', reason: `区划代码 ${centre.regionCode} 不存在` });
  } else if (region.level !== REGION_LEVEL_FOR[centre.level]) {
    const want = REGION_LEVEL_FOR[centre.level];
    errors.push({ field: 'regionCode', reason: `${CENTRE_LEVEL_NAMES[centre.level]}级${FACILITY_KIND_INFO[centre.kind].label}应属于${REGION_LEVEL_NAMES[want]}，${region.name}不是` });
  }
  // The city is the 地级市 whose code is the first four digits + '00'.
  const cityCode = `${centre.regionCode.slice(0, 4)}00`;
  const [city] = await executeRows<{ name: string; inside: boolean | null }>(
    tx,
    sql`SELECT name, ST_Covers(geom, ST_SetSRID(ST_MakePoint(${centre.position[0]}::float8, ${centre.position[1]}::float8), 4326)) AS inside
        FROM regions WHERE code = ${cityCode} AND level = 'city'`,
  );
  if (region && !city) errors.push({ field: 'regionCode', reason: `区划代码 ${centre.regionCode} 不属于任何已载入的地级市` });
  if (city && city.inside !== true) errors.push({ field: 'position', reason: `坐标 (${centre.position[0]}, ${centre.position[1]}) 不在${city.name}范围内` });
  if (errors.length > 0) throw new CentreRejected(errors);
}

export interface CentreRow {
  id: number;
  name: string;
  kind: FacilityKind;
  level: CentreLevel;
  region_code: string;
  region_name: string | null;
  area_m2: number;
  households_served: number;
  opening_hours: string | null;
  address: string | null;
  lon: number;
  lat: number;
  updated_at: Date | string;
  circles_ready: number;
}

/** `circles_ready`: how many of the circles the background job keeps ready (5/10/15 minutes) are cached and current. */
const selectCentres = sql`
  SELECT c.id, c.name, c.kind, c.level, c.region_code, r.name AS region_name, c.area_m2, c.households_served,
         c.opening_hours, c.address, ST_X(c.geom) AS lon, ST_Y(c.geom) AS lat, c.updated_at,
         (SELECT count(DISTINCT i.minutes) FROM isochrones i
           WHERE i.centre_id = c.id AND i.minutes = ANY(${intArray(READY_MINUTES)}::int[]) AND i.speed_m_per_min = ${DEFAULT_SPEED_M_PER_MIN}::float8
             AND i.network_version = ${networkVersionSql} AND i.computed_at >= c.updated_at)::int AS circles_ready
  FROM service_centres c LEFT JOIN regions r ON r.code = c.region_code`;

export function centreFeature(r: CentreRow) {
  return {
    type: 'Feature' as const,
    id: Number(r.id),
    geometry: { type: 'Point' as const, coordinates: [Number(r.lon), Number(r.lat)] as [number, number] },
    properties: {
      id: Number(r.id),
      name: r.name,
      kind: r.kind,
      kindName: FACILITY_KIND_INFO[r.kind].label,
      level: r.level,
      levelName: CENTRE_LEVEL_NAMES[r.level],
      regionCode: r.region_code,
      regionName: r.region_name,
      areaM2: Number(r.area_m2),
      householdsServed: Number(r.households_served),
      openingHours: r.opening_hours,
      address: r.address,
      updatedAt: new Date(r.updated_at).toISOString(),
      /** 30 m² per 100 households served, ≥ 300 m² for an estate (community/estate 党群服务中心 only). */
      norm: facilityNorm(r.kind, r.level, Number(r.households_served), Number(r.area_m2)),
      /** The walking circles the background job keeps ready (isochroneJob.ts): current ones of `total`. */
      circles: { ready: Number(r.circles_ready ?? 0), total: READY_MINUTES.length },
    },
  };
}
export type CentreFeature = ReturnType<typeof centreFeature>;

export interface CentreFilter {
  level?: CentreLevel;
  region?: string;
  kind?: FacilityKind;
  /** Part of the name (case-insensitive). */
  q?: string;
}

export async function listCentres(db: DbHandle, filter: CentreFilter): Promise<CentreFeature[]> {
  const q = filter.q?.trim() || null;
  const rows = await db.rows<CentreRow>(sql`${selectCentres}
    WHERE (${filter.kind ?? null}::text IS NULL OR c.kind::text = ${filter.kind ?? null})
      AND (${filter.level ?? null}::text IS NULL OR c.level::text = ${filter.level ?? null})
      AND (${filter.region ?? null}::text IS NULL OR c.region_code LIKE ${`${filter.region ?? ''}%`})
      AND (${q}::text IS NULL OR strpos(lower(c.name), lower(${q}::text)) > 0)
    ORDER BY c.id`);
  return rows.map(centreFeature);
}

/**
 * The list of the 阵地管理 page: the filtered facilities, each saying whether the viewer may change
 * it (their jurisdiction), and the state of the background job computing the walking circles.
 */
export async function facilityList(db: DbHandle, filter: CentreFilter, viewer: CentreEditor) {
  const features = (await listCentres(db, filter)).map((f) => ({ ...f, properties: { ...f.properties, editable: mayEditCentre(viewer, f.properties.regionCode) } }));
  const job = await isochroneJobStatus(db);
  return { type: 'FeatureCollection' as const, features, circleJob: { state: job.state, ready: job.ready, total: job.total } };
}

async function findCentre(db: DbHandle | Database, id: number): Promise<CentreFeature | null> {
  const query = sql`${selectCentres} WHERE c.id = ${id}`;
  const rows = 'rows' in db ? await db.rows<CentreRow>(query) : await executeRows<CentreRow>(db, query);
  return rows[0] ? centreFeature(rows[0]) : null;
}

export async function getCentre(db: DbHandle, id: number): Promise<CentreFeature> {
  const centre = await findCentre(db, id);
  if (!centre) throw notFound(id);
  return centre;
}

const pointSql = (p: [number, number]) => sql`ST_SetSRID(ST_MakePoint(${p[0]}::float8, ${p[1]}::float8), 4326)`;

export async function createCentre(db: DbHandle, input: CreateCentre, editor: CentreEditor): Promise<CentreFeature> {
  const centre: CentreRecord = { kind: 'party_centre', householdsServed: 0, openingHours: null, address: null, ...input };
  assertWithinJurisdiction(editor, centre.regionCode);
  const created = await db.db.transaction(async (tx) => {
    await checkAgainstData(tx, centre);
    const [row] = await executeRows<{ id: number }>(
      tx,
      sql`INSERT INTO service_centres (name, kind, level, region_code, area_m2, households_served, opening_hours, address, geom)
          VALUES (${centre.name}, ${centre.kind}, ${centre.level}, ${centre.regionCode}, ${centre.areaM2}, ${centre.householdsServed}, ${centre.openingHours}, ${centre.address}, ${pointSql(centre.position)})
          RETURNING id`,
    );
    const id = Number(row!.id);
    await audit(tx, editorName(editor), 'create', id, centre);
    return (await findCentre(tx, id))!;
  });
  wakeIsochroneJob(db);
  return created;
}

export async function updateCentre(db: DbHandle, id: number, patch: UpdateCentre, editor: CentreEditor): Promise<CentreFeature> {
  const updated = await db.db.transaction(async (tx) => {
    const current = await findCentre(tx, id);
    if (!current) throw notFound(id);
    const p = current.properties;
    // Neither where it is nor where it would move may lie outside the editor's jurisdiction.
    assertWithinJurisdiction(editor, p.regionCode, patch.regionCode);
    const before: CentreRecord = {
      name: p.name,
      kind: p.kind,
      level: p.level,
      regionCode: p.regionCode,
      areaM2: p.areaM2,
      householdsServed: p.householdsServed,
      openingHours: p.openingHours,
      address: p.address,
      position: current.geometry.coordinates,
    };
    const after: CentreRecord = { ...before, ...patch };
    await checkAgainstData(tx, after);
    await tx.execute(sql`
      UPDATE service_centres SET name = ${after.name}, kind = ${after.kind}, level = ${after.level}, region_code = ${after.regionCode}, area_m2 = ${after.areaM2},
             households_served = ${after.householdsServed}, opening_hours = ${after.openingHours}, address = ${after.address},
             geom = ${pointSql(after.position)}, updated_at = clock_timestamp()
      WHERE id = ${id}`);
    // The old circles no longer describe this centre.
    await tx.execute(forgetIsochronesSql(id));
    await audit(tx, editorName(editor), 'update', id, { before, after });
    return (await findCentre(tx, id))!;
  });
  wakeIsochroneJob(db);
  return updated;
}

export async function deleteCentre(db: DbHandle, id: number, editor: CentreEditor): Promise<void> {
  await db.db.transaction(async (tx) => {
    const [current] = await executeRows<{ region_code: string }>(tx, sql`SELECT region_code FROM service_centres WHERE id = ${id} FOR UPDATE`);
    if (!current) throw notFound(id);
    assertWithinJurisdiction(editor, current.region_code);
    const [row] = await executeRows<{ id: number; name: string }>(tx, sql`DELETE FROM service_centres WHERE id = ${id} RETURNING id, name`);
    if (!row) throw notFound(id);
    await tx.execute(forgetIsochronesSql(id));
    await audit(tx, editorName(editor), 'delete', id, { name: row.name });
  });
  wakeIsochroneJob(db);
}

async function audit(tx: Database, actor: string, action: string, id: number, detail: unknown) {
  await tx.execute(sql`INSERT INTO audit_log (actor, action, entity, entity_id, detail) VALUES (${actor}, ${action}, 'service_centre', ${String(id)}, ${JSON.stringify(detail)}::jsonb)`);
}
