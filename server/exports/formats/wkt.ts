/** GeoJSON geometry → WKT (for CSV). */
const pt = (p: GeoJSON.Position) => `${p[0]} ${p[1]}`;
const ring = (r: GeoJSON.Position[]) => `(${r.map(pt).join(', ')})`;
const poly = (p: GeoJSON.Position[][]) => `(${p.map(ring).join(', ')})`;

export function toWkt(g: GeoJSON.Geometry | null): string {
  if (!g) return '';
  switch (g.type) {
    case 'Point':
      return `POINT (${pt(g.coordinates)})`;
    case 'MultiPoint':
      return `MULTIPOINT (${g.coordinates.map((p) => `(${pt(p)})`).join(', ')})`;
    case 'LineString':
      return `LINESTRING ${ring(g.coordinates)}`;
    case 'MultiLineString':
      return `MULTILINESTRING (${g.coordinates.map(ring).join(', ')})`;
    case 'Polygon':
      return `POLYGON ${poly(g.coordinates)}`;
    case 'MultiPolygon':
      return `MULTIPOLYGON (${g.coordinates.map(poly).join(', ')})`;
    case 'GeometryCollection':
      return `GEOMETRYCOLLECTION (${g.geometries.map(toWkt).join(', ')})`;
  }
}
