/**
 * A jittered quadrilateral lattice. Every region of the sample (district, street,
 * community, grid) is a set of lattice cells, and its polygon is traced from the
 * cell edges. Neighbouring regions therefore share exactly the same vertices, so
 * they tile without gaps or overlaps by construction.
 */
import type { Random } from './random';

export type Position = [number, number];
/** Rings of one polygon: the exterior first, then holes. Closed (first = last). */
export type PolygonRings = Position[][];

export interface Lattice {
  /** Cells per row / column. */
  nx: number;
  ny: number;
  /** Node coordinates (lon, lat) of node (i, j) at index j * (nx + 1) + i. */
  nodeLon: Float64Array;
  nodeLat: Float64Array;
}

export interface LatticeSpec {
  west: number;
  south: number;
  /** Cell size in degrees. */
  dLon: number;
  dLat: number;
  nx: number;
  ny: number;
  /** Node displacement as a share of the cell size (keep below 0.3 so cells stay simple). */
  jitter: number;
}

/** Coordinates are rounded to 1e-7° (~1 cm) so that shared vertices compare exactly. */
const round7 = (v: number) => Math.round(v * 1e7) / 1e7;

export function createLattice(spec: LatticeSpec, random: Random): Lattice {
  const { nx, ny } = spec;
  const nodeLon = new Float64Array((nx + 1) * (ny + 1));
  const nodeLat = new Float64Array((nx + 1) * (ny + 1));
  for (let j = 0; j <= ny; j++) {
    for (let i = 0; i <= nx; i++) {
      const k = j * (nx + 1) + i;
      nodeLon[k] = round7(spec.west + (i + random.range(-spec.jitter, spec.jitter)) * spec.dLon);
      nodeLat[k] = round7(spec.south + (j + random.range(-spec.jitter, spec.jitter)) * spec.dLat);
    }
  }
  return { nx, ny, nodeLon, nodeLat };
}

export const cellIndex = (lattice: Lattice, i: number, j: number) => j * lattice.nx + i;

/** Centre of cell (i, j): mean of its four corners. */
export function cellCentre(lattice: Lattice, cell: number): Position {
  const i = cell % lattice.nx;
  const j = Math.floor(cell / lattice.nx);
  const w = lattice.nx + 1;
  const corners = [j * w + i, j * w + i + 1, (j + 1) * w + i + 1, (j + 1) * w + i];
  let lon = 0;
  let lat = 0;
  for (const k of corners) {
    lon += lattice.nodeLon[k] as number;
    lat += lattice.nodeLat[k] as number;
  }
  return [lon / 4, lat / 4];
}

/** A random point inside cell (bilinear mix of its corners, which stays inside a convex-ish quad). */
export function pointInCell(lattice: Lattice, cell: number, random: Random): Position {
  const i = cell % lattice.nx;
  const j = Math.floor(cell / lattice.nx);
  const w = lattice.nx + 1;
  const u = random.range(0.15, 0.85);
  const v = random.range(0.15, 0.85);
  const at = (k: number): Position => [lattice.nodeLon[k] as number, lattice.nodeLat[k] as number];
  const [a, b, c, d] = [at(j * w + i), at(j * w + i + 1), at((j + 1) * w + i + 1), at((j + 1) * w + i)];
  const lon = (1 - u) * (1 - v) * a[0] + u * (1 - v) * b[0] + u * v * c[0] + (1 - u) * v * d[0];
  const lat = (1 - u) * (1 - v) * a[1] + u * (1 - v) * b[1] + u * v * c[1] + (1 - u) * v * d[1];
  return [round7(lon), round7(lat)];
}

/**
 * Traces the outline of a set of cells into polygons (exteriors counter-clockwise,
 * holes clockwise, as in GeoJSON). Edges are walked with the interior on the left.
 * Where two cells of the set touch only at a corner, the walk turns so that no ring
 * passes through that corner twice (OGC validity): if the two cells are connected
 * elsewhere it turns right (the enclosed hole touches the exterior at the corner),
 * otherwise left (two polygons touch at the corner).
 */
export function traceCells(lattice: Lattice, cells: Iterable<number>): PolygonRings[] {
  const { nx, ny } = lattice;
  const w = nx + 1;
  const inSet = new Set<number>(cells);
  const has = (i: number, j: number) => i >= 0 && j >= 0 && i < nx && j < ny && inSet.has(j * nx + i);
  const component = connectedComponents(inSet, nx, ny);

  // Directed boundary edges keyed by start node; direction 0=E 1=N 2=W 3=S.
  const outgoing = new Map<number, { to: number; dir: number }[]>();
  const addEdge = (from: number, to: number, dir: number) => {
    const list = outgoing.get(from);
    if (list) list.push({ to, dir });
    else outgoing.set(from, [{ to, dir }]);
  };
  for (const cell of inSet) {
    const i = cell % nx;
    const j = Math.floor(cell / nx);
    const sw = j * w + i;
    const se = sw + 1;
    const ne = se + w;
    const nw = sw + w;
    if (!has(i, j - 1)) addEdge(sw, se, 0);
    if (!has(i + 1, j)) addEdge(se, ne, 1);
    if (!has(i, j + 1)) addEdge(ne, nw, 2);
    if (!has(i - 1, j)) addEdge(nw, sw, 3);
  }

  const ringsByIndex: number[][] = [];
  for (const [start, list] of outgoing) {
    while (list.length > 0) {
      const ring: number[] = [start];
      let edge = list.pop() as { to: number; dir: number };
      let node = edge.to;
      while (node !== start) {
        ring.push(node);
        const options = outgoing.get(node);
        if (!options || options.length === 0) throw new Error('open boundary while tracing cells');
        let chosen = 0;
        if (options.length > 1) {
          // A corner shared by two diagonal cells: cells SW and NE of node, or SE and NW.
          const i = node % w;
          const j = Math.floor(node / w);
          const pair = has(i - 1, j - 1) ? [(j - 1) * nx + i - 1, j * nx + i] : [(j - 1) * nx + i, j * nx + i - 1];
          const joined = component.get(pair[0] as number) === component.get(pair[1] as number);
          // Turn relative to the incoming direction: 1 = left, 0 = straight, 3 = right.
          const preference = joined ? [3, 0, 1, 2] : [1, 0, 3, 2];
          const rank = (d: number) => preference.indexOf((d - edge.dir + 4) % 4);
          chosen = options.reduce((best, o, idx) => (rank(o.dir) < rank((options[best] as { dir: number }).dir) ? idx : best), 0);
        }
        edge = options.splice(chosen, 1)[0] as { to: number; dir: number };
        node = edge.to;
      }
      ring.push(start);
      ringsByIndex.push(ring);
    }
  }

  // Exterior rings run counter-clockwise (positive area in lattice index space).
  const indexArea = (ring: number[]) => {
    let a = 0;
    for (let k = 0; k < ring.length - 1; k++) {
      const p = ring[k] as number;
      const q = ring[k + 1] as number;
      a += (p % w) * Math.floor(q / w) - (q % w) * Math.floor(p / w);
    }
    return a / 2;
  };
  const toPositions = (ring: number[]): Position[] => ring.map((k) => [lattice.nodeLon[k] as number, lattice.nodeLat[k] as number]);
  const exteriors = ringsByIndex.filter((r) => indexArea(r) > 0);
  const holes = ringsByIndex.filter((r) => indexArea(r) < 0);
  const polygons: { exterior: number[]; rings: Position[][] }[] = exteriors.map((r) => ({ exterior: r, rings: [toPositions(r)] }));
  for (const hole of holes) {
    // The midpoint of a hole edge lies strictly inside its exterior (index space avoids degeneracy).
    const a = hole[0] as number;
    const b = hole[1] as number;
    const px = ((a % w) + (b % w)) / 2;
    const py = (Math.floor(a / w) + Math.floor(b / w)) / 2;
    const owner = polygons.find((p) => containsIndexPoint(p.exterior, w, px, py));
    if (!owner) throw new Error('hole without exterior while tracing cells');
    owner.rings.push(toPositions(hole));
  }
  return polygons.map((p) => p.rings);
}

/** 4-connected components of a cell set (union-find), keyed by cell. */
function connectedComponents(cells: Set<number>, nx: number, ny: number): Map<number, number> {
  const parent = new Map<number, number>();
  const find = (c: number): number => {
    let root = c;
    while (parent.get(root) !== root) root = parent.get(root) as number;
    let k = c;
    while (k !== root) {
      const next = parent.get(k) as number;
      parent.set(k, root);
      k = next;
    }
    return root;
  };
  for (const c of cells) parent.set(c, c);
  for (const c of cells) {
    const i = c % nx;
    const j = Math.floor(c / nx);
    if (i + 1 < nx && cells.has(c + 1)) parent.set(find(c + 1), find(c));
    if (j + 1 < ny && cells.has(c + nx)) parent.set(find(c + nx), find(c));
  }
  const out = new Map<number, number>();
  for (const c of cells) out.set(c, find(c));
  return out;
}

function containsIndexPoint(ring: number[], w: number, px: number, py: number): boolean {
  let inside = false;
  for (let k = 0, l = ring.length - 1; k < ring.length; l = k++) {
    const xi = (ring[k] as number) % w;
    const yi = Math.floor((ring[k] as number) / w);
    const xj = (ring[l] as number) % w;
    const yj = Math.floor((ring[l] as number) / w);
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function multiPolygonWkt(polygons: PolygonRings[]): string {
  const ring = (r: Position[]) => `(${r.map(([x, y]) => `${x} ${y}`).join(',')})`;
  return `MULTIPOLYGON(${polygons.map((p) => `(${p.map(ring).join(',')})`).join(',')})`;
}
