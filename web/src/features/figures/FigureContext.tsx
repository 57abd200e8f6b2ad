/**
 * Why: any figure shown on the big screen or a dashboard opens its drill-down panel
 * (definition, filter, records, export). Pages provide the region and period once;
 * a figure only names its registry id (server/figures/registry.ts) and, for a chart
 * point, the month or child region it stands for (server/figures/figureParams.ts), or
 * for a 示范评估 cell its window and cohort (the 示范社区 or the rest of the city).
 */
import { createContext, useContext } from 'react';

/** A point of a chart: one trend month (YYYY-MM, China time), one child region's bar, or a scorecard cell. */
export interface FigureDrill {
  month?: string;
  region?: string;
  from?: string;
  to?: string;
  /** 12-digit community codes, comma-separated, with `cohort` (and without a scope). */
  communities?: string;
  cohort?: 'group' | 'rest';
}

/** Without `scope` the server takes the city (a cohort's communities always lie in it). */
export interface FigureScope extends FigureDrill {
  scope?: string;
}

export const FigureContext = createContext<{ open: (id: string, drill?: FigureDrill) => void } | null>(null);

/** The opener of the page's panel, or null outside a page that provides one. */
export function useFigureOpener() {
  return useContext(FigureContext);
}
