/**
 * Files of the siting analysis: a scenario's per-community delta as CSV and its
 * candidates with their walking circles as GeoJSON, the priority list as CSV.
 * Computed figures, not a stored layer, so not in the layer export registry;
 * cells go through the same csvCell (CSV-injection safe) as every export. UTF-8 with BOM for Excel.
 */
import { FACILITY_KIND_INFO } from '../../kernel/facilityKinds';
import { csvCell } from '../exports/formats/csvCell';
import type { PriorityRow } from './priority';
import type { WhatIfResult } from './whatIf';

const csv = (header: string[], rows: unknown[][]) => `\ufeff${[header, ...rows].map((r) => r.map((v) => csvCell(v)).join(',')).join('\r\n')}\r\n`;
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

export function scenarioCsv(result: WhatIfResult): string {
  const row = (level: string, a: WhatIfResult['communities'][number]) => [
    level,
    a.code,
    a.name,
    a.households,
    a.population,
    round(a.coveredHouseholdsBefore),
    round(a.coveredHouseholdsAfter),
    round(a.householdsGained),
    round(a.populationGained),
    round(a.shareBefore * 100),
    round(a.shareAfter * 100),
  ];
  return csv(
    ['层级', '代码', '名称', '户数', '人口', '覆盖户数（前）', '覆盖户数（后）', '新增覆盖户数', '新增覆盖人口', '覆盖率前（%）', '覆盖率后（%）'],
    [...result.streets.map((s) => row('街道', s)), ...result.communities.map((c) => row('社区', c))],
  );
}

export function scenarioGeoJson(name: string, result: WhatIfResult) {
  return {
    type: 'FeatureCollection' as const,
    name,
    features: result.circles.map((c) => ({
      type: 'Feature' as const,
      geometry: JSON.parse(c.geometry) as GeoJSON.MultiPolygon,
      properties: { name: c.name, kind: c.kind, kindName: FACILITY_KIND_INFO[c.kind].label, minutes: result.minutes, method: c.method, areaM2: round(c.areaM2, 0) },
    })),
  };
}

export function priorityCsv(rows: PriorityRow[]): string {
  return csv(
    ['排名', '社区代码', '社区', '街道代码', '户数', '人口', '圈外户数', '圈外人口', '圈外比例（%）', '事件数', '每千人事件', '相对全市', '得分', '理由'],
    rows.map((r) => [
      r.rank,
      r.code,
      r.name,
      r.streetCode,
      r.households,
      r.population,
      round(r.uncoveredHouseholds),
      round(r.uncoveredPopulation),
      round(r.uncoveredShare * 100),
      r.incidents,
      round(r.incidentsPer1000),
      round(r.densityRatio),
      round(r.score),
      r.reason,
    ]),
  );
}
