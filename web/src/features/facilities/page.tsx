/** Routes /facilities to 阵地管理 (every kind of 阵地 on a list and a map, edited within the planner's jurisdiction); its own chunk. */
import { lazyPage, type PageRoute } from '../../pages';

// In the navigation of those who edit; readers may open it by its address and see everything read-only.
export const page: PageRoute = { path: '/facilities', title: '阵地管理', Component: lazyPage(() => import('./FacilitiesPage'), 'FacilitiesPage'), roles: ['planner', 'admin'] };
