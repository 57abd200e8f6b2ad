/**
 * Why: any figure shown on the big screen or a dashboard opens its drill-down panel
 * (definition, filter, records, export). Pages provide the region and period once;
 * a figure only names its registry id (server/figures/registry.ts) and, for a chart
 * point, the month or child region it stands for (server/figures/figureParams.ts).
 */
import { createContext, useContext } from 'react';

/** A point of a chart: one trend month (YYYY-MM, China time) or one child region's bar. */
export interface FigureDrill {
  month?: string;
  region?: string;
}

export interface FigureScope extends FigureDrill {
  scope: string;
  from?: string;
  to?: string;
}

export const FigureContext = createContext<{ open: (id: string, drill?: FigureDrill) => void } | null>(null);

/** The opener of the page's panel, or null outside a page that provides one. */
export function useFigureOpener() {
  return useContext(FigureContext);
}
