/** Routes /imports to table imports (organisations, estates, rosters …) with a dry run; editors. */
import { lazyPage, type PageRoute } from '../../pages';

export const page: PageRoute = { path: '/imports', title: '数据导入', Component: lazyPage(() => import('./DataImportPage'), 'DataImportPage'), roles: ['planner', 'admin'] };
