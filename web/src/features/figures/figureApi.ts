/** Why: the drill-down panel's calls, typed from the server's routes (hc<AppType>). */
import { api, call } from '../../api/client';
import type { FigureScope } from './FigureContext';

const KEYS = ['scope', 'from', 'to', 'month', 'region', 'communities', 'cohort'] as const;
const query = (s: FigureScope) => ({ scope: s.scope, from: s.from, to: s.to, month: s.month, region: s.region, communities: s.communities, cohort: s.cohort });

export const fetchFigure = (id: string, s: FigureScope) => call(api.api.figures[':id'].$get({ param: { id }, query: query(s) }));

export const fetchFigureRecords = (id: string, s: FigureScope, page: number, pageSize = 20) =>
  call(api.api.figures[':id'].records.$get({ param: { id }, query: { ...query(s), page: String(page), pageSize: String(pageSize) } }));

export function figureExportUrl(id: string, s: FigureScope, format: 'csv' | 'xlsx'): string {
  const q = new URLSearchParams({ format });
  for (const k of KEYS) {
    const v = s[k];
    if (v) q.set(k, v);
  }
  return `/api/figures/${encodeURIComponent(id)}/export?${q}`;
}
