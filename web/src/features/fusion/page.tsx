/** Routes /fusion to 多网融合 (foreign grid networks over ours, the overlap report, guided adoption); its own chunk. */
import { lazyPage, type PageRoute } from '../../pages';

export const page: PageRoute = { path: '/fusion', title: '多网融合', Component: lazyPage(() => import('./FusionPage'), 'FusionPage') };
