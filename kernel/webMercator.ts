/**
 * Web Mercator (EPSG:3857) maths, the one copy for server, web, data and bench:
 * lon/lat ↔ metres, XYZ tile addressing (same bounds as PostGIS ST_TileEnvelope),
 * zoom → cell size, and the flat-topped hexagon layout PostGIS uses in
 * ST_HexagonGrid/ST_Hexagon (column i at x = 1.5·s·i, row j at y = √3·s·j, odd
 * columns shifted up by √3·s/2).
 */
export const EARTH_RADIUS_M = 6378137;
export const HALF_WORLD_M = Math.PI * EARTH_RADIUS_M; // 20037508.342789244

// ---- XYZ tile addressing

export const MAX_TILE_ZOOM = 22;
export const TILE_EXTENT = 4096;
/** Pixels of geometry kept beyond the tile edge so that strokes join across tiles. */
export const TILE_BUFFER = 64;

export interface TileBounds {
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
}

/** Bounds of tile z/x/y in EPSG:3857 metres (the same as PostGIS ST_TileEnvelope). */
export function tileBounds(z: number, x: number, y: number): TileBounds {
  const size = (2 * HALF_WORLD_M) / 2 ** z;
  return {
    xmin: -HALF_WORLD_M + x * size,
    xmax: -HALF_WORLD_M + (x + 1) * size,
    ymax: HALF_WORLD_M - y * size,
    ymin: HALF_WORLD_M - (y + 1) * size,
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

/** Mercator metres per screen pixel at `zoom` (256-px tiles). */
export function metresPerPixel(zoom: number): number {
  return (2 * HALF_WORLD_M) / (256 * 2 ** zoom);
}

/** Hexagon circumradius (= edge length) for a zoom: about 18 px on screen. */
export const HEX_RADIUS_PX = 18;
export function hexSizeForZoom(zoom: number): number {
  return Math.round(HEX_RADIUS_PX * metresPerPixel(zoom) * 100) / 100;
}

/**
 * Zooms whose hexagon cells are stored on each incident (hex_z{zoom}_i/_j, filled
 * by the incidents_hex_cells trigger of migration 0005 with these sizes): the
 * city and district views, where a request groups the whole year's incidents.
 */
export const STORED_HEX_ZOOMS = [9, 10, 11, 12] as const;

/** The zoom whose stored cells have this size, if any. */
export function storedHexZoom(sizeM: number): (typeof STORED_HEX_ZOOMS)[number] | null {
  return STORED_HEX_ZOOMS.find((z) => hexSizeForZoom(z) === sizeM) ?? null;
}

/** Heatmap points are aggregated to square cells of about 6 px. */
export const HEAT_CELL_PX = 6;
export function heatCellForZoom(zoom: number): number {
  return Math.round(HEAT_CELL_PX * metresPerPixel(zoom) * 100) / 100;
}

/**
 * Where the heatmap can use stored cells: the hexagons of zoom + 2 (4.5 px
 * circumradius, about the area of the 6 px square) when that zoom's cells are
 * stored; null means square cells computed per row.
 */
export function storedHeatZoom(cellM: number): (typeof STORED_HEX_ZOOMS)[number] | null {
  const zoom = STORED_HEX_ZOOMS.find((z) => z >= 2 && heatCellForZoom(z - 2) === cellM);
  return zoom ?? null;
}

export function toLonLat(x: number, y: number): [number, number] {
  const lon = (x / HALF_WORLD_M) * 180;
  const lat = ((2 * Math.atan(Math.exp(y / EARTH_RADIUS_M)) - Math.PI / 2) * 180) / Math.PI;
  return [lon, lat];
}

export function toMercator(lon: number, lat: number): [number, number] {
  return [(lon * HALF_WORLD_M) / 180, Math.log(Math.tan(((90 + lat) * Math.PI) / 360)) * EARTH_RADIUS_M];
}

export function hexCentre(size: number, i: number, j: number): [number, number] {
  const h = Math.sqrt(3) * size;
  return [1.5 * size * i, h * j + (Math.abs(i) % 2 === 1 ? h / 2 : 0)];
}

/** The hexagon's ring in lon/lat (closed, 7 positions), same vertices as ST_Hexagon(size, i, j). */
export function hexRing(size: number, i: number, j: number): [number, number][] {
  const [cx, cy] = hexCentre(size, i, j);
  const ring: [number, number][] = [];
  for (let k = 0; k <= 6; k++) {
    const angle = (Math.PI / 3) * (k % 6) + Math.PI; // start at the west vertex like PostGIS
    const [lon, lat] = toLonLat(cx + size * Math.cos(angle), cy + size * Math.sin(angle));
    ring.push([round7(lon), round7(lat)]);
  }
  return ring;
}

/** lon/lat bounding box of a hexagon, for an index-assisted prefilter. */
export function hexBbox(size: number, i: number, j: number): [number, number, number, number] {
  const [cx, cy] = hexCentre(size, i, j);
  const [w, s] = toLonLat(cx - size, cy - size);
  const [e, n] = toLonLat(cx + size, cy + size);
  return [w, s, e, n];
}

const round7 = (v: number) => Math.round(v * 1e7) / 1e7;
