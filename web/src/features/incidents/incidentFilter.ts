/**
 * The incident filter as the UI holds it, and its translation to the API's query
 * string (same names as server/incidents/filters.ts). Pure, so it is unit-tested.
 */
export type IncidentSourceKey = 'grid' | 'hongsheng' | 'hotline';
export type IncidentStageKey = 'collect' | 'register' | 'dispatch' | 'handle' | 'feedback' | 'close' | 'evaluate';

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

export const SOURCE_LABELS: Record<IncidentSourceKey, string> = { grid: '网格员上报', hongsheng: '为民红绳', hotline: '12345热线' };
export const STAGE_LABELS: Record<IncidentStageKey, string> = {
  collect: '信息收集',
  register: '立案',
  dispatch: '派遣',
  handle: '处置',
  feedback: '反馈',
  close: '核实结案',
  evaluate: '评价',
};

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
