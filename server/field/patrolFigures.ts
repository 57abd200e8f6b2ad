/**
 * The big screen's patrol figures for a region (city … grid): 今日巡查 (patrols started
 * today, China time), 正在巡查 (active now), 本周巡查时长 (hours on patrol of patrols
 * started since Monday 00:00 China time; an active one counts up to the computation).
 * The summary cache (server/screen/summaryCache.ts) keeps them until the data version
 * changes, the day ends, or — while someone is on patrol — for at most a minute
 * (`validUntil`), so the growing hours are never older than that.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { levelOf } from '../screen/scope';

const CST_MS = 8 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;
/** How long figures with an active patrol are reused. */
export const ACTIVE_PATROL_REUSE_MS = 60_000;

export interface PatrolFigures {
  today: number;
  activeNow: number;
  weekHours: number;
  weekStart: string;
}

/** Midnight (China time) of `now`'s day and of the Monday of its week, as instants. */
export function chinaDayAndWeek(now: Date): { dayStart: Date; weekStart: Date } {
  const local = now.getTime() + CST_MS;
  const dayStart = Math.floor(local / DAY_MS) * DAY_MS;
  const weekday = (new Date(dayStart).getUTCDay() + 6) % 7; // Monday 0
  return { dayStart: new Date(dayStart - CST_MS), weekStart: new Date(dayStart - weekday * DAY_MS - CST_MS) };
}

/** A patrol (alias p) inside a region (city … grid): the one scope of the patrol figures and their drill-down. */
export function patrolScope(code: string) {
  switch (levelOf(code)) {
    case 'grid':
      return sql`p.grid_codes ? ${code}`;
    case 'community':
      return sql`p.community_code = ${code}`;
    case 'street':
      return sql`p.street_code = ${code}`;
    case 'district':
      return sql`p.street_code LIKE ${`${code}%`}`;
    case 'city':
      return sql`p.street_code LIKE ${`${code.slice(0, 4)}%`}`;
  }
}

export async function patrolFigures(db: DbHandle, code: string, now: Date): Promise<PatrolFigures> {
  const { dayStart, weekStart } = chinaDayAndWeek(now);
  const at = now.toISOString();
  const [r] = await db.rows<{ today: number; active: number; seconds: number }>(sql`
    SELECT count(*) FILTER (WHERE p.started_at >= ${dayStart.toISOString()}::timestamptz)::int AS today,
      count(*) FILTER (WHERE p.status = 'active')::int AS active,
      coalesce(sum(extract(epoch FROM (least(coalesce(p.ended_at, ${at}::timestamptz), ${at}::timestamptz) - p.started_at))) FILTER (WHERE p.started_at >= ${weekStart.toISOString()}::timestamptz), 0)::float8 AS seconds
    FROM patrols p WHERE ${patrolScope(code)} AND (p.status = 'active' OR p.started_at >= ${weekStart.toISOString()}::timestamptz) AND p.started_at <= ${at}::timestamptz`);
  return {
    today: Number(r?.today ?? 0),
    activeNow: Number(r?.active ?? 0),
    weekHours: Math.round((Math.max(0, Number(r?.seconds ?? 0)) / 3600) * 10) / 10,
    weekStart: weekStart.toISOString(),
  };
}

/** Until when (ms) patrol figures computed at `now` stay what a fresh computation gives: the day's end, or a minute while anyone is on patrol. */
export async function patrolFiguresValidUntil(db: DbHandle, now: Date): Promise<number> {
  const nextDay = chinaDayAndWeek(now).dayStart.getTime() + DAY_MS;
  const [r] = await db.rows<{ active: boolean }>(sql`SELECT EXISTS (SELECT 1 FROM patrols WHERE status = 'active') AS active`);
  return r?.active ? Math.min(nextDay, now.getTime() + ACTIVE_PATROL_REUSE_MS) : nextDay;
}
