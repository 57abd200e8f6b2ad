/** Routes /incidents to the closed-loop workbench (see web/src/pages.ts). */
import type { PageRoute } from '../../pages';
import { WorkbenchPage } from './WorkbenchPage';

export const page: PageRoute = { path: '/incidents', title: '事件工作台', Component: WorkbenchPage, roles: ['grid_worker', 'dispatcher', 'dept_staff', 'admin'] };
