/** Routes /incidents to the closed-loop workbench (see web/src/pages.ts); the page is its own chunk. */
import { lazyPage, type PageRoute } from '../../pages';

export const page: PageRoute = {
  path: '/incidents',
  title: '事件工作台',
  Component: lazyPage(() => import('./WorkbenchPage'), 'WorkbenchPage'),
  roles: ['grid_worker', 'dispatcher', 'dept_staff', 'admin'],
};
