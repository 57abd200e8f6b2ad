/**
 * Why: a new user should see every grid level and 多网融合 after `npm start`. From the
 * sample's lattice this adds 微网格 that tile some base grids of 名山街道 (each base grid's
 * cells bisected, so they tile it exactly), five 专属网格 (a school, hospital, park, business
 * building and market: a few cells each, lying across base grids), one foreign network
 * (综治网格: a regular block grid over 名山街道, deliberately not following our boundaries) and
 * one boundary change in the past (a cell moved between two grids of 五里桥社区 on
 * BOUNDARY_CHANGE_AT) so the map and figures as of a date differ before and after it.
 * Own random stream, so the rest of the sample stays as it was.
 */
import { defaultRowTolerance, readingOrder } from '../kernel/numbering';
import { formatExclusiveGridCode, formatMicroGridCode, type ExclusiveKind } from '../kernel/gridCode';
import { cellCentre, multiPolygonWkt, traceCells, type Lattice } from './lattice';
import { bisect, type CellFrame } from './partition';
import { personName } from './names';
import { createRandom } from './random';

export interface SampleSubGrid {
  code: string;
  level: 'micro' | 'exclusive';
  kind: ExclusiveKind | null;
  name: string;
  parentGridCode: string | null;
  communityCode: string;
  streetCode: string;
  wkt: string;
  households: number;
  population: number;
  keeper: string;
}

export interface SampleForeignNetwork {
  name: string;
  department: string;
  /** Boxes (WKT, WGS84); the loader clips them to the street's outline. */
  grids: { code: string; name: string; wkt: string; attributes: Record<string, unknown> }[];
  clipToRegion: string;
}

export interface SampleBoundaryChange {
  at: Date;
  /** The grid's geometry before the change, for the two grids involved (the current one is in `grids`). */
  before: { code: string; wkt: string }[];
  note: string;
}

export interface SampleLevels {
  subGrids: SampleSubGrid[];
  foreignNetworks: SampleForeignNetwork[];
  boundaryChanges: SampleBoundaryChange[];
}

interface GridInput {
  code: string;
  name: string;
  communityCode: string;
  streetCode: string;
  households: number;
  population: number;
}

/** The one past boundary change of the sample (between BOUNDARY_CHANGE_GRID and a neighbour). */
export const BOUNDARY_CHANGE_AT = new Date('2026-06-01T02:00:00Z');
/** 五里桥社区第1网格: of the demo community's grids, one with two cells, so it can have held one less. */
export const BOUNDARY_CHANGE_GRID = '450902005001001';
const MICRO_STREET = '450902005';
const MICRO_COMMUNITIES = 4;

export function generateLevels(input: { seed: number; lattice: Lattice; frame: CellFrame; grids: GridInput[]; gridCells: number[][]; now: Date }): SampleLevels {
  const { lattice, frame, grids, gridCells } = input;
  const random = createRandom((input.seed ^ 0x6c657665) >>> 0);
  const wkt = (cells: number[]) => multiPolygonWkt(traceCells(lattice, cells));
  const subGrids: SampleSubGrid[] = [];

  // 微网格: the grids of the first communities of 名山街道, 3–4 cells each, numbered in reading order.
  const communities = [...new Set(grids.filter((g) => g.streetCode === MICRO_STREET).map((g) => g.communityCode))].sort().slice(0, MICRO_COMMUNITIES);
  grids.forEach((g, gi) => {
    if (!communities.includes(g.communityCode)) return;
    const cells = gridCells[gi] as number[];
    // A grid of one lattice cell has nothing to divide: it stays without micro grids.
    if (cells.length < 2) return;
    const parts = bisect(frame, cells, Math.max(2, Math.min(6, Math.round(cells.length / 3)))).filter((p) => p.length > 0);
    const described = parts.map((p) => {
      const centres = p.map((c) => cellCentre(lattice, c));
      return { cells: p, lon: centres.reduce((s, q) => s + q[0], 0) / centres.length, lat: centres.reduce((s, q) => s + q[1], 0) / centres.length };
    });
    const span = cells.length * (lattice.nodeLon[1]! - lattice.nodeLon[0]!) ** 2;
    const ordered = readingOrder(
      described.map((d) => ({ item: d, lon: d.lon, lat: d.lat })),
      defaultRowTolerance(span, described.length),
    );
    // Households shared by cell count, the last part taking the remainder, so they add up to the grid's.
    let left = g.households;
    ordered.forEach((d, k) => {
      const households = k === ordered.length - 1 ? left : Math.round((g.households * d.cells.length) / cells.length);
      left -= households;
      subGrids.push({
        code: formatMicroGridCode(g.code, k + 1),
        level: 'micro',
        kind: null,
        name: `${g.name}第${k + 1}微网格`,
        parentGridCode: g.code,
        communityCode: g.communityCode,
        streetCode: g.streetCode,
        wkt: wkt(d.cells),
        households,
        population: Math.round(households * random.range(2.6, 3.2)),
        keeper: personName(random),
      });
    });
  });

  // 专属网格: one unit of each kind, 2–3 neighbouring cells on the boundary between two grids.
  const street = grids.map((g, gi) => ({ g, gi })).filter(({ g }) => g.streetCode === MICRO_STREET);
  const owner = new Map<number, number>();
  grids.forEach((_, gi) => {
    for (const c of gridCells[gi] as number[]) owner.set(c, gi);
  });
  const units: [ExclusiveKind, string][] = [
    ['学校', '玉州区名山小学'],
    ['医院', '玉林市第一人民医院名山院区'],
    ['产业园区', '名山电子信息产业园'],
    ['商务楼宇', '金港商务大厦'],
    ['市场', '五里桥农贸市场'],
  ];
  const taken = new Set<number>();
  const perCommunity = new Map<string, number>();
  units.forEach(([kind, name], k) => {
    const { g, gi } = street[Math.floor(((k + 0.5) * street.length) / units.length)] as { g: GridInput; gi: number };
    const cells = gridCells[gi] as number[];
    // A cell of this grid with a neighbour in another grid, and that neighbour: the unit spans both.
    const neighbours = (c: number) => [c - 1, c + 1, c - lattice.nx, c + lattice.nx];
    const crosses = (n: number) => owner.has(n) && owner.get(n) !== gi && !taken.has(n) && grids[owner.get(n) as number]!.communityCode === g.communityCode;
    const start = cells.find((c) => !taken.has(c) && neighbours(c).some(crosses)) ?? (cells[0] as number);
    const across = neighbours(start).find(crosses);
    const unit = [start, ...(across === undefined ? [] : [across])];
    for (const c of unit) taken.add(c);
    const sequence = (perCommunity.get(`${g.communityCode}${kind}`) ?? 0) + 1;
    perCommunity.set(`${g.communityCode}${kind}`, sequence);
    const households = kind === '学校' || kind === '医院' || kind === '产业园区' ? 0 : random.int(20, 80);
    subGrids.push({
      code: formatExclusiveGridCode(g.communityCode, kind, sequence),
      level: 'exclusive',
      kind,
      name: `${name}专属网格`,
      parentGridCode: null,
      communityCode: g.communityCode,
      streetCode: g.streetCode,
      wkt: wkt(unit),
      households,
      population: households * 3,
      keeper: personName(random),
    });
  });

  // 综治网格 over 名山街道: rectangles of about 1.6 base grids, rotated off our lattice by an offset.
  const streetCells = street.flatMap(({ gi }) => gridCells[gi] as number[]);
  const lons = streetCells.map((c) => cellCentre(lattice, c)[0]);
  const lats = streetCells.map((c) => cellCentre(lattice, c)[1]);
  const [west, east, south, north] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  const side = Math.sqrt(((east - west) * (north - south)) / Math.max(1, street.length / 1.6));
  const foreign: SampleForeignNetwork['grids'] = [];
  const margin = side / 2;
  const round = (v: number) => Math.round(v * 1e7) / 1e7;
  let n = 0;
  for (let y = north + margin - side * 0.37; y > south - margin; y -= side) {
    for (let x = west - margin + side * 0.41; x < east + margin; x += side) {
      n++;
      const [x0, y0, x1, y1] = [round(x), round(y - side), round(x + side), round(y)];
      foreign.push({
        code: `ZZ-MS-${String(n).padStart(3, '0')}`,
        name: `名山综治第${n}网格`,
        wkt: `MULTIPOLYGON(((${x0} ${y0},${x1} ${y0},${x1} ${y1},${x0} ${y1},${x0} ${y0})))`,
        attributes: { 网格长: personName(random), 责任民警: personName(random), 来源: '名山街道综治中心（示例）' },
      });
    }
  }

  // The past boundary change: a cell of BOUNDARY_CHANGE_GRID that borders another grid of the community went to it.
  const boundaryChanges: SampleBoundaryChange[] = [];
  const ai = grids.findIndex((g) => g.code === BOUNDARY_CHANGE_GRID);
  if (ai >= 0 && BOUNDARY_CHANGE_AT < input.now) {
    const a = gridCells[ai] as number[];
    const moved = a.find((c) => [c - 1, c + 1, c - lattice.nx, c + lattice.nx].some((nb) => owner.has(nb) && owner.get(nb) !== ai && grids[owner.get(nb) as number]!.communityCode === grids[ai]!.communityCode));
    if (moved !== undefined && a.length >= 2) {
      const bi = owner.get(
        [moved - 1, moved + 1, moved - lattice.nx, moved + lattice.nx].find((nb) => owner.has(nb) && owner.get(nb) !== ai && grids[owner.get(nb) as number]!.communityCode === grids[ai]!.communityCode) as number,
      ) as number;
      // Now (the current grids) the cell belongs to A; before the change it was B's.
      boundaryChanges.push({
        at: BOUNDARY_CHANGE_AT,
        before: [
          { code: grids[ai]!.code, wkt: wkt(a.filter((c) => c !== moved)) },
          { code: grids[bi]!.code, wkt: wkt([...(gridCells[bi] as number[]), moved]) },
        ],
        note: `示例：边界调整，一块区域由${grids[bi]!.name}划入${grids[ai]!.name}`,
      });
    }
  }

  return { subGrids, foreignNetworks: [{ name: '名山街道综治网格', department: '综治', grids: foreign, clipToRegion: MICRO_STREET }], boundaryChanges };
}
