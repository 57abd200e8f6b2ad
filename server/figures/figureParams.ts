/**
 * Why: a figure opened from a chart is narrowed to one point of that chart — one month
 * of the 12-month trend (YYYY-MM, China time) or one child region's bar. This turns the
 * request (scope, period, month, region) into the one FigureParams that the value, the
 * paged records and the export all use, so the point's drill-down counts exactly what
 * the chart drew. Well-formed but not belonging to the figure is refused with 422 and
 * the field: a month outside the figure's series (the trend's last 12 months, as
 * server/screen/summary.ts incidentTrend draws them), a month on a snapshot figure, a
 * region that is not below the scope. Who may read the records is still decided on the
 * region actually read (figureQuery.ts assertMayReadRecords).
 *
 * A 示范评估 cell (server/scorecards) opens with `communities` and `cohort`: the 示范社区
 * themselves or the rest of their city, over the cell's window (from/to) — the scorecard's
 * own WHERE fragments (server/figures/cohort.ts). Unknown communities, communities outside
 * the city, and figures that do not read a cohort (registry.ts opensByCohort) are refused with 422 (field communities).
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { DomainError } from '../http/domainError';
import { lastMonths } from '../screen/months';
import { regionPath } from '../screen/summary';
import { figureOr404 } from './figureQuery';
import { regionPrefix } from '../incidents/filters';
import { type FigureParams, opensByCohort } from './registry';
import { rootRegionCode } from './rootRegion';

export interface FigureRequest {
  /** The region of the page (the screen's drilled region); default the city. */
  scope?: string;
  from?: Date;
  to?: Date;
  /** One month of the figure's series, YYYY-MM in China time (the route checks the form). */
  month?: string;
  /** A region below `scope` (a child bar): the figure is then computed for it. */
  region?: string;
  /** A 示范评估 cell: 12-digit community codes (without scope/region; the route checks the form) … */
  communities?: string[];
  /** … and whether the cell is theirs (group) or the rest of the city's. */
  cohort?: 'group' | 'rest';
}

class FigureParamProblem extends DomainError {
  constructor(field: 'month' | 'region' | 'communities', reason: string) {
    super(422, '无法按该条件打开指标', `${field}：${reason}`, { errors: [{ field, reason }] });
  }
}

/** The months a periodic figure can be opened at: the trend's series at `now`, oldest first. */
export function figureSeriesMonths(now: Date) {
  return lastMonths(now);
}

/** Without from/to/month the period is the current calendar month (China time), as on the screen. */
export async function resolveFigureParams(db: DbHandle, id: string, q: FigureRequest, now: Date): Promise<FigureParams> {
  const figure = figureOr404(id);
  const scope = q.scope ?? (await rootRegionCode(db));
  const series = figureSeriesMonths(now);
  const current = series[series.length - 1]!;
  let from = q.from ?? current.start;
  let to = q.to ?? current.end;
  if (q.month !== undefined) {
    if (!figure.periodic) throw new FigureParamProblem('month', `“${figure.name}”是当前数据，不按月份统计；请去掉 month`);
    const m = series.find((s) => s.key === q.month);
    if (!m) throw new FigureParamProblem('month', `月份 ${q.month} 不在该指标的序列内（${series[0]!.key} 至 ${current.key}，中国时间）`);
    from = m.start;
    to = m.end;
  }
  const monthPart = q.month ? { month: q.month } : {};
  if (q.communities !== undefined) {
    if (!opensByCohort(figure)) throw new FigureParamProblem('communities', `“${figure.name}”不按社区组统计（网格、事件与示范评估的指标才可以按示范社区打开）`);
    const communities = [...new Set(q.communities)].sort();
    const known = await db.rows<{ code: string }>(sql`SELECT code FROM regions WHERE level = 'community' AND code IN ${communities}`);
    const unknown = communities.filter((c) => !known.some((k) => k.code === c));
    if (unknown.length) throw new FigureParamProblem('communities', `不是已知的社区代码：${unknown.join('、')}`);
    const outside = communities.filter((c) => !c.startsWith(regionPrefix(scope)));
    if (outside.length) throw new FigureParamProblem('communities', `社区 ${outside.join('、')} 不在本市 ${scope} 内`);
    return { scope, from, to, now, cohort: { communities, rest: q.cohort === 'rest' }, ...monthPart };
  }
  if (q.region === undefined) return { scope, from, to, now, ...monthPart };
  const path = await regionPath(db, q.region);
  if (!path) throw new FigureParamProblem('region', `区域编码 ${q.region} 不存在`);
  if (!path.slice(0, -1).some((r) => r.code === scope)) throw new FigureParamProblem('region', `区域 ${q.region} 不是当前区域 ${scope} 的下级区域`);
  return { scope: q.region, from, to, now, within: scope, ...monthPart };
}
