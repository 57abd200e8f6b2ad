/** Why: the as-of queries of the compare page, typed from the server's routes (server/routes/history.ts). */
import { queryOptions } from '@tanstack/react-query';
import { api, call } from '../../api/client';

export const asOfGridsQuery = (asOf: string, region: string) => queryOptions({ queryKey: ['history', 'grids', asOf, region], queryFn: () => call(api.api.history.grids.$get({ query: { asOf, region } })) });
export const asOfStatsQuery = (asOf: string, region: string) => queryOptions({ queryKey: ['history', 'statistics', asOf, region], queryFn: () => call(api.api.history.statistics.$get({ query: { asOf, region } })) });
export const changeDatesQuery = (region: string) => queryOptions({ queryKey: ['history', 'dates', region], queryFn: () => call(api.api.history.dates.$get({ query: { region } })) });
