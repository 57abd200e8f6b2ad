/**
 * 巡查 (patrols) of grid workers: start and stop by the server's clock, GPS points in
 * batches from the phone (its clock is the observation time `recorded_at`; a point sent
 * twice — a retried batch — is kept once, by (patrol, recorded_at)), check-ins at places.
 * Read back as the worker's own list (GET /api/patrols/mine) and, for the community's
 * desktop map and figures, as GeoJSON tracks with duration and distance per patrol and
 * per worker. Tracks and distances leave out fixes worse than TRACK_ACCURACY_M.
 */
import { sql } from 'drizzle-orm';
import { boundToTransaction, type DbHandle } from '../../db/client';
import { fixProblems, TRACK_ACCURACY_M } from '../../kernel/fieldPoints';
import type { SessionUser } from '../../kernel/roles';
import { DomainError, ForbiddenError, NotFoundError } from '../http/domainError';
import type { FieldError } from '../http/problem';
import { fieldScope, gridsFilter } from './fieldAccess';

/** Device clocks drift; points this far before the start or after the end (or now) are refused. */
const CLOCK_SLACK_MS = 60 * 60 * 1000;
/** Simplification of the desktop tracks, degrees (≈ 3 m). */
const SIMPLIFY_DEG = 0.00003;

export interface PointInput {
  recordedAt: string;
  lon: number;
  lat: number;
  accuracyM?: number | undefined;
}

export interface PatrolView {
  id: number;
  userId: number;
  /** null when the reader may not read names (personalDataWithheld). */
  workerName: string | null;
  gridCodes: string[];
  communityCode: string;
  status: 'active' | 'ended';
  startedAt: string;
  endedAt: string | null;
  durationS: number;
  distanceM: number;
  pointCount: number;
  checkinCount: number;
}

interface PatrolRow {
  id: number;
  user_id: number;
  display_name: string;
  grid_codes: string[] | string;
  community_code: string;
  status: 'active' | 'ended';
  started_at: Date | string;
  ended_at: Date | string | null;
  duration_s: number;
  distance_m: number;
  points: number;
  checkins: number;
  track: string | null;
}

const iso = (v: Date | string) => new Date(v).toISOString();

function view(r: PatrolRow, names: boolean): PatrolView {
  return {
    id: Number(r.id),
    userId: Number(r.user_id),
    workerName: names ? r.display_name : null,
    gridCodes: typeof r.grid_codes === 'string' ? (JSON.parse(r.grid_codes) as string[]) : r.grid_codes,
    communityCode: r.community_code,
    status: r.status,
    startedAt: iso(r.started_at),
    endedAt: r.ended_at === null ? null : iso(r.ended_at),
    durationS: Math.round(Number(r.duration_s)),
    distanceM: Math.round(Number(r.distance_m)),
    pointCount: Number(r.points),
    checkinCount: Number(r.checkins),
  };
}

/** Patrols with their figures (and simplified track) for a WHERE over `p`. */
function patrolRows(db: DbHandle, where: ReturnType<typeof sql>, limit = 2000) {
  return db.rows<PatrolRow>(sql`
    WITH sel AS (SELECT p.* FROM patrols p WHERE ${where} ORDER BY p.started_at DESC LIMIT ${limit}),
    lines AS (
      SELECT sel.id,
        (SELECT count(*) FROM patrol_points pp WHERE pp.patrol_id = sel.id)::int AS points,
        (SELECT ST_MakeLine(ST_MakePoint(pp.lon, pp.lat) ORDER BY pp.recorded_at) FROM patrol_points pp
          WHERE pp.patrol_id = sel.id AND (pp.accuracy_m IS NULL OR pp.accuracy_m <= ${TRACK_ACCURACY_M})) AS line
      FROM sel)
    SELECT sel.id, sel.user_id, u.display_name, sel.grid_codes, sel.community_code, sel.status, sel.started_at, sel.ended_at,
      extract(epoch FROM (coalesce(sel.ended_at, now()) - sel.started_at))::float8 AS duration_s,
      CASE WHEN ST_NPoints(l.line) >= 2 THEN ST_Length(l.line::geography) ELSE 0 END AS distance_m,
      l.points,
      (SELECT count(*) FROM patrol_checkins c WHERE c.patrol_id = sel.id)::int AS checkins,
      CASE WHEN ST_NPoints(l.line) >= 2 THEN ST_AsGeoJSON(ST_Simplify(l.line, ${SIMPLIFY_DEG}), 6) END AS track
    FROM sel JOIN lines l ON l.id = sel.id JOIN users u ON u.id = sel.user_id
    ORDER BY sel.started_at DESC`);
}

async function onePatrol(db: DbHandle, id: number, names = true): Promise<PatrolView & { track: GeoJSON.LineString | null }> {
  const [r] = await patrolRows(db, sql`p.id = ${id}`, 1);
  if (!r) throw new NotFoundError(`巡查 ${id} 不存在`);
  return { ...view(r, names), track: r.track ? (JSON.parse(r.track) as GeoJSON.LineString) : null };
}

class PatrolConflict extends DomainError {
  constructor(detail: string, extra: Record<string, unknown>) {
    super(409, '巡查状态冲突', detail, extra);
  }
}

/** The user's own patrol (locked), or 404/403. */
async function ownPatrol(db: DbHandle, user: SessionUser, id: number) {
  const [p] = await db.rows<{ user_id: number; status: string; started_at: Date | string; ended_at: Date | string | null }>(sql`SELECT user_id, status, started_at, ended_at FROM patrols WHERE id = ${id} FOR UPDATE`);
  if (!p) throw new NotFoundError(`巡查 ${id} 不存在`);
  if (Number(p.user_id) !== user.id) throw new ForbiddenError('只能记录本人的巡查', { errors: [{ field: 'id', reason: '这不是您的巡查' }] });
  return { status: p.status, startedAt: new Date(p.started_at), endedAt: p.ended_at === null ? null : new Date(p.ended_at) };
}

/** 开始巡查: one active patrol per worker (a second start is a 409 naming the active one). */
export async function startPatrol(db: DbHandle, user: SessionUser, note: string | null) {
  if (user.role !== 'grid_worker' || user.gridCodes.length === 0) throw new ForbiddenError('只有绑定了网格的网格员可以巡查', { errors: [{ field: '(user)', reason: '账号未绑定网格' }] });
  const id = await db.db.transaction(async (tx) => {
    const t = boundToTransaction(db, tx);
    const [active] = await t.rows<{ id: number }>(sql`SELECT id FROM patrols WHERE user_id = ${user.id} AND status = 'active' FOR UPDATE`);
    if (active) throw new PatrolConflict(`您已有进行中的巡查（编号 ${active.id}），请先结束`, { activePatrolId: Number(active.id) });
    const [grid] = await t.rows<{ community_code: string; street_code: string }>(sql`SELECT community_code, street_code FROM grids WHERE code = ${user.gridCodes[0]!}`);
    if (!grid) throw new ForbiddenError('账号绑定的网格不存在');
    const [row] = await t.rows<{ id: number }>(sql`
      INSERT INTO patrols (user_id, grid_codes, community_code, street_code, started_at, status, note)
      VALUES (${user.id}, ${JSON.stringify(user.gridCodes)}::jsonb, ${grid.community_code}, ${grid.street_code}, now(), 'active', ${note}) RETURNING id`);
    return Number(row!.id);
  });
  return onePatrol(db, id);
}

/** Refusals of a batch, one per bad field (points.N.field). */
class PointsRejected extends DomainError {
  constructor(errors: FieldError[]) {
    super(
      422,
      '轨迹点无效',
      `${errors.length} 处错误：${errors
        .slice(0, 5)
        .map((e) => `${e.field}：${e.reason}`)
        .join('；')}`,
      { errors },
    );
  }
}

/** A batch of points: all checked first (any bad point refuses the batch), duplicates kept once. */
export async function addPoints(db: DbHandle, user: SessionUser, id: number, points: PointInput[]) {
  return db.db.transaction(async (tx) => {
    const t = boundToTransaction(db, tx);
    const p = await ownPatrol(t, user, id);
    const now = Date.now();
    const earliest = p.startedAt.getTime() - CLOCK_SLACK_MS;
    const latest = (p.endedAt?.getTime() ?? now) + (p.endedAt ? CLOCK_SLACK_MS / 6 : 5 * 60 * 1000);
    const errors: FieldError[] = [];
    points.forEach((pt, k) => {
      for (const f of fixProblems(pt.lon, pt.lat, pt.accuracyM)) errors.push({ field: `points.${k}.${f.field}`, reason: f.reason });
      const at = Date.parse(pt.recordedAt);
      if (at < earliest) errors.push({ field: `points.${k}.recordedAt`, reason: '记录时间早于巡查开始' });
      else if (at > latest) errors.push({ field: `points.${k}.recordedAt`, reason: p.endedAt ? '记录时间晚于巡查结束' : '记录时间晚于服务器当前时间（请检查手机时间）' });
    });
    if (errors.length > 0) throw new PointsRejected(errors);
    const values = sql.join(
      points.map((pt) => sql`(${id}, ${new Date(pt.recordedAt).toISOString()}::timestamptz, ${pt.lon}, ${pt.lat}, ${pt.accuracyM ?? null}::float8)`),
      sql`, `,
    );
    const inserted = await t.rows<{ id: number }>(sql`INSERT INTO patrol_points (patrol_id, recorded_at, lon, lat, accuracy_m) VALUES ${values} ON CONFLICT (patrol_id, recorded_at) DO NOTHING RETURNING id`);
    const [total] = await t.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM patrol_points WHERE patrol_id = ${id}`);
    return { patrolId: id, accepted: inserted.length, duplicates: points.length - inserted.length, pointCount: Number(total!.n) };
  });
}

export interface CheckinInput {
  placeName: string;
  note?: string | undefined;
  lon?: number | undefined;
  lat?: number | undefined;
  accuracyM?: number | undefined;
  recordedAt: string;
}

/** 打卡 at a place, during (or just after) the patrol. */
export async function addCheckin(db: DbHandle, user: SessionUser, id: number, input: CheckinInput) {
  return db.db.transaction(async (tx) => {
    const t = boundToTransaction(db, tx);
    const p = await ownPatrol(t, user, id);
    const errors: FieldError[] = [];
    if ((input.lon === undefined) !== (input.lat === undefined)) errors.push({ field: 'lon', reason: '经度和纬度应同时填写' });
    else if (input.lon !== undefined) errors.push(...fixProblems(input.lon, input.lat, input.accuracyM));
    const at = Date.parse(input.recordedAt);
    if (at < p.startedAt.getTime() - CLOCK_SLACK_MS || at > (p.endedAt?.getTime() ?? Date.now()) + CLOCK_SLACK_MS / 6) errors.push({ field: 'recordedAt', reason: '打卡时间不在巡查期间' });
    if (errors.length > 0) throw new DomainError(422, '打卡信息无效', errors.map((e) => `${e.field}：${e.reason}`).join('；'), { errors });
    const [row] = await t.rows<{ id: number; created_at: Date | string }>(sql`
      INSERT INTO patrol_checkins (patrol_id, place_name, note, lon, lat, recorded_at)
      VALUES (${id}, ${input.placeName}, ${input.note ?? null}, ${input.lon ?? null}::float8, ${input.lat ?? null}::float8, ${new Date(input.recordedAt).toISOString()}::timestamptz)
      RETURNING id, created_at`);
    return {
      id: Number(row!.id),
      patrolId: id,
      placeName: input.placeName,
      note: input.note ?? null,
      lon: input.lon ?? null,
      lat: input.lat ?? null,
      recordedAt: new Date(input.recordedAt).toISOString(),
      createdAt: iso(row!.created_at),
    };
  });
}

/** 结束巡查 by the server's clock; stopping an ended patrol again answers it unchanged (a retried stop). */
export async function stopPatrol(db: DbHandle, user: SessionUser, id: number) {
  await db.db.transaction(async (tx) => {
    const t = boundToTransaction(db, tx);
    const p = await ownPatrol(t, user, id);
    if (p.status === 'active') await tx.execute(sql`UPDATE patrols SET status = 'ended', ended_at = now() WHERE id = ${id}`);
  });
  return onePatrol(db, id);
}

/** The worker's active patrol (with its track) and their recent ones. */
export async function myPatrols(db: DbHandle, user: SessionUser) {
  const rows = await patrolRows(db, sql`p.user_id = ${user.id}`, 30);
  const activeRow = rows.find((r) => r.status === 'active');
  return {
    active: activeRow ? { ...view(activeRow, true), track: activeRow.track ? (JSON.parse(activeRow.track) as GeoJSON.LineString) : null } : null,
    recent: rows.filter((r) => r.status !== 'active').map((r) => view(r, true)),
  };
}

export interface WorkerFigures {
  userId: number;
  workerName: string | null;
  patrols: number;
  durationS: number;
  distanceM: number;
  checkins: number;
}

/**
 * The community's patrols that started in [from, to) as GeoJSON (a LineString per
 * patrol with at least two good fixes; the others have a null geometry), with figures
 * per worker and in total — what the reader's scope allows (fieldAccess.ts).
 */
export async function communityPatrols(db: DbHandle, user: SessionUser, communityCode: string, from: Date, to: Date) {
  const scope = fieldScope(user, communityCode);
  const rows = await patrolRows(
    db,
    sql`p.community_code = ${communityCode} AND p.started_at >= ${from.toISOString()}::timestamptz AND p.started_at < ${to.toISOString()}::timestamptz AND ${gridsFilter(scope, sql`p.grid_codes`)}`,
  );
  const patrols = rows.map((r) => ({ ...view(r, scope.names), track: r.track }));
  const byWorker = new Map<number, WorkerFigures>();
  for (const p of patrols) {
    const w = byWorker.get(p.userId) ?? { userId: p.userId, workerName: p.workerName, patrols: 0, durationS: 0, distanceM: 0, checkins: 0 };
    w.patrols += 1;
    w.durationS += p.durationS;
    w.distanceM += p.distanceM;
    w.checkins += p.checkinCount;
    byWorker.set(p.userId, w);
  }
  const workers = [...byWorker.values()].sort((a, b) => b.durationS - a.durationS);
  return {
    type: 'FeatureCollection' as const,
    community: communityCode,
    from: from.toISOString(),
    to: to.toISOString(),
    personalDataWithheld: !scope.names,
    features: patrols.map(({ track, ...props }) => ({
      type: 'Feature' as const,
      id: props.id,
      geometry: track ? (JSON.parse(track) as GeoJSON.LineString) : null,
      properties: props,
    })),
    workers,
    totals: {
      patrols: patrols.length,
      active: patrols.filter((p) => p.status === 'active').length,
      workers: workers.length,
      durationS: workers.reduce((s, w) => s + w.durationS, 0),
      distanceM: workers.reduce((s, w) => s + w.distanceM, 0),
      checkins: workers.reduce((s, w) => s + w.checkins, 0),
    },
  };
}
