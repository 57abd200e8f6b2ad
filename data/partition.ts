/**
 * Splitting sets of lattice cells into child regions: seeded (noisy Voronoi) for
 * administrative areas, recursive coordinate bisection for grids (compact blocks
 * that read well when numbered west→east, north→south).
 */
import type { Random } from './random';

/** Cell centres in local metres, indexed by cell id. */
export interface CellFrame {
  x: Float64Array;
  y: Float64Array;
}

export interface SeedSpec {
  /** Urban children (街道, 社区) are seeded near the anchor, rural ones (镇, 村) beyond it. */
  urban: boolean;
}

/** A wavy offset field so that boundaries between areas look drawn, not computed. */
export function noiseField(random: Random, amplitude: number, wavelength: number) {
  const phases = Array.from({ length: 6 }, () => random.range(0, Math.PI * 2));
  const k = (Math.PI * 2) / wavelength;
  const [a, b, c, d, e, f] = phases as [number, number, number, number, number, number];
  return (x: number, y: number) =>
    (amplitude * (Math.sin(x * k + a) + Math.sin(y * k * 1.3 + b) + Math.sin((x + y) * k * 0.7 + c) + 0.5 * Math.sin(x * k * 2.1 + d) * Math.sin(y * k * 1.7 + e) + 0.3 * Math.sin((x - y) * k * 2.9 + f))) / 3;
}

/**
 * Chooses one seed cell per child: urban children among cells within `urbanRadius`
 * of the anchor, rural ones outside it, spread out by farthest-point sampling.
 */
export function chooseSeeds(frame: CellFrame, cells: number[], children: SeedSpec[], anchor: { x: number; y: number }, urbanRadius: number): number[] {
  const stride = Math.max(1, Math.floor(cells.length / 4000));
  const candidates = cells.filter((_, i) => i % stride === 0);
  const dAnchor = (c: number) => Math.hypot((frame.x[c] as number) - anchor.x, (frame.y[c] as number) - anchor.y);
  const urbanPool = candidates.filter((c) => dAnchor(c) <= urbanRadius);
  const ruralPool = candidates.filter((c) => dAnchor(c) > urbanRadius);
  const chosen: number[] = [];
  const minDist = new Map<number, number>();
  const distTo = (c: number) => minDist.get(c) ?? Infinity;
  const choose = (c: number) => {
    chosen.push(c);
    for (const o of candidates) {
      const d = Math.hypot((frame.x[o] as number) - (frame.x[c] as number), (frame.y[o] as number) - (frame.y[c] as number));
      if (d < distTo(o)) minDist.set(o, d);
    }
  };
  for (const child of children) {
    let pool = child.urban ? urbanPool : ruralPool;
    if (pool.length <= chosen.length) pool = candidates;
    let best = -1;
    let bestScore = -Infinity;
    for (const c of pool) {
      if (chosen.includes(c)) continue;
      // The first urban seed sits at the anchor; later ones keep their distance from all seeds.
      const score = chosen.length === 0 ? -dAnchor(c) : distTo(c) - (child.urban ? 0.15 * dAnchor(c) : 0);
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    if (best < 0) best = candidates.find((c) => !chosen.includes(c)) ?? (cells[0] as number);
    choose(best);
  }
  return chosen;
}

/** Assigns every cell to its nearest seed, with weights (larger = larger area) and boundary noise. */
export function assignToSeeds(frame: CellFrame, cells: number[], seeds: number[], weights: number[], noise: (x: number, y: number) => number): number[][] {
  const groups: number[][] = seeds.map(() => []);
  const sx = seeds.map((s) => frame.x[s] as number);
  const sy = seeds.map((s) => frame.y[s] as number);
  for (const c of cells) {
    const x = frame.x[c] as number;
    const y = frame.y[c] as number;
    const n = noise(x, y);
    let best = 0;
    let bestD = Infinity;
    for (let s = 0; s < seeds.length; s++) {
      const d = Math.hypot(x - (sx[s] as number), y - (sy[s] as number)) / (weights[s] as number) + n * ((s % 3) - 1);
      if (d < bestD) {
        bestD = d;
        best = s;
      }
    }
    (groups[best] as number[]).push(c);
  }
  // A seed always keeps its own cell, so no child ends up empty.
  seeds.forEach((seed, s) => {
    if ((groups[s] as number[]).length === 0) {
      for (const g of groups) {
        const at = g.indexOf(seed);
        if (at >= 0 && g.length > 1) g.splice(at, 1);
      }
      (groups[s] as number[]).push(seed);
    }
  });
  return groups;
}

/** Splits cells into `parts` compact groups by recursive coordinate bisection. */
export function bisect(frame: CellFrame, cells: number[], parts: number): number[][] {
  if (parts <= 1 || cells.length <= 1) return [cells];
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const c of cells) {
    const x = frame.x[c] as number;
    const y = frame.y[c] as number;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const axis = maxX - minX >= maxY - minY ? frame.x : frame.y;
  const sorted = [...cells].sort((a, b) => (axis[a] as number) - (axis[b] as number) || a - b);
  const leftParts = Math.floor(parts / 2);
  const cut = Math.round((sorted.length * leftParts) / parts);
  return [...bisect(frame, sorted.slice(0, cut), leftParts), ...bisect(frame, sorted.slice(cut), parts - leftParts)];
}

/** Splits `total` into integer shares proportional to `weights` (largest remainder), each within [min, max]. */
export function apportion(total: number, weights: number[], min: number, max: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const quotas = weights.map((w) => (total * w) / sum);
  const shares = quotas.map((q, i) => Math.min(max[i] as number, Math.max(min, Math.floor(q))));
  let left = total - shares.reduce((a, b) => a + b, 0);
  const order = quotas.map((q, i) => ({ i, r: q - Math.floor(q) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let pass = 0; left > 0 && pass < 10; pass++) {
    for (const { i } of order) {
      if (left <= 0) break;
      if ((shares[i] as number) < (max[i] as number)) {
        shares[i] = (shares[i] as number) + 1;
        left--;
      }
    }
  }
  for (let pass = 0; left < 0 && pass < 10; pass++) {
    for (const { i } of [...order].reverse()) {
      if (left >= 0) break;
      if ((shares[i] as number) > min) {
        shares[i] = (shares[i] as number) - 1;
        left++;
      }
    }
  }
  return shares;
}

/**
 * Makes every group one 4-connected piece: a group keeps its largest piece and each
 * smaller piece joins the sibling group it shares the most cell edges with (the real
 * outlines are far from convex, so seeded and bisected groups come out in pieces). A
 * piece with no sibling around it (an island of the parent) is dropped when
 * `dropIslands`, else it stays. Groups are never emptied: the largest piece stays.
 */
export function joinStrayPieces(grid: { nx: number; ny: number }, groups: number[][], dropIslands = false): number[][] {
  const { nx, ny } = grid;
  const owner = new Map<number, number>();
  groups.forEach((g, gi) => {
    for (const c of g) owner.set(c, gi);
  });
  const neighbours = (c: number) => {
    const i = c % nx;
    const j = Math.floor(c / nx);
    const out: number[] = [];
    if (i > 0) out.push(c - 1);
    if (i + 1 < nx) out.push(c + 1);
    if (j > 0) out.push(c - nx);
    if (j + 1 < ny) out.push(c + nx);
    return out;
  };
  let current = groups;
  for (let pass = 0; pass < 20; pass++) {
    let changed = false;
    current.forEach((group, gi) => {
      const pieces = cellPieces(group, owner, gi, neighbours);
      if (pieces.length <= 1) return;
      pieces.sort((a, b) => b.length - a.length || (a[0] as number) - (b[0] as number));
      for (const piece of pieces.slice(1)) {
        const shared = new Map<number, number>();
        for (const c of piece) {
          for (const nb of neighbours(c)) {
            const o = owner.get(nb);
            if (o !== undefined && o !== gi) shared.set(o, (shared.get(o) ?? 0) + 1);
          }
        }
        let best = -1;
        let bestShared = 0;
        for (const [o, count] of shared) {
          if (count > bestShared || (count === bestShared && o < best)) {
            best = o;
            bestShared = count;
          }
        }
        if (best < 0) {
          if (!dropIslands) continue;
          for (const c of piece) owner.delete(c);
        } else {
          for (const c of piece) owner.set(c, best);
        }
        changed = true;
      }
    });
    if (!changed) break;
    const next: number[][] = current.map(() => []);
    for (const c of [...owner.keys()].sort((a, b) => a - b)) (next[owner.get(c) as number] as number[]).push(c);
    current = next;
  }
  return current;
}

/** 4-connected pieces of one group (flood fill over cells owned by `gi`). */
function cellPieces(group: number[], owner: Map<number, number>, gi: number, neighbours: (c: number) => number[]): number[][] {
  const seen = new Set<number>();
  const pieces: number[][] = [];
  for (const start of group) {
    if (seen.has(start) || owner.get(start) !== gi) continue;
    const piece: number[] = [];
    const stack = [start];
    seen.add(start);
    while (stack.length > 0) {
      const c = stack.pop() as number;
      piece.push(c);
      for (const nb of neighbours(c)) {
        if (!seen.has(nb) && owner.get(nb) === gi) {
          seen.add(nb);
          stack.push(nb);
        }
      }
    }
    pieces.push(piece);
  }
  return pieces;
}
