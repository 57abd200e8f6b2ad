/**
 * 示范带 (belts: a route and the corridor along it) and 示范圈 (circles: an area),
 * each with its member communities. Geometry arrives as GeoJSON; a belt's corridor
 * is the route buffered by `corridorM` when not drawn, and members are the
 * communities the area intersects when not listed; `designatedOn` is the 认定日期
 * (a China date, null when unknown). Every write runs in one
 * transaction with its audit-log row. Refusals throw: NotFoundError (404),
 * DemoRejected (422).
 */
import { sql, type SQL } from 'drizzle-orm';
import { executeRows, type DbHandle, type Executor } from '../../db/client';
import { DomainError, NotFoundError } from '../http/domainError';

export type DemoKind = 'belt' | 'circle';

export interface Member {
  code: string;
  name: string;
}

export interface DemoBelt {
  kind: 'belt';
  id: number;
  name: string;
  description: string | null;
  route: GeoJSON.MultiLineString;
  area: GeoJSON.MultiPolygon;
  members: Member[];
  /** 认定日期 YYYY-MM-DD (China date); null when not recorded. */
  designatedOn: string | null;
  updatedAt: string;
}

export interface DemoCircle {
  kind: 'circle';
  id: number;
  name: string;
  description: string | null;
  area: GeoJSON.MultiPolygon;
  members: Member[];
  /** 认定日期 YYYY-MM-DD (China date); null when not recorded. */
  designatedOn: string | null;
  updatedAt: string;
}

export type Demonstration = DemoBelt | DemoCircle;
/** The record type of a kind (a union kind gives the union). */
export type DemoOf<K extends DemoKind> = K extends 'belt' ? DemoBelt : DemoCircle;

export const DEMO_LABELS: Record<DemoKind, string> = { belt: '示范带', circle: '示范圈' };
const notFound = (kind: DemoKind, id: number) => new NotFoundError(`${DEMO_LABELS[kind]} ${id} 不存在`);

interface DemoRow {
  id: number;
  name: string;
  description: string | null;
  route?: string;
  area: string;
  members: Member[] | null;
  designated_on: string | null;
  updated_at: Date | string;
}

const TABLE = { belt: sql`demo_belts`, circle: sql`demo_circles` } as const;
const AREA = { belt: sql`d.corridor`, circle: sql`d.geom` } as const;

function selectSql(kind: DemoKind, where: SQL): SQL {
  return sql`
    SELECT d.id, d.name, d.description, ${kind === 'belt' ? sql`ST_AsGeoJSON(d.route, 7) AS route,` : sql``}
           ST_AsGeoJSON(${AREA[kind]}, 7) AS area, d.designated_on::text AS designated_on, d.updated_at,
           (SELECT jsonb_agg(jsonb_build_object('code', m.code, 'name', coalesce(r.name, m.code)) ORDER BY m.code)
              FROM jsonb_array_elements_text(d.member_community_codes) AS m(code) LEFT JOIN regions r ON r.code = m.code) AS members
    FROM ${TABLE[kind]} d WHERE ${where} ORDER BY d.id`;
}

function toDemo(kind: DemoKind, r: DemoRow): Demonstration {
  const base = {
    id: Number(r.id),
    name: r.name,
    description: r.description,
    area: JSON.parse(r.area) as GeoJSON.MultiPolygon,
    members: r.members ?? [],
    designatedOn: r.designated_on,
    updatedAt: new Date(r.updated_at).toISOString(),
  };
  return kind === 'belt' ? { kind, ...base, route: JSON.parse(r.route as string) as GeoJSON.MultiLineString } : { kind, ...base };
}

export async function listDemonstrations(db: DbHandle): Promise<{ belts: DemoBelt[]; circles: DemoCircle[] }> {
  const belts = await db.rows<DemoRow>(selectSql('belt', sql`true`));
  const circles = await db.rows<DemoRow>(selectSql('circle', sql`true`));
  return { belts: belts.map((r) => toDemo('belt', r) as DemoBelt), circles: circles.map((r) => toDemo('circle', r) as DemoCircle) };
}

async function findDemonstration<K extends DemoKind>(db: Executor, kind: K, id: number): Promise<DemoOf<K> | null> {
  const [row] = await executeRows<DemoRow>(db, selectSql(kind, sql`d.id = ${id}`));
  return row ? (toDemo(kind, row) as DemoOf<K>) : null;
}

export async function getDemonstration<K extends DemoKind>(db: DbHandle, kind: K, id: number): Promise<DemoOf<K>> {
  const demo = await findDemonstration(db.db, kind, id);
  if (!demo) throw notFound(kind, id);
  return demo;
}

/** Input after validation (server/routes/demonstrations.ts). */
export interface DemoInput {
  name?: string;
  description?: string | null;
  /** belt: LineString / MultiLineString */
  route?: GeoJSON.LineString | GeoJSON.MultiLineString;
  /** belt: corridor; circle: the area */
  area?: GeoJSON.Polygon | GeoJSON.MultiPolygon;
  /** circle drawn as centre + radius */
  centre?: [number, number];
  radiusM?: number;
  /** belt corridor half-width when the corridor is computed from the route */
  corridorM?: number;
  memberCommunityCodes?: string[];
  /** 认定日期 YYYY-MM-DD (validated by the route: a real date, not after today); null clears it. */
  designatedOn?: string | null;
}

export class DemoRejected extends DomainError {
  constructor(readonly errors: { field: string; reason: string }[]) {
    super(422, '示范带/示范圈信息无效', errors.map((e) => `${e.field}：${e.reason}`).join('；'), { errors });
  }
}

export const DEFAULT_CORRIDOR_M = 500;

const geoJson = (g: unknown) => sql`ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(g)}), 4326)`;
const multiPolygon = (g: SQL) => sql`ST_Multi(ST_CollectionExtract(ST_MakeValid(${g}), 3))`;
/** Metre buffers in geography, back to a MultiPolygon in 4326. */
const bufferM = (g: SQL, metres: number) => sql`ST_Multi(ST_Buffer((${g})::geography, ${metres}::float8)::geometry)`;

/** Geometry SQL for the new route/area of a write (undefined = unchanged). */
function geometrySql(kind: DemoKind, input: DemoInput): { route?: SQL; area?: SQL } {
  if (kind === 'belt') {
    const route = input.route ? sql`ST_Multi(${geoJson(input.route)})` : undefined;
    if (input.area) return { route, area: multiPolygon(geoJson(input.area)) };
    if (route) return { route, area: bufferM(route, input.corridorM ?? DEFAULT_CORRIDOR_M) };
    return {};
  }
  if (input.area) return { area: multiPolygon(geoJson(input.area)) };
  if (input.centre) return { area: bufferM(sql`ST_SetSRID(ST_MakePoint(${input.centre[0]}::float8, ${input.centre[1]}::float8), 4326)`, input.radiusM ?? 1000) };
  return {};
}

/** Listed codes must be communities; reports the unknown ones. */
async function checkMembers(tx: Executor, codes: string[]): Promise<void> {
  if (codes.length === 0) return;
  const known = await executeRows<{ code: string }>(tx, sql`SELECT code FROM regions WHERE level = 'community' AND code IN ${codes}`);
  const set = new Set(known.map((r) => r.code));
  const unknown = codes.filter((c) => !set.has(c));
  if (unknown.length) throw new DemoRejected([{ field: 'memberCommunityCodes', reason: `不是已知的社区代码：${unknown.join('、')}` }]);
}

/** Rejects empty or invalid areas (e.g. a zero-width polygon) with a Chinese reason. */
async function checkArea(tx: Executor, area: SQL, field: string): Promise<void> {
  const [r] = await executeRows<{ ok: boolean; area: number }>(tx, sql`SELECT NOT ST_IsEmpty(a) AS ok, coalesce(ST_Area(a::geography), 0) AS area FROM (SELECT ${area} AS a) x`);
  if (!r?.ok || Number(r.area) < 1) throw new DemoRejected([{ field, reason: '范围为空或面积为零' }]);
}

const membersByIntersection = (areaColumn: SQL) =>
  sql`(SELECT coalesce(jsonb_agg(r.code ORDER BY r.code), '[]'::jsonb) FROM regions r WHERE r.level = 'community' AND r.geom && ${areaColumn} AND ST_Intersects(r.geom, ${areaColumn}))`;

async function audit(tx: Executor, actor: string, action: string, kind: DemoKind, id: number, detail: unknown) {
  await executeRows(
    tx,
    sql`INSERT INTO audit_log (actor, action, entity, entity_id, detail) VALUES (${actor}, ${action}, ${kind === 'belt' ? 'demo_belt' : 'demo_circle'}, ${String(id)}, ${JSON.stringify(detail)}::jsonb)`,
  );
}

export async function createDemonstration<K extends DemoKind>(db: DbHandle, kind: K, input: DemoInput & { name: string }, actor: string): Promise<DemoOf<K>> {
  return db.db.transaction(async (tx) => {
    const geometry = geometrySql(kind, input);
    if (!geometry.area || (kind === 'belt' && !geometry.route)) {
      throw new DemoRejected([{ field: kind === 'belt' ? 'route' : 'area', reason: kind === 'belt' ? '请提供示范带的路线' : '请提供示范圈的范围（area，或 centre 与 radiusM）' }]);
    }
    await checkArea(tx, geometry.area, kind === 'belt' ? 'corridor' : 'area');
    if (input.memberCommunityCodes) await checkMembers(tx, input.memberCommunityCodes);
    const given = input.memberCommunityCodes ? sql`${JSON.stringify([...new Set(input.memberCommunityCodes)].sort())}::jsonb` : null;
    const [row] =
      kind === 'belt'
        ? await executeRows<{ id: number }>(
            tx,
            sql`
            INSERT INTO demo_belts (name, description, route, corridor, member_community_codes, designated_on)
            SELECT ${input.name}, ${input.description ?? null}, x.route, x.area, ${given ?? membersByIntersection(sql`x.area`)}, ${input.designatedOn ?? null}::date
            FROM (SELECT ${geometry.route} AS route, ${geometry.area} AS area) x
            RETURNING id`,
          )
        : await executeRows<{ id: number }>(
            tx,
            sql`
            INSERT INTO demo_circles (name, description, geom, member_community_codes, designated_on)
            SELECT ${input.name}, ${input.description ?? null}, x.area, ${given ?? membersByIntersection(sql`x.area`)}, ${input.designatedOn ?? null}::date
            FROM (SELECT ${geometry.area} AS area) x
            RETURNING id`,
          );
    const id = Number(row!.id);
    await audit(tx, actor, 'create', kind, id, { name: input.name, designatedOn: input.designatedOn ?? null });
    return (await findDemonstration(tx, kind, id))!;
  });
}

/**
 * Updates the given fields. Members: the listed codes when given; recomputed by
 * intersection when the geometry changes without a list; otherwise kept.
 */
export async function updateDemonstration<K extends DemoKind>(db: DbHandle, kind: K, id: number, input: DemoInput, actor: string): Promise<DemoOf<K>> {
  return db.db.transaction(async (tx) => {
    const [locked] = await executeRows<{ id: number }>(tx, sql`SELECT id FROM ${TABLE[kind]} WHERE id = ${id} FOR UPDATE`);
    if (!locked) throw notFound(kind, id);
    const geometry = geometrySql(kind, input);
    if (geometry.area) await checkArea(tx, geometry.area, kind === 'belt' ? 'corridor' : 'area');
    if (input.memberCommunityCodes) await checkMembers(tx, input.memberCommunityCodes);
    const sets: SQL[] = [sql`updated_at = now()`];
    if (input.name !== undefined) sets.push(sql`name = ${input.name}`);
    if (input.description !== undefined) sets.push(sql`description = ${input.description}`);
    if (input.designatedOn !== undefined) sets.push(sql`designated_on = ${input.designatedOn}::date`);
    const areaColumn = kind === 'belt' ? sql`corridor` : sql`geom`;
    if (geometry.route) sets.push(sql`route = ${geometry.route}`);
    // A belt whose route changed but whose corridor was not given gets a new corridor from the new route.
    if (geometry.area) sets.push(sql`${areaColumn} = ${geometry.area}`);
    await executeRows(tx, sql`UPDATE ${TABLE[kind]} SET ${sql.join(sets, sql`, `)} WHERE id = ${id}`);
    if (input.memberCommunityCodes) {
      await executeRows(tx, sql`UPDATE ${TABLE[kind]} SET member_community_codes = ${JSON.stringify([...new Set(input.memberCommunityCodes)].sort())}::jsonb WHERE id = ${id}`);
    } else if (geometry.area) {
      await executeRows(tx, sql`UPDATE ${TABLE[kind]} d SET member_community_codes = ${membersByIntersection(sql`d.${areaColumn}`)} WHERE id = ${id}`);
    }
    await audit(tx, actor, 'update', kind, id, { fields: Object.keys(input) });
    return (await findDemonstration(tx, kind, id))!;
  });
}

export async function deleteDemonstration(db: DbHandle, kind: DemoKind, id: number, actor: string): Promise<void> {
  await db.db.transaction(async (tx) => {
    const deleted = await executeRows<{ name: string }>(tx, sql`DELETE FROM ${TABLE[kind]} WHERE id = ${id} RETURNING name`);
    if (deleted.length === 0) throw notFound(kind, id);
    await audit(tx, actor, 'delete', kind, id, { name: deleted[0]!.name });
  });
}
