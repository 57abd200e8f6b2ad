/**
 * The priority map: communities ranked by need for a new facility. Per community
 * (demand.ts per grid, summed): uncovered households × (1 + incident density of
 * the chosen categories relative to the city's), density = incidents per 1,000
 * residents in the last 365 days. The reason text states each factor.
 */
import type { DbHandle } from '../../db/client';
import { sql } from 'drizzle-orm';
import { demandPoints, type DemandOptions } from './demand';

export interface PriorityRow {
  rank: number;
  code: string;
  name: string;
  streetCode: string;
  households: number;
  population: number;
  uncoveredHouseholds: number;
  uncoveredPopulation: number;
  uncoveredShare: number;
  incidents: number;
  incidentsPer1000: number;
  densityRatio: number;
  score: number;
  reason: string;
  position: [number, number];
}

const fmt = (n: number, d = 0) => n.toLocaleString('zh-CN', { maximumFractionDigits: d, minimumFractionDigits: d });

export async function priorityCommunities(db: DbHandle, options: DemandOptions): Promise<PriorityRow[]> {
  const points = await demandPoints(db, { ...options, incidentWeight: 0 });
  const by = new Map<string, { streetCode: string; households: number; population: number; uh: number; up: number; incidents: number }>();
  for (const p of points) {
    const c = by.get(p.communityCode) ?? { streetCode: p.streetCode, households: 0, population: 0, uh: 0, up: 0, incidents: 0 };
    c.households += p.households;
    c.population += p.population;
    c.uh += p.uncoveredHouseholds;
    c.up += p.uncoveredPopulation;
    c.incidents += p.incidents;
    by.set(p.communityCode, c);
  }
  const codes = [...by.keys()];
  const regions = await db.rows<{ code: string; name: string; lon: number; lat: number }>(sql`
    SELECT code, name, ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM regions WHERE code = ANY(${`{${codes.join(',')}}`}::text[])`);
  const region = new Map(regions.map((r) => [r.code, r]));
  const totalPop = [...by.values()].reduce((s, c) => s + c.population, 0);
  const totalInc = [...by.values()].reduce((s, c) => s + c.incidents, 0);
  const cityDensity = totalPop > 0 ? (totalInc / totalPop) * 1000 : 0;
  const categories = options.categories.length ? `类别 ${options.categories.join('、')}` : '';
  const rows = codes.map((code) => {
    const c = by.get(code)!;
    const density = c.population > 0 ? (c.incidents / c.population) * 1000 : 0;
    const ratio = cityDensity > 0 ? density / cityDensity : 0;
    const score = c.uh * (1 + (options.categories.length ? ratio : 0));
    const share = c.households > 0 ? c.uh / c.households : 0;
    const incidentText = options.categories.length ? `；近 12 个月${categories}事件 ${fmt(c.incidents)} 件，每千人 ${fmt(density, 1)} 件，为全市平均（${fmt(cityDensity, 1)}）的 ${fmt(ratio, 2)} 倍` : '';
    const r = region.get(code);
    return {
      rank: 0,
      code,
      name: r?.name ?? code,
      streetCode: c.streetCode,
      households: c.households,
      population: c.population,
      uncoveredHouseholds: c.uh,
      uncoveredPopulation: c.up,
      uncoveredShare: share,
      incidents: c.incidents,
      incidentsPer1000: density,
      densityRatio: ratio,
      score,
      reason: `15 分钟圈外 ${fmt(c.uh)} 户（占 ${fmt(share * 100, 1)}%），${fmt(c.up)} 人${incidentText}`,
      position: [Number(r?.lon ?? 0), Number(r?.lat ?? 0)] as [number, number],
    };
  });
  rows.sort((a, b) => b.score - a.score || a.code.localeCompare(b.code));
  rows.forEach((r, i) => {
    r.rank = i + 1;
  });
  return rows;
}
