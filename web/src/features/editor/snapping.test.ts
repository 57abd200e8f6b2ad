import { describe, expect, it } from 'vitest';
import type { Position } from './geometryOps';
import { snapPosition, type Project } from './snapping';

// 100 px per degree, y down, like a screen.
const project: Project = ([x, y]) => ({ x: x * 100, y: -y * 100 });

const neighbour: Position[] = [
  [0, 0],
  [1, 0],
  [1, 1],
  [0, 1],
  [0, 0],
];

describe('snapping', () => {
  it('snaps to the nearest vertex within tolerance', () => {
    const snap = snapPosition({ x: 104, y: -97 }, [neighbour], project, 10);
    expect(snap).toEqual({ position: [1, 1], kind: 'vertex', distancePx: 5 });
  });

  it('prefers a vertex over a closer edge', () => {
    // 2 px from the edge x=1, 8 px from the corner (1,0).
    const snap = snapPosition({ x: 102, y: -7.75 }, [neighbour], project, 10);
    expect(snap?.kind).toBe('vertex');
    expect(snap?.position).toEqual([1, 0]);
  });

  it('snaps to the foot of the perpendicular on an edge', () => {
    const snap = snapPosition({ x: 103, y: -50 }, [neighbour], project, 10)!;
    expect(snap.kind).toBe('edge');
    expect(snap.position[0]).toBeCloseTo(1, 10);
    expect(snap.position[1]).toBeCloseTo(0.5, 10);
    expect(snap.distancePx).toBeCloseTo(3, 10);
  });

  it('picks the closest of several lines and clamps to segment ends', () => {
    const other: Position[] = [
      [1.1, 0.4],
      [1.1, 0.6],
    ];
    const snap = snapPosition({ x: 108, y: -50 }, [neighbour, other], project, 10)!;
    expect(snap.position[0]).toBeCloseTo(1.1, 10);
    // Beyond the end of `other`, the clamp makes its endpoint a vertex hit within tolerance.
    const end = snapPosition({ x: 110, y: -66 }, [other], project, 10)!;
    expect(end.kind).toBe('vertex');
    expect(end.position).toEqual([1.1, 0.6]);
  });

  it('returns null outside tolerance', () => {
    expect(snapPosition({ x: 50, y: -50 }, [neighbour], project, 10)).toBeNull();
    expect(snapPosition({ x: 0, y: 0 }, [], project, 10)).toBeNull();
  });
});
