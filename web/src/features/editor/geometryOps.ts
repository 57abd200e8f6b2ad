/**
 * Vertex edits on a grid's Polygon/MultiPolygon, as pure functions returning a new
 * geometry. Rings stay closed: the closing coordinate follows the first vertex.
 */
export type Position = [number, number];
export type PolygonalGeometry = GeoJSON.Polygon | GeoJSON.MultiPolygon;

/** A vertex: polygon part, ring (0 = outer) and index (never the closing duplicate). */
export interface VertexRef {
  polygon: number;
  ring: number;
  index: number;
}

/** 7 decimals ≈ 1 cm: as precise as the server stores, and keeps payloads small. */
export const round7 = (p: readonly number[]): Position => [Math.round((p[0] ?? 0) * 1e7) / 1e7, Math.round((p[1] ?? 0) * 1e7) / 1e7];

/** The geometry as a list of polygons (Polygon → one polygon). */
export function polygonsOf(geometry: PolygonalGeometry): Position[][][] {
  const polys = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polys.map((rings) => rings.map((ring) => ring.map((p) => [p[0] ?? 0, p[1] ?? 0] as Position)));
}

function withPolygons<G extends PolygonalGeometry>(geometry: G, polygons: Position[][][]): G {
  return (geometry.type === 'Polygon' ? { type: 'Polygon', coordinates: polygons[0] ?? [] } : { type: 'MultiPolygon', coordinates: polygons }) as unknown as G;
}

/** Ring without its closing duplicate. */
const openRing = (ring: Position[]): Position[] => (ring.length > 1 && samePosition(ring[0]!, ring[ring.length - 1]!) ? ring.slice(0, -1) : ring.slice());
const closeRing = (ring: Position[]): Position[] => (ring.length === 0 ? ring : [...ring, ring[0]!]);

export const samePosition = (a: readonly number[], b: readonly number[]) => a[0] === b[0] && a[1] === b[1];

export interface Vertex {
  ref: VertexRef;
  position: Position;
}

export function vertices(geometry: PolygonalGeometry): Vertex[] {
  const out: Vertex[] = [];
  polygonsOf(geometry).forEach((rings, polygon) => {
    rings.forEach((ring, r) => {
      openRing(ring).forEach((position, index) => {
        out.push({ ref: { polygon, ring: r, index }, position });
      });
    });
  });
  return out;
}

/** Midpoints of every edge; `ref` is the edge's first vertex (insert after it). */
export function midpoints(geometry: PolygonalGeometry): Vertex[] {
  const out: Vertex[] = [];
  polygonsOf(geometry).forEach((rings, polygon) => {
    rings.forEach((ring, r) => {
      const open = openRing(ring);
      open.forEach((a, index) => {
        const b = open[(index + 1) % open.length]!;
        out.push({ ref: { polygon, ring: r, index }, position: [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2] });
      });
    });
  });
  return out;
}

function editRing<G extends PolygonalGeometry>(geometry: G, ref: VertexRef, edit: (open: Position[]) => Position[] | null): G | null {
  const polygons = polygonsOf(geometry);
  const ring = polygons[ref.polygon]?.[ref.ring];
  if (!ring) return null;
  const open = openRing(ring);
  if (ref.index < 0 || ref.index >= open.length) return null;
  const edited = edit(open);
  if (!edited) return null;
  polygons[ref.polygon]![ref.ring] = closeRing(edited);
  return withPolygons(geometry, polygons);
}

export function moveVertex<G extends PolygonalGeometry>(geometry: G, ref: VertexRef, to: Position): G {
  return editRing(geometry, ref, (open) => open.map((p, i) => (i === ref.index ? round7(to) : p))) ?? geometry;
}

/** Inserts a vertex after `ref` (on the edge from ref to the next vertex). */
export function insertVertex<G extends PolygonalGeometry>(geometry: G, ref: VertexRef, at: Position): G {
  return editRing(geometry, ref, (open) => [...open.slice(0, ref.index + 1), round7(at), ...open.slice(ref.index + 1)]) ?? geometry;
}

/** A ring needs three vertices: deleting below that returns null (the caller says why). */
export function deleteVertex<G extends PolygonalGeometry>(geometry: G, ref: VertexRef): G | null {
  return editRing(geometry, ref, (open) => (open.length <= 3 ? null : open.filter((_, i) => i !== ref.index)));
}

export function positionOf(geometry: PolygonalGeometry, ref: VertexRef): Position | null {
  const ring = polygonsOf(geometry)[ref.polygon]?.[ref.ring];
  return ring && ref.index < openRing(ring).length ? ring[ref.index]! : null;
}

export function sameGeometry(a: PolygonalGeometry | null, b: PolygonalGeometry | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** All rings (closed) of polygonal geometries, as lines to snap to. */
export function ringsOf(geometries: readonly (GeoJSON.Geometry | null | undefined)[]): Position[][] {
  const out: Position[][] = [];
  for (const g of geometries) {
    if (!g) continue;
    if (g.type === 'Polygon' || g.type === 'MultiPolygon') for (const rings of polygonsOf(g)) out.push(...rings);
    else if (g.type === 'LineString') out.push(g.coordinates.map((p) => [p[0]!, p[1]!] as Position));
  }
  return out;
}

/** A clicked sketch as a closed polygon (≥ 3 distinct points), or null. */
export function sketchPolygon(points: readonly Position[]): GeoJSON.Polygon | null {
  const distinct = points.filter((p, i) => i === 0 || !samePosition(p, points[i - 1]!));
  if (distinct.length > 1 && samePosition(distinct[0]!, distinct[distinct.length - 1]!)) distinct.pop();
  if (distinct.length < 3) return null;
  return { type: 'Polygon', coordinates: [closeRing(distinct.map(round7))] };
}

/** A clicked sketch as a line (≥ 2 distinct points), or null. */
export function sketchLine(points: readonly Position[]): GeoJSON.LineString | null {
  const distinct = points.filter((p, i) => i === 0 || !samePosition(p, points[i - 1]!));
  return distinct.length < 2 ? null : { type: 'LineString', coordinates: distinct.map(round7) };
}
