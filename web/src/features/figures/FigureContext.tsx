/**
 * Why: any figure shown on the big screen or a dashboard opens its drill-down panel
 * (definition, filter, records, export). Pages provide the region and period once;
 * a figure only names its registry id (server/figures/registry.ts).
 */
import { createContext, useContext } from 'react';

export interface FigureScope {
  scope: string;
  from?: string;
  to?: string;
}

export const FigureContext = createContext<{ open: (id: string) => void } | null>(null);

/** The opener of the page's panel, or null outside a page that provides one. */
export function useFigureOpener() {
  return useContext(FigureContext);
}
