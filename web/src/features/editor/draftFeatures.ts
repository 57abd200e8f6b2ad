/** GeoJSON for the draft: shape, vertex handles (with refs), midpoint handles, and the sketch being clicked. */
import { midpoints, vertices, type PolygonalGeometry, type Position, type VertexRef } from './geometryOps';

type FC = GeoJSON.FeatureCollection;
const point = (position: Position, properties: Record<string, unknown> = {}): GeoJSON.Feature => ({ type: 'Feature', geometry: { type: 'Point', coordinates: position }, properties });

export const sameRef = (a: VertexRef | null, b: VertexRef | null) => !!a && !!b && a.polygon === b.polygon && a.ring === b.ring && a.index === b.index;

export function shapeFeatures(geometry: PolygonalGeometry | null): FC {
  return { type: 'FeatureCollection', features: geometry ? [{ type: 'Feature', geometry, properties: {} }] : [] };
}

export function vertexFeatures(geometry: PolygonalGeometry | null, selected: VertexRef | null): FC {
  if (!geometry) return { type: 'FeatureCollection', features: [] };
  return { type: 'FeatureCollection', features: vertices(geometry).map((v) => point(v.position, { ...v.ref, selected: sameRef(v.ref, selected) })) };
}

export function midpointFeatures(geometry: PolygonalGeometry | null): FC {
  if (!geometry) return { type: 'FeatureCollection', features: [] };
  return { type: 'FeatureCollection', features: midpoints(geometry).map((m) => point(m.position, { ...m.ref })) };
}

/** A vertex ref back from a rendered feature's properties. */
export function refFromProperties(p: Record<string, unknown> | null | undefined): VertexRef | null {
  if (!p) return null;
  const polygon = Number(p.polygon);
  const ring = Number(p.ring);
  const index = Number(p.index);
  return [polygon, ring, index].every(Number.isInteger) ? { polygon, ring, index } : null;
}

/** Clicked points, the line through them to the cursor, and for a polygon the closed preview. */
export function sketchFeatures(points: readonly Position[], cursor: Position | null, closed: boolean): FC {
  const path = cursor ? [...points, cursor] : [...points];
  const features: GeoJSON.Feature[] = points.map((p, i) => point(p, { index: i }));
  if (closed && path.length >= 3) features.push({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[...path, path[0]!]] }, properties: {} });
  else if (path.length >= 2) features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: path }, properties: {} });
  return { type: 'FeatureCollection', features };
}
