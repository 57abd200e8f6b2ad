/** Web-mercator tile addressing (EPSG:3857, XYZ scheme). */
export const MAX_TILE_ZOOM = 22;
export const TILE_EXTENT = 4096;
/** Pixels of geometry kept beyond the tile edge so that strokes join across tiles. */
export const TILE_BUFFER = 64;

const HALF_WORLD = 20037508.342789244;

export interface TileBounds {
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
}

/** Bounds of tile z/x/y in EPSG:3857 metres (the same as PostGIS ST_TileEnvelope). */
export function tileBounds(z: number, x: number, y: number): TileBounds {
  const size = (2 * HALF_WORLD) / 2 ** z;
  return {
    xmin: -HALF_WORLD + x * size,
    xmax: -HALF_WORLD + (x + 1) * size,
    ymax: HALF_WORLD - y * size,
    ymin: HALF_WORLD - (y + 1) * size,
  };
}

/** The tile at zoom z that contains lon/lat. */
export function tileForLonLat(z: number, lon: number, lat: number): { x: number; y: number } {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const rad = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
  return { x: Math.min(n - 1, Math.max(0, x)), y: Math.min(n - 1, Math.max(0, y)) };
}
