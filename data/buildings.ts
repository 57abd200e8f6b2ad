/**
 * Why: the issue's editor impact and 均衡 need buildings (楼栋) under every sample grid. Each
 * grid gets a handful of buildings at random points of its own lattice cells (so every point
 * lies inside its grid), with households that add up to roughly the grid's figure (a few per
 * cent off, as registers never match exactly); every fourth has a small footprint. A separate
 * random stream keeps the rest of the sample unchanged.
 */
import { pointInCell, type Lattice, type Position } from './lattice';
import { createRandom } from './random';

export interface SampleBuilding {
  code: string;
  name: string;
  address: string;
  floors: number;
  households: number;
  population: number;
  communityCode: string;
  position: Position;
  /** WKT MULTIPOLYGON of the footprint, or null. */
  footprintWkt: string | null;
}

const M_PER_DEG_LAT = 110_800;

/** A rectangle of w × h metres centred on `p`, as WKT. */
function footprint(p: Position, w: number, h: number): string {
  const dLon = w / 2 / (111_320 * Math.cos((p[1] * Math.PI) / 180));
  const dLat = h / 2 / M_PER_DEG_LAT;
  const r = (x: number) => Math.round(x * 1e7) / 1e7;
  const ring = [
    [p[0] - dLon, p[1] - dLat],
    [p[0] + dLon, p[1] - dLat],
    [p[0] + dLon, p[1] + dLat],
    [p[0] - dLon, p[1] + dLat],
    [p[0] - dLon, p[1] - dLat],
  ];
  return `MULTIPOLYGON(((${ring.map(([x, y]) => `${r(x as number)} ${r(y as number)}`).join(',')})))`;
}

export function generateBuildings(seed: number, lattice: Lattice, grids: { code: string; name: string; communityCode: string; households: number; population: number }[], gridCells: number[][]): SampleBuilding[] {
  const random = createRandom(seed ^ 0x1b1d);
  const out: SampleBuilding[] = [];
  grids.forEach((g, gi) => {
    const cells = gridCells[gi] as number[];
    const count = Math.max(2, Math.min(18, Math.round(g.households / 45)));
    const weights = Array.from({ length: count }, () => random.range(0.5, 1.5));
    const total = weights.reduce((s, w) => s + w, 0);
    const ratio = g.households > 0 ? g.population / g.households : 2.9;
    for (let k = 0; k < count; k++) {
      const households = Math.max(1, Math.round(((g.households * (weights[k] as number)) / total) * random.range(0.94, 1.04)));
      const position = pointInCell(lattice, random.pick(cells), random);
      const floors = households > 60 ? random.int(7, 18) : random.int(2, 6);
      out.push({
        code: `${g.code}${String(k + 1).padStart(3, '0')}`,
        name: `${g.name}${k + 1}栋`,
        address: `${g.name}${k + 1}号楼`,
        floors,
        households,
        population: Math.round(households * ratio),
        communityCode: g.communityCode,
        position,
        footprintWkt: k % 4 === 0 ? footprint(position, random.range(14, 30), random.range(10, 16)) : null,
      });
    }
  });
  return out;
}
