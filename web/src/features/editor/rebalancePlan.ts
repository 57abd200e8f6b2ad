/**
 * Why: the planner may untick moves of the server's 均衡 suggestion, so the preview's new totals
 * per grid and their band status are recomputed here for the chosen moves (the server's
 * `after` is for all of them), and the map preview colours each moving building by the grid it
 * goes to. Pure, so it is unit tested; the save itself is checked again by the server.
 */
import { bandStatus, type BandStatus, type HouseholdBand } from '../../../../kernel/householdBand';

export interface PlanMove {
  building: string;
  households: number;
  from: string;
  to: string;
  position: [number, number] | null;
}

export interface PlanGrid {
  code: string;
  name: string;
  version: number;
  before: number;
  statusBefore: BandStatus;
}

export interface PlannedGrid extends PlanGrid {
  after: number;
  status: BandStatus;
  /** The chosen moves change this grid. */
  changed: boolean;
}

/** Each grid's households after the chosen moves (keys of `chosen` are building codes). */
export function plannedTotals(grids: readonly PlanGrid[], moves: readonly PlanMove[], chosen: ReadonlySet<string>, band: HouseholdBand): PlannedGrid[] {
  const delta = new Map<string, number>();
  for (const m of moves) {
    if (!chosen.has(m.building)) continue;
    delta.set(m.from, (delta.get(m.from) ?? 0) - m.households);
    delta.set(m.to, (delta.get(m.to) ?? 0) + m.households);
  }
  const touched = new Set(moves.filter((m) => chosen.has(m.building)).flatMap((m) => [m.from, m.to]));
  return grids.map((g) => {
    const after = g.before + (delta.get(g.code) ?? 0);
    return { ...g, after, status: bandStatus(after, band), changed: touched.has(g.code) };
  });
}

/** How many grids are outside the band. */
export const outOfBand = (grids: readonly { status: BandStatus }[]) => grids.filter((g) => g.status !== 'in').length;

/** Distinct colours for target grids (on the dark basemap), in the order the targets first appear. */
const PALETTE = ['#ff6bd6', '#2ee6a6', '#ffb347', '#6cb4ff', '#c792ea', '#f25f5c', '#a3e635', '#22d3ee'];

export function targetColours(moves: readonly PlanMove[]): Map<string, string> {
  const colours = new Map<string, string>();
  for (const m of moves) if (!colours.has(m.to)) colours.set(m.to, PALETTE[colours.size % PALETTE.length] as string);
  return colours;
}

/**
 * The map preview: the moving buildings (chosen ones in their target grid's colour, unticked
 * ones grey) and, while every move is chosen, the grids' new outlines as the server computed them.
 */
export function previewFeatures(moves: readonly PlanMove[], chosen: ReadonlySet<string>, outlines: readonly { code: string; geometry: GeoJSON.MultiPolygon }[]): GeoJSON.FeatureCollection {
  const colours = targetColours(moves);
  const all = moves.every((m) => chosen.has(m.building));
  const points: GeoJSON.Feature[] = moves.flatMap((m) =>
    m.position
      ? [
          {
            type: 'Feature',
            geometry: { type: 'Point', coordinates: m.position },
            properties: { kind: 'building', code: m.building, to: m.to, chosen: chosen.has(m.building), colour: chosen.has(m.building) ? (colours.get(m.to) as string) : '#8a94a6' },
          },
        ]
      : [],
  );
  const shapes: GeoJSON.Feature[] = all ? outlines.map((o) => ({ type: 'Feature', geometry: o.geometry, properties: { kind: 'grid', code: o.code, colour: colours.get(o.code) ?? '#ffffff' } })) : [];
  return { type: 'FeatureCollection', features: [...shapes, ...points] };
}
