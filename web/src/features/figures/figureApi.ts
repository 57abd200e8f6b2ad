/** Why: the drill-down panel's calls, typed from the server's routes (hc<AppType>). */
import { api, call } from '../../api/client';
import type { FigureScope } from './FigureContext';

const query = (s: FigureScope) => ({ scope: s.scope, from: s.from, to: s.to, month: s.month, region: s.region });

export const fetchFigure = (id: string, s: FigureScope) => call(api.api.figures[':id'].$get({ param: { id }, query: query(s) }));

export const fetchFigureRecords = (id: string, s: FigureScope, page: number, pageSize = 20) =>
  call(api.api.figures[':id'].records.$get({ param: { id }, query: { ...query(s), page: String(page), pageSize: String(pageSize) } }));

export function figureExportUrl(id: string, s: FigureScope, format: 'csv' | 'xlsx'): string {
  const q = new URLSearchParams({ scope: s.scope, format });
  for (const k of ['from', 'to', 'month', 'region'] as const) {
    const v = s[k];
    if (v) q.set(k, v);
  }
  return `/api/figures/${encodeURIComponent(id)}/export?${q}`;
}
