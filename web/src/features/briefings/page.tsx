/** Routes /briefings to 月报: past monthly briefings (PDF) and generating one. */
import { lazyPage, type PageRoute } from '../../pages';

export const page: PageRoute = { path: '/briefings', title: '月报', Component: lazyPage(() => import('./BriefingsPage'), 'BriefingsPage') };
