/**
 * 走访 (household visits): a grid worker logs a visit to a household or building of one
 * of their grids, with a note and optionally the phone's position; `visitedAt` is the
 * phone's observation time (the visit may be synced hours later from the offline queue),
 * `created_at` the server's. Read per grid and counted per grid of a community.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { fixProblems } from '../../kernel/fieldPoints';
import type { SessionUser } from '../../kernel/roles';
import { DomainError, ForbiddenError, NotFoundError } from '../http/domainError';
import type { FieldError } from '../http/problem';
import { fieldScope, gridFilter } from './fieldAccess';

/** How old an offline visit may be when it arrives, and how far ahead of the server a phone clock may run. */
const MAX_AGE_MS = 30 * 24 * 3600 * 1000;
const FUTURE_SLACK_MS = 10 * 60 * 1000;

export interface VisitInput {
  gridCode: string;
  target: string;
  note?: string | undefined;
  lon?: number | undefined;
  lat?: number | undefined;
  accuracyM?: number | undefined;
  visitedAt: string;
}

interface VisitRow {
  id: number;
  user_id: number;
  display_name: string;
  grid_code: string;
  target: string;
  note: string | null;
  lon: number | null;
  lat: number | null;
  visited_at: Date | string;
  created_at: Date | string;
}

const visitView = (r: VisitRow, names: boolean) => ({
  id: Number(r.id),
  userId: Number(r.user_id),
  workerName: names ? r.display_name : null,
  gridCode: r.grid_code,
  target: r.target,
  note: r.note,
  lon: r.lon === null ? null : Number(r.lon),
  lat: r.lat === null ? null : Number(r.lat),
  visitedAt: new Date(r.visited_at).toISOString(),
  createdAt: new Date(r.created_at).toISOString(),
});

export async function recordVisit(db: DbHandle, user: SessionUser, input: VisitInput) {
  if (user.role !== 'grid_worker' || !user.gridCodes.includes(input.gridCode)) {
    throw new ForbiddenError('只能记录本人所属网格的走访', { errors: [{ field: 'gridCode', reason: '不是您的网格' }] });
  }
  const errors: FieldError[] = [];
  if ((input.lon === undefined) !== (input.lat === undefined)) errors.push({ field: 'lon', reason: '经度和纬度应同时填写' });
  else if (input.lon !== undefined) errors.push(...fixProblems(input.lon, input.lat, input.accuracyM));
  const at = Date.parse(input.visitedAt);
  if (at > Date.now() + FUTURE_SLACK_MS) errors.push({ field: 'visitedAt', reason: '走访时间晚于服务器当前时间（请检查手机时间）' });
  else if (at < Date.now() - MAX_AGE_MS) errors.push({ field: 'visitedAt', reason: '走访时间早于 30 天前' });
  if (errors.length > 0) throw new DomainError(422, '走访信息无效', errors.map((e) => `${e.field}：${e.reason}`).join('；'), { errors });
  const [row] = await db.rows<VisitRow>(sql`
    WITH ins AS (
      INSERT INTO visits (user_id, grid_code, community_code, target, note, lon, lat, visited_at)
      SELECT ${user.id}, g.code, g.community_code, ${input.target}, ${input.note ?? null}, ${input.lon ?? null}::float8, ${input.lat ?? null}::float8, ${new Date(at).toISOString()}::timestamptz
      FROM grids g WHERE g.code = ${input.gridCode}
      RETURNING *)
    SELECT ins.*, u.display_name FROM ins JOIN users u ON u.id = ins.user_id`);
  if (!row) throw new NotFoundError(`网格 ${input.gridCode} 不存在`);
  return visitView(row, true);
}

/** Visits of one grid in [from, to), newest first (the reader's scope decides: 403 outside it). */
export async function gridVisits(db: DbHandle, user: SessionUser, gridCode: string, from: Date, to: Date, limit: number) {
  const scope = fieldScope(user, gridCode.slice(0, 12));
  if (scope.grids !== null && !scope.grids.includes(gridCode)) throw new ForbiddenError('只能查看本人所属网格的走访', { errors: [{ field: 'grid', reason: '不是您的网格' }] });
  const rows = await db.rows<VisitRow>(sql`
    SELECT v.*, u.display_name FROM visits v JOIN users u ON u.id = v.user_id
    WHERE v.grid_code = ${gridCode} AND v.visited_at >= ${from.toISOString()}::timestamptz AND v.visited_at < ${to.toISOString()}::timestamptz
    ORDER BY v.visited_at DESC LIMIT ${limit}`);
  return { grid: gridCode, personalDataWithheld: !scope.names, visits: rows.map((r) => visitView(r, scope.names)) };
}

/** Visits per grid of a community in [from, to): every grid in scope, zeros included. */
export async function visitCounts(db: DbHandle, user: SessionUser, communityCode: string, from: Date, to: Date) {
  const scope = fieldScope(user, communityCode);
  const rows = await db.rows<{ code: string; name: string; households: number; visits: number; households_visited: number; workers: number }>(sql`
    SELECT g.code, g.name, g.households,
      count(v.id)::int AS visits, count(DISTINCT v.target)::int AS households_visited, count(DISTINCT v.user_id)::int AS workers
    FROM grids g LEFT JOIN visits v ON v.grid_code = g.code AND v.visited_at >= ${from.toISOString()}::timestamptz AND v.visited_at < ${to.toISOString()}::timestamptz
    WHERE g.community_code = ${communityCode} AND ${gridFilter(scope, sql`g.code`)}
    GROUP BY g.code, g.name, g.households ORDER BY g.code`);
  const grids = rows.map((r) => ({ gridCode: r.code, gridName: r.name, households: Number(r.households), visits: Number(r.visits), targetsVisited: Number(r.households_visited), workers: Number(r.workers) }));
  return { community: communityCode, from: from.toISOString(), to: to.toISOString(), grids, total: grids.reduce((s, g) => s + g.visits, 0) };
}
