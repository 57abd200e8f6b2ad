/**
 * The GPS accuracy as a ring on the map: a polygon of `radiusM` around the point (an
 * equirectangular approximation, exact to well under a metre at a few hundred metres),
 * and the bounds of my grids to open the map on. Pure, unit-tested.
 */
const M_PER_DEG_LAT = 111_320;

export function circlePolygon([lon, lat]: [number, number], radiusM: number, steps = 48): GeoJSON.Polygon {
  const dLat = radiusM / M_PER_DEG_LAT;
  const dLon = radiusM / (M_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180));
  const ring: [number, number][] = [];
  for (let i = 0; i <= steps; i++) {
    const a = (2 * Math.PI * (i % steps)) / steps;
    ring.push([lon + dLon * Math.cos(a), lat + dLat * Math.sin(a)]);
  }
  return { type: 'Polygon', coordinates: [ring] };
}

/** [west, south, east, north] of every coordinate of the geometries, or null when there are none. */
export function boundsOf(geometries: readonly GeoJSON.Geometry[]): [number, number, number, number] | null {
  let b: [number, number, number, number] | null = null;
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [x, y] = c as [number, number];
      b = b ? [Math.min(b[0], x), Math.min(b[1], y), Math.max(b[2], x), Math.max(b[3], y)] : [x, y, x, y];
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  for (const g of geometries) if ('coordinates' in g) visit(g.coordinates);
  return b;
}
