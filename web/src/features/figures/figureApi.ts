/** Why: the drill-down panel's calls, typed from the server's routes (hc<AppType>). */
import { api, call } from '../../api/client';
import type { FigureScope } from './FigureContext';

export const fetchFigure = (id: string, s: FigureScope) => call(api.api.figures[':id'].$get({ param: { id }, query: { scope: s.scope, from: s.from, to: s.to } }));

export const fetchFigureRecords = (id: string, s: FigureScope, page: number, pageSize = 20) =>
  call(api.api.figures[':id'].records.$get({ param: { id }, query: { scope: s.scope, from: s.from, to: s.to, page: String(page), pageSize: String(pageSize) } }));

export function figureExportUrl(id: string, s: FigureScope, format: 'csv' | 'xlsx'): string {
  const q = new URLSearchParams({ scope: s.scope, format });
  if (s.from) q.set('from', s.from);
  if (s.to) q.set('to', s.to);
  return `/api/figures/${encodeURIComponent(id)}/export?${q}`;
}
