/**
 * Why: the 多网融合 question is how another department's grids sit on ours. For one foreign
 * network this reports every overlapping pair (foreign grid × base grid) with the shared area
 * as a share of each; per foreign grid, how many of our base grids it spans; per base grid, how
 * many foreign grids split it. A pair counts when the shared part is at least `minShare` of
 * either grid (default 1 %) and above 10 m², so digitising slivers along a common boundary are
 * not reported as overlaps. Areas are geodesic (m²). Also the foreign grids as GeoJSON for the
 * fusion map, each with its span, and the report as CSV.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { NotFoundError } from '../http/domainError';

export interface OverlapPair {
  foreignCode: string;
  foreignName: string;
  gridCode: string;
  gridName: string;
  areaM2: number;
  /** Shared area as a share of the foreign grid / of our grid, percent (1 decimal). */
  ofForeignPct: number;
  ofGridPct: number;
}

const pct = (part: number, whole: number) => (whole > 0 ? Math.round((1000 * part) / whole) / 10 : 0);
const MIN_OVERLAP_M2 = 10;

export async function overlapReport(handle: DbHandle, networkId: number, options: { minShare?: number; region?: string } = {}) {
  const minShare = options.minShare ?? 0.01;
  const [network] = await handle.rows<{ id: number; name: string; department: string }>(sql`SELECT id, name, department FROM foreign_networks WHERE id = ${networkId}`);
  if (!network) throw new NotFoundError(`网格体系 ${networkId} 不存在`);
  const region = options.region ? sql`AND g.code LIKE ${`${options.region}%`}` : sql``;
  // Interior overlap first (ST_Relate): the intersection is then never empty (see topology.ts on the WASM engine).
  const rows = await handle.rows<{ fcode: string; fname: string; farea: number; gcode: string; gname: string; garea: number; inter: number }>(sql`
    SELECT f.code AS fcode, f.name AS fname, f.area_m2 AS farea, g.code AS gcode, g.name AS gname, g.area_m2 AS garea,
           ST_Area(ST_Intersection(f.geom, g.geom)::geography) AS inter
    FROM foreign_grids f JOIN grids g ON g.geom && f.geom
    WHERE f.network_id = ${networkId} ${region} AND ST_Relate(f.geom, g.geom, '2********')`);
  const pairs: OverlapPair[] = rows
    .map((r) => ({ r, inter: Number(r.inter) }))
    .filter(({ r, inter }) => inter > MIN_OVERLAP_M2 && (inter >= minShare * Number(r.farea) || inter >= minShare * Number(r.garea)))
    .map(({ r, inter }) => ({
      foreignCode: r.fcode,
      foreignName: r.fname,
      gridCode: r.gcode,
      gridName: r.gname,
      areaM2: Math.round(inter * 10) / 10,
      ofForeignPct: pct(inter, Number(r.farea)),
      ofGridPct: pct(inter, Number(r.garea)),
    }))
    .sort((a, b) => a.foreignCode.localeCompare(b.foreignCode) || b.areaM2 - a.areaM2);

  const group = <K extends 'foreignCode' | 'gridCode'>(key: K) => {
    const map = new Map<string, OverlapPair[]>();
    for (const p of pairs) map.set(p[key], [...(map.get(p[key]) ?? []), p]);
    return map;
  };
  const foreign = [...group('foreignCode').entries()]
    .map(([code, ps]) => ({
      code,
      name: ps[0]!.foreignName,
      spans: ps.length,
      /** Our grids it covers, largest share first: code and the share of the foreign grid in it. */
      grids: ps.map((p) => ({ code: p.gridCode, name: p.gridName, ofForeignPct: p.ofForeignPct, ofGridPct: p.ofGridPct })),
      largestPct: Math.max(...ps.map((p) => p.ofForeignPct)),
    }))
    .sort((a, b) => b.spans - a.spans || a.code.localeCompare(b.code));
  const ours = [...group('gridCode').entries()]
    .map(([code, ps]) => ({
      code,
      name: ps[0]!.gridName,
      splitInto: ps.length,
      foreign: ps.map((p) => ({ code: p.foreignCode, name: p.foreignName, ofGridPct: p.ofGridPct })).sort((a, b) => b.ofGridPct - a.ofGridPct),
    }))
    .sort((a, b) => b.splitInto - a.splitInto || a.code.localeCompare(b.code));
  return {
    network,
    minSharePct: minShare * 100,
    pairs,
    foreign,
    ours,
    summary: {
      foreignGrids: foreign.length,
      /** Foreign grids spanning more than one of ours. */
      spanningSeveral: foreign.filter((f) => f.spans > 1).length,
      /** Our grids split among more than one foreign grid. */
      oursSplit: ours.filter((o) => o.splitInto > 1).length,
      /** Pairs that agree: each covers ≥ 95 % of the other. */
      aligned: pairs.filter((p) => p.ofForeignPct >= 95 && p.ofGridPct >= 95).length,
    },
  };
}

export type OverlapReport = Awaited<ReturnType<typeof overlapReport>>;

/** The pairs as CSV (UTF-8 with BOM for Excel); texts quoted, formula-leading characters neutralised. */
export function overlapCsv(report: OverlapReport): string {
  const cell = (v: string | number) => {
    const s = String(v);
    const safe = /^[=+\-@\t\r]/.test(s) && typeof v === 'string' ? `'${s}` : s;
    return `"${safe.replaceAll('"', '""')}"`;
  };
  const head = ['外部网格编码', '外部网格名称', '基础网格编码', '基础网格名称', '重叠面积(平方米)', '占外部网格(%)', '占基础网格(%)'];
  const lines = report.pairs.map((p) => [p.foreignCode, p.foreignName, p.gridCode, p.gridName, p.areaM2, p.ofForeignPct, p.ofGridPct].map(cell).join(','));
  return `\uFEFF${[head.map(cell).join(','), ...lines].join('\r\n')}\r\n`;
}

/** The network's grids for the fusion map, each with how many of our base grids it spans. */
export async function foreignGridFeatures(handle: DbHandle, networkId: number) {
  const report = await overlapReport(handle, networkId);
  const spans = new Map(report.foreign.map((f) => [f.code, f]));
  const rows = await handle.rows<{ id: number; code: string; name: string; area_m2: number; geometry: string }>(sql`
    SELECT id, code, name, area_m2, ST_AsGeoJSON(geom, 7) AS geometry FROM foreign_grids WHERE network_id = ${networkId} ORDER BY id`);
  return {
    type: 'FeatureCollection' as const,
    features: rows.map((r) => ({
      type: 'Feature' as const,
      id: r.id,
      geometry: JSON.parse(r.geometry) as GeoJSON.MultiPolygon,
      properties: { id: r.id, code: r.code, name: r.name, areaM2: Math.round(Number(r.area_m2)), spans: spans.get(r.code)?.spans ?? 0, largestPct: spans.get(r.code)?.largestPct ?? 0 },
    })),
  };
}
