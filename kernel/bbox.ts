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

/** [west, south, east, north] of any geometries, or null when there are no coordinates. */
export function boundsOf(geometries: readonly (GeoJSON.Geometry | null | undefined)[]): Bbox | null {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      w = Math.min(w, c[0]);
      e = Math.max(e, c[0]);
      s = Math.min(s, c[1] as number);
      n = Math.max(n, c[1] as number);
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  for (const g of geometries) {
    if (!g) continue;
    if (g.type === 'GeometryCollection') {
      const inner = boundsOf(g.geometries);
      if (inner)
        visit([
          [inner[0], inner[1]],
          [inner[2], inner[3]],
        ]);
    } else visit(g.coordinates);
  }
  return Number.isFinite(w) ? [w, s, e, n] : null;
}
