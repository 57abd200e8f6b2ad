/**
 * Snapping in screen space: a dragged or clicked point jumps to the nearest vertex
 * of a neighbouring grid or the community boundary within N pixels, else to the
 * nearest point on one of their edges. Vertices win over edges so shared corners stay shared.
 */
import type { Position } from './geometryOps';

export interface ScreenPoint {
  x: number;
  y: number;
}

export type Project = (p: Position) => ScreenPoint;

export interface Snap {
  position: Position;
  kind: 'vertex' | 'edge';
  distancePx: number;
}

export const SNAP_TOLERANCE_PX = 10;

const dist = (a: ScreenPoint, b: ScreenPoint) => Math.hypot(a.x - b.x, a.y - b.y);

export function snapPosition(pointer: ScreenPoint, lines: readonly Position[][], project: Project, tolerancePx = SNAP_TOLERANCE_PX): Snap | null {
  let vertex: Snap | null = null;
  let edge: Snap | null = null;
  for (const line of lines) {
    let prev: { p: Position; s: ScreenPoint } | null = null;
    for (const p of line) {
      const s = project(p);
      const d = dist(pointer, s);
      if (d <= tolerancePx && (!vertex || d < vertex.distancePx)) vertex = { position: p, kind: 'vertex', distancePx: d };
      if (prev) {
        const dx = s.x - prev.s.x;
        const dy = s.y - prev.s.y;
        const len2 = dx * dx + dy * dy;
        if (len2 > 0) {
          const t = Math.max(0, Math.min(1, ((pointer.x - prev.s.x) * dx + (pointer.y - prev.s.y) * dy) / len2));
          const foot = { x: prev.s.x + t * dx, y: prev.s.y + t * dy };
          const de = dist(pointer, foot);
          // Linear in lon/lat with the screen parameter: Web Mercator is linear enough over one edge.
          if (de <= tolerancePx && (!edge || de < edge.distancePx)) {
            edge = { position: [prev.p[0] + t * (p[0] - prev.p[0]), prev.p[1] + t * (p[1] - prev.p[1])], kind: 'edge', distancePx: de };
          }
        }
      }
      prev = { p, s };
    }
  }
  return vertex ?? edge;
}
