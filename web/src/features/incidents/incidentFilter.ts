/**
 * The incident filter as the UI holds it, and its translation to the API's query
 * string (same names as server/incidents/filters.ts). Pure, so it is unit-tested.
 */
import { INCIDENT_SOURCES, STAGE_LABELS as SERVER_STAGE_LABELS, type IncidentSource, type IncidentStage } from '../../../../kernel/stages';
import { STORED_HEX_ZOOMS } from '../../../../kernel/webMercator';
import { bboxParam, snapBbox, type Bbox } from '../../../../kernel/bbox';

export type IncidentSourceKey = IncidentSource;
export type IncidentStageKey = IncidentStage;

export interface IncidentFilterState {
  categories: string[];
  sources: IncidentSourceKey[];
  stages: IncidentStageKey[];
  /** Region code prefix (street 9 / community 12 / grid 15 digits), or null for the whole city. */
  region: string | null;
}

export interface TimeWindow {
  /** ISO 8601 instants, [from, to). */
  from: string;
  to: string;
}

export const EMPTY_FILTER: IncidentFilterState = { categories: [], sources: [], stages: [], region: null };

// One vocabulary with the server (server/incidents/stages.ts is plain constants, safe to bundle).
export const SOURCE_LABELS: Record<IncidentSourceKey, string> = INCIDENT_SOURCES;
export const STAGE_LABELS: Record<IncidentStageKey, string> = SERVER_STAGE_LABELS;

/** Query parameters for the filter (and an optional time window); empty lists mean "all" and are left out. */
export function filterQuery(filter: IncidentFilterState, window?: TimeWindow | null): Record<string, string> {
  const q: Record<string, string> = {};
  if (filter.categories.length > 0) q.category = [...filter.categories].sort().join(',');
  if (filter.sources.length > 0) q.source = [...filter.sources].sort().join(',');
  if (filter.stages.length > 0) q.stage = [...filter.stages].sort().join(',');
  if (filter.region) q.region = filter.region;
  if (window) {
    q.from = window.from;
    q.to = window.to;
  }
  return q;
}

/** Toggles a value in a list filter (checkbox behaviour). */
export function toggle<T>(values: readonly T[], value: T): T[] {
  return values.includes(value) ? values.filter((v) => v !== value) : [...values, value];
}

/**
 * Up to the deepest zoom with stored cells the whole city is one cheap grouping;
 * deeper, the request covers the view only — padded, then snapped to a lattice of
 * half-tile steps so small pans reuse the cached answer.
 */
export function viewArea(zoom: number, bbox: Bbox | undefined): { bbox?: string } {
  const deepestStored = STORED_HEX_ZOOMS[STORED_HEX_ZOOMS.length - 1]!;
  if (!bbox || zoom <= deepestStored) return {};
  const [w, s, e, n] = bbox;
  const padX = (e - w) * 0.05;
  const padY = (n - s) * 0.05;
  return { bbox: bboxParam(snapBbox([w - padX, s - padY, e + padX, n + padY], 360 / 2 ** zoom)) };
}
