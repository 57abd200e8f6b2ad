/**
 * The big screen's party-service figures for a region (issue 16 point 9): 双报到 (units,
 * members reported, 报到率 — the one definition in kernel/partyService.ts), 为民红绳/
 * 微心愿 认领/完成, and the final star distribution of the latest rated year beside the
 * year before. Part of the cached summary: the tables carry data_changes triggers.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { levelOf } from '../screen/scope';
import { dualReportFigures } from './dualReport';
import { inRegion } from './regionScope';
import { starDistribution } from './starRatings';

export async function partyServiceScreen(db: DbHandle, code: string, now: Date) {
  // A grid's figures are its community's (units, members and wishes belong to communities).
  const region = levelOf(code) === 'grid' ? code.slice(0, 12) : code;
  const dual = (await dualReportFigures(db, region)).figures;
  const [w] = await db.rows<{ posted: number; claimed: number; completed: number; confirmed: number }>(sql`
    SELECT count(*)::int AS posted, count(*) FILTER (WHERE status <> 'open')::int AS claimed,
           count(*) FILTER (WHERE status IN ('done', 'confirmed'))::int AS completed, count(*) FILTER (WHERE status = 'confirmed')::int AS confirmed
    FROM service_wishes w WHERE ${inRegion(sql`w.community_code`, region)}`);
  const [latest] = await db.rows<{ year: number | null }>(sql`SELECT max(year) AS year FROM star_ratings s WHERE ${inRegion(sql`s.org_code`, region)} AND s.status = 'final'`);
  const chinaYear = new Date(now.getTime() + 8 * 3_600_000).getUTCFullYear();
  const stars = await starDistribution(db, region, latest?.year ? Number(latest.year) : chinaYear);
  return {
    dualReport: { units: dual.units, membersReported: dual.membersReported, reportRate: dual.reportRate, servicesDone: dual.servicesDone },
    wishes: { posted: Number(w?.posted ?? 0), claimed: Number(w?.claimed ?? 0), completed: Number(w?.completed ?? 0), confirmed: Number(w?.confirmed ?? 0) },
    stars,
  };
}
