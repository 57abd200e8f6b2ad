/** Bounding boxes [west, south, east, north] in WGS84 degrees. */
export type Bbox = [number, number, number, number];

/**
 * Snaps a viewport bbox outwards to a `step`-degree lattice, so small pans give
 * the same bbox (and the same react-query key) and the result still covers the view.
 */
export function snapBbox([w, s, e, n]: Bbox, step = 0.005): Bbox {
  const down = (v: number) => Number((Math.floor(v / step) * step).toFixed(6));
  const up = (v: number) => Number((Math.ceil(v / step) * step).toFixed(6));
  return [Math.max(-180, down(w)), Math.max(-90, down(s)), Math.min(180, up(e)), Math.min(90, up(n))];
}

/** The `bbox` query parameter: "w,s,e,n". */
export const bboxParam = (b: Bbox) => b.join(',');

export function bboxContains([w, s, e, n]: Bbox, [lon, lat]: readonly [number, number]): boolean {
  return lon >= w && lon <= e && lat >= s && lat <= n;
}

/** The bounds of a (multi)polygon's coordinates. */
export function geometryBbox(geometry: { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] }): Bbox {
  const rings = geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
  const b: Bbox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const ring of rings)
    for (const [x, y] of ring) {
      b[0] = Math.min(b[0], x!);
      b[1] = Math.min(b[1], y!);
      b[2] = Math.max(b[2], x!);
      b[3] = Math.max(b[3], y!);
    }
  return b;
}
