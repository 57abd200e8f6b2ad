/**
 * A rejected save's violations as map features (drawn in red) and label points for
 * their Chinese messages. GeometryCollections are flattened: MapLibre layers filter by type.
 */
import type { Violation, ViolationRule } from '../../../../server/grids/rules';
import { boundsOf } from '../../../../kernel/bbox';
import { polygonsOf, type Position } from './geometryOps';

/** The server's own type: the `violations` member of a 422 problem. */
export type { Violation, ViolationRule };

export const RULE_NAMES: Record<ViolationRule, string> = {
  invalid: '几何无效',
  sliver: '细碎多边形',
  outside_community: '超出社区边界',
  overlap: '网格重叠',
  gap: '社区留白',
  area: '面积超限',
  not_adjacent: '网格不相邻',
  split: '分割无效',
};

export const ruleName = (rule: string) => RULE_NAMES[rule as ViolationRule] ?? rule;

export interface ViolationProperties {
  index: number;
  rule: string;
  message: string;
}

function flatten(g: GeoJSON.Geometry): GeoJSON.Geometry[] {
  return g.type === 'GeometryCollection' ? g.geometries.flatMap(flatten) : [g];
}

export function violationFeatures(violations: readonly Violation[]): GeoJSON.FeatureCollection<GeoJSON.Geometry, ViolationProperties> {
  return {
    type: 'FeatureCollection',
    features: violations.flatMap((v, index) => (v.geometry ? flatten(v.geometry).map((geometry) => ({ type: 'Feature' as const, geometry, properties: { index, rule: v.rule, message: v.message } })) : [])),
  };
}

/** Where to put a violation's message: a point's own position, else the centre of its largest part's bounds. */
export function labelPosition(geometry: GeoJSON.Geometry | undefined): Position | null {
  if (!geometry) return null;
  if (geometry.type === 'Point') return [geometry.coordinates[0]!, geometry.coordinates[1]!];
  const parts = flatten(geometry);
  let best: { area: number; bounds: [number, number, number, number] } | null = null;
  for (const part of parts) {
    const bounds = boundsOf([part]);
    if (!bounds) continue;
    if (part.type === 'Point') return [part.coordinates[0]!, part.coordinates[1]!];
    const pieces = part.type === 'Polygon' || part.type === 'MultiPolygon' ? polygonsOf(part).map((rings) => boundsOf([{ type: 'Polygon', coordinates: rings }])!) : [bounds];
    for (const b of pieces) {
      const area = (b[2] - b[0]) * (b[3] - b[1]);
      if (!best || area > best.area) best = { area, bounds: b };
    }
  }
  return best ? [(best.bounds[0] + best.bounds[2]) / 2, (best.bounds[1] + best.bounds[3]) / 2] : null;
}

/** ① ② … so the map labels and the panel's list refer to each other. */
export const violationNumber = (i: number) => (i < 20 ? String.fromCharCode(0x2460 + i) : `(${i + 1})`);

/** The message shortened for the map (the grid being edited is implied there); the panel shows it in full. */
export function mapLabelText(v: Violation, i: number): string {
  const area = v.areaM2 != null ? ` ${v.areaM2} 平方米` : '';
  const text =
    v.rule === 'outside_community'
      ? `超出社区边界${area}`
      : v.rule === 'overlap' && v.otherGridCode
        ? `与网格 ${v.otherGridCode} 重叠${area}`
        : v.rule === 'sliver'
          ? `细碎多边形${area}`
          : v.rule === 'gap'
            ? `社区内未覆盖空白${area}`
            : v.message.replace(/（[^）]*）$/, '');
  return `${violationNumber(i)} ${text}`;
}

/** About 30 m: labels closer than that would be drawn over each other. */
const SAME_PLACE_DEG = 0.0003;

/** One label per place: violations at about the same spot share it, a line each. */
export function violationLabels(violations: readonly Violation[]): { position: Position; text: string }[] {
  const labels: { position: Position; text: string }[] = [];
  violations.forEach((v, i) => {
    const position = labelPosition(v.geometry);
    if (!position) return;
    const text = mapLabelText(v, i);
    const near = labels.find((l) => Math.abs(l.position[0] - position[0]) < SAME_PLACE_DEG && Math.abs(l.position[1] - position[1]) < SAME_PLACE_DEG);
    if (near) near.text += `\n${text}`;
    else labels.push({ position, text });
  });
  return labels;
}
