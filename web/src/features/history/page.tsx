/** Routes /history to the map and figures as of two dates, side by side; its own chunk. */
import { lazyPage, type PageRoute } from '../../pages';

export const page: PageRoute = { path: '/history', title: '历史对比', Component: lazyPage(() => import('./HistoryComparePage'), 'HistoryComparePage') };
