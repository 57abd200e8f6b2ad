/** Routes /siting to 选址分析 (what-if candidates, suggested sites, priority list); its own chunk. */
import { lazyPage, type PageRoute } from '../../pages';

export const page: PageRoute = { path: '/siting', title: '选址分析', Component: lazyPage(() => import('./SitingPage'), 'SitingPage'), roles: ['analyst', 'planner', 'leader', 'admin'] };
