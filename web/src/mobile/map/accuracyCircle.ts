/**
 * The GPS accuracy as a ring on the map: a polygon of `radiusM` around the point (an
 * equirectangular approximation, exact to well under a metre at a few hundred metres)
 * (the bounds of my grids come from kernel/bbox.ts). Pure, unit-tested.
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
